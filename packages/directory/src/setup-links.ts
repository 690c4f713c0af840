/**
 * One-time setup links: how the operator hands a new organization to its first manager (and
 * break-glass, a manager locked out of the portal). The link carries `rsl_<id>.<secret>`: the
 * secret is 256 random bits, stored only as its hash and compared in constant time. A link is
 * single use (the first redemption marks it used, atomically: of two concurrent ones, one wins),
 * expires, and is replaced by the next one issued to the same member.
 */
import { randomBytes } from 'node:crypto';
import { hashSecret, verifySecret } from '@roster/auth/api-keys';
import type { Database } from '@roster/db';
import { type Kysely, sql, type Transaction } from 'kysely';

type Db = Kysely<Database>;

const PREFIX = 'rsl_';
const TOKEN = /^rsl_([0-9a-f]{16})\.([\w-]{43})$/;

/**
 * Issues a link for a member (the caller checks they are an active manager), in the caller's
 * transaction when given one; returns its only copy.
 */
export async function createSetupLink(
  db: Db,
  link: { orgId: string; memberId: string; lifetimeSeconds: number },
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + link.lifetimeSeconds * 1000);
  const inTransaction = <T>(work: (trx: Db) => Promise<T>) =>
    db.isTransaction ? work(db) : db.transaction().execute(work);
  await inTransaction(async (trx) => {
    // A new link replaces the member's earlier ones: only the last one printed works.
    await trx
      .deleteFrom('setup_links')
      .where('org_id', '=', link.orgId)
      .where('member_id', '=', link.memberId)
      .where('used_at', 'is', null)
      .execute();
    await trx
      .insertInto('setup_links')
      .values({
        org_id: link.orgId,
        id,
        secret_hash: hashSecret(secret),
        member_id: link.memberId,
        expires_at: expiresAt,
        used_at: null,
      })
      .execute();
  });
  return { id, token: `${PREFIX}${id}.${secret}`, expiresAt };
}

export type SetupLinkRedemption =
  | { outcome: 'redeemed'; linkId: string; member: { id: string; userName: string } }
  /** Malformed, unknown in this organization, or the wrong secret: nothing to say about it. */
  | { outcome: 'invalid' }
  | { outcome: 'used' }
  | { outcome: 'expired' }
  /** The member was deactivated since the link was issued. */
  | { outcome: 'member_inactive'; userName: string };

/**
 * Marks the link used, inside the caller's transaction (which then starts the session), if it is
 * valid, unused and unexpired and its member is active. The conditional update decides between
 * concurrent redemptions: the second finds `used_at` set and gets `used`.
 */
export async function redeemSetupLink(
  trx: Transaction<Database>,
  orgId: string,
  token: string,
): Promise<SetupLinkRedemption> {
  const match = TOKEN.exec(token);
  if (!match?.[1] || !match[2]) return { outcome: 'invalid' };
  const row = await trx
    .selectFrom('setup_links as l')
    .innerJoin('members as m', (join) =>
      join.onRef('m.org_id', '=', 'l.org_id').onRef('m.id', '=', 'l.member_id'),
    )
    .select([
      'l.id',
      'l.secret_hash',
      'l.expires_at',
      'l.used_at',
      'm.id as memberId',
      'm.user_name',
      'm.active',
    ])
    .where('l.org_id', '=', orgId)
    .where('l.id', '=', match[1])
    .executeTakeFirst();
  if (!row || !verifySecret(match[2], row.secret_hash)) return { outcome: 'invalid' };
  if (row.used_at !== null) return { outcome: 'used' };
  if (row.expires_at.getTime() <= Date.now()) return { outcome: 'expired' };
  if (!row.active) return { outcome: 'member_inactive', userName: row.user_name };
  const used = await trx
    .updateTable('setup_links')
    .set({ used_at: sql`now()` })
    .where('org_id', '=', orgId)
    .where('id', '=', row.id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (used.numUpdatedRows === 0n) return { outcome: 'used' };
  return { outcome: 'redeemed', linkId: row.id, member: { id: row.memberId, userName: row.user_name } };
}
