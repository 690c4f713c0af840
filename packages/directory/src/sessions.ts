/**
 * Portal sessions made by single sign-on. The browser holds `rss_<id>.<secret>`; the database
 * holds the secret's hash. A session is valid while it is neither revoked nor expired and its
 * member is active; the role is the member's effective role at each request, so a role change
 * through SCIM shows at once. Deactivation revokes the member's sessions (`updateMemberData`):
 * reactivation does not bring them back, the member signs in again.
 */
import { randomBytes } from 'node:crypto';
import { hashSecret, verifySecret } from '@roster/auth/api-keys';
import type { Database, Role, SessionMethod } from '@roster/db';
import { type Kysely, sql } from 'kysely';
import {
  CREDENTIAL_ORGANIZATION_COLUMNS,
  type CredentialOrganization,
  credentialOrganization,
} from './api-keys.js';
import { effectiveRole } from './members.js';
import { organizationIdBySlug } from './organizations.js';

type Db = Kysely<Database>;

const PREFIX = 'rss_';
const TOKEN = /^rss_([0-9a-f]{16})\.([\w-]{43})$/;

/** Starts a session for a member; returns the cookie value (its only copy). */
export async function createSession(
  db: Db,
  session: { orgId: string; memberId: string; method: SessionMethod; lifetimeSeconds: number },
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + session.lifetimeSeconds * 1000);
  await db
    .insertInto('portal_sessions')
    .values({
      org_id: session.orgId,
      id,
      secret_hash: hashSecret(secret),
      member_id: session.memberId,
      method: session.method,
      expires_at: expiresAt,
      revoked_at: null,
    })
    .execute();
  return { id, token: `${PREFIX}${id}.${secret}`, expiresAt };
}

export interface SessionCredential {
  orgId: string;
  orgSlug: string;
  sessionId: string;
  member: { id: string; active: boolean; role: Role };
  /** What the portal decides each request with (RBAC, who owns members and groups). */
  organization: CredentialOrganization;
  expired: boolean;
  revoked: boolean;
}

/**
 * The session behind a cookie, in the organization of the URL, with its member's current status
 * and effective role and the organization's settings, in one query; undefined when the token is
 * malformed, unknown or its secret is wrong.
 */
export async function findSessionCredential(
  db: Db,
  orgSlug: string,
  token: string,
): Promise<SessionCredential | undefined> {
  const match = TOKEN.exec(token);
  if (!match?.[1] || !match[2]) return undefined;
  // The organization first, so that every tenant table below is read with org_id a constant.
  const orgId = await organizationIdBySlug(db, orgSlug);
  if (!orgId) return undefined;
  const row = await db
    .selectFrom('portal_sessions as s')
    .innerJoin('organizations as o', 'o.id', 's.org_id')
    .innerJoin('members as m', (join) =>
      join.onRef('m.org_id', '=', 's.org_id').on('m.org_id', '=', orgId).onRef('m.id', '=', 's.member_id'),
    )
    .leftJoin('identity_configs as c', (join) =>
      join.onRef('c.org_id', '=', 's.org_id').on('c.org_id', '=', orgId),
    )
    .select([
      'o.id as orgId',
      'o.slug as orgSlug',
      's.id as sessionId',
      's.secret_hash',
      's.expires_at',
      's.revoked_at',
      'm.id as memberId',
      'm.active as memberActive',
      effectiveRole('m', orgId).as('memberRole'),
      ...CREDENTIAL_ORGANIZATION_COLUMNS,
    ])
    .where('o.id', '=', orgId)
    .where('s.org_id', '=', orgId)
    .where('s.id', '=', match[1])
    .executeTakeFirst();
  if (!row || !verifySecret(match[2], row.secret_hash)) return undefined;
  return {
    orgId: row.orgId,
    orgSlug: row.orgSlug,
    sessionId: row.sessionId,
    member: { id: row.memberId, active: row.memberActive, role: row.memberRole },
    organization: credentialOrganization(row),
    expired: row.expires_at.getTime() <= Date.now(),
    revoked: row.revoked_at !== null,
  };
}

/** Ends one session (sign-out); false when it was not live. */
export async function revokeSession(db: Db, orgId: string, id: string): Promise<boolean> {
  const result = await db
    .updateTable('portal_sessions')
    .set({ revoked_at: sql`now()` })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * The members whose userName is the name the identity provider gave (case-insensitive, indexed):
 * the userName only, never a secondary email, so one setting decides who a sign-in is. More than
 * one is ambiguous and refused by the caller.
 */
export async function findMembersForSignIn(
  db: Db,
  orgId: string,
  userName: string,
): Promise<{ id: string; userName: string; active: boolean }[]> {
  const name = userName.trim().toLowerCase();
  if (!name) return [];
  return db
    .selectFrom('members')
    .select(['id', 'user_name as userName', 'active'])
    .where('org_id', '=', orgId)
    .where(sql<string>`lower(user_name)`, '=', name)
    .execute();
}

/**
 * Records that a SAML assertion signed someone in; false when it already had (a replay). The id
 * is kept until the assertion expires; older ones are dropped on the way.
 */
export async function useSamlAssertion(
  db: Db,
  orgId: string,
  assertionId: string,
  expiresAt: Date,
): Promise<boolean> {
  await db
    .deleteFrom('saml_used_assertions')
    .where('org_id', '=', orgId)
    .where('expires_at', '<', new Date())
    .execute();
  const inserted = await db
    .insertInto('saml_used_assertions')
    .values({ org_id: orgId, assertion_id: assertionId, expires_at: expiresAt })
    .onConflict((oc) => oc.columns(['org_id', 'assertion_id']).doNothing())
    .returning('assertion_id')
    .executeTakeFirst();
  return inserted !== undefined;
}
