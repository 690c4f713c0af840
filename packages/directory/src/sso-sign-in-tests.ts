/**
 * "Test sign-in" on the SSO page: one manager's round trip to the identity provider with the
 * saved settings, which signs nobody in. A test is pending for ten minutes, is completed once
 * (its outcome can never be overwritten), and is read back only by the member who started it.
 */
import { randomBytes } from 'node:crypto';
import type { Database, SignInMethod, SsoSignInTestStatus } from '@roster/db';
import { type Kysely, sql } from 'kysely';

type Db = Kysely<Database>;

/** As long as the browser's pending login (the sign-in cookie) lives. */
export const SSO_TEST_SECONDS = 600;
/** Finished tests are kept a day for the page to show, then pruned when the next one starts. */
const KEEP_SECONDS = 86_400;

export interface SsoSignInTest {
  id: string;
  memberId: string;
  protocol: SignInMethod;
  status: SsoSignInTestStatus | 'expired';
  outcome: Record<string, unknown> | null;
  createdAt: Date;
  expiresAt: Date;
  completedAt: Date | null;
}

/** Starts a test for a member; its id (unguessable) names it in the URLs. */
export async function startSsoSignInTest(
  db: Db,
  test: { orgId: string; memberId: string; protocol: SignInMethod },
): Promise<SsoSignInTest> {
  await db
    .deleteFrom('sso_sign_in_tests')
    .where('org_id', '=', test.orgId)
    .where(sql<boolean>`created_at < now() - make_interval(secs => ${KEEP_SECONDS})`)
    .execute();
  const row = await db
    .insertInto('sso_sign_in_tests')
    .values({
      org_id: test.orgId,
      id: randomBytes(16).toString('hex'),
      member_id: test.memberId,
      protocol: test.protocol,
      expires_at: sql<Date>`now() + make_interval(secs => ${SSO_TEST_SECONDS})`,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toTest(row);
}

type Row = {
  id: string;
  member_id: string;
  protocol: SignInMethod;
  status: SsoSignInTestStatus;
  outcome: Record<string, unknown> | null;
  created_at: Date;
  expires_at: Date;
  completed_at: Date | null;
};

const toTest = (row: Row): SsoSignInTest => ({
  id: row.id,
  memberId: row.member_id,
  protocol: row.protocol,
  status: row.status === 'pending' && row.expires_at.getTime() <= Date.now() ? 'expired' : row.status,
  outcome: row.outcome,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  completedAt: row.completed_at,
});

/** A test of the organization; with `memberId`, only that member's. */
export async function findSsoSignInTest(
  db: Db,
  orgId: string,
  id: string,
  memberId?: string,
): Promise<SsoSignInTest | undefined> {
  let query = db.selectFrom('sso_sign_in_tests').selectAll().where('org_id', '=', orgId).where('id', '=', id);
  if (memberId) query = query.where('member_id', '=', memberId);
  const row = await query.executeTakeFirst();
  return row ? toTest(row) : undefined;
}

/**
 * Records a pending, unexpired test's outcome and returns the member who started it; undefined
 * when the test is not pending any more (a replayed callback) or has expired: nothing is written.
 */
export async function completeSsoSignInTest(
  db: Db,
  orgId: string,
  id: string,
  result: { status: 'succeeded' | 'failed'; outcome: Record<string, unknown> },
): Promise<string | undefined> {
  const updated = await db
    .updateTable('sso_sign_in_tests')
    .set({ status: result.status, outcome: JSON.stringify(result.outcome), completed_at: sql`now()` })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('expires_at', '>', sql<Date>`now()`)
    .returning('member_id')
    .executeTakeFirst();
  return updated?.member_id;
}
