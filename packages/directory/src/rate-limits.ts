/**
 * The shared request counts behind rate limiting (`rate_limit_windows`). A server process adds
 * the hits it counted since its last batch and gets back each window's total over all processes.
 */
import type { Database } from '@roster/db';
import { type Kysely, sql } from 'kysely';

type Db = Kysely<Database>;

export interface WindowHits {
  orgId: string;
  /** `organization` (SCIM) or `portal`, or the credential: `api_key:<id>`, `oauth_client:<client id>`, `session:<id>`. */
  bucket: string;
  windowStart: Date;
  hits: number;
}

/**
 * Adds `hits` to each window in one statement and returns each window's new total. The rows are
 * written in one fixed order, so two processes adding to the same windows at once never deadlock.
 */
export async function addWindowHits(db: Db, increments: WindowHits[]): Promise<WindowHits[]> {
  if (increments.length === 0) return [];
  const ordered = [...increments].sort(
    (a, b) =>
      a.orgId.localeCompare(b.orgId) ||
      a.bucket.localeCompare(b.bucket) ||
      a.windowStart.getTime() - b.windowStart.getTime(),
  );
  const rows = await db
    .insertInto('rate_limit_windows')
    .values(
      ordered.map((i) => ({ org_id: i.orgId, bucket: i.bucket, window_start: i.windowStart, hits: i.hits })),
    )
    .onConflict((conflict) =>
      conflict
        .columns(['org_id', 'bucket', 'window_start'])
        .doUpdateSet({ hits: sql`rate_limit_windows.hits + excluded.hits` }),
    )
    .returning(['org_id', 'bucket', 'window_start', 'hits'])
    .execute();
  return rows.map((row) => ({
    orgId: row.org_id,
    bucket: row.bucket,
    windowStart: new Date(row.window_start),
    hits: row.hits,
  }));
}

/** Deletes the organizations' windows that started before `before` (they no longer limit anything). */
export async function deleteWindowsBefore(db: Db, orgIds: string[], before: Date): Promise<void> {
  if (orgIds.length === 0) return;
  await db
    .deleteFrom('rate_limit_windows')
    .where('org_id', 'in', orgIds)
    .where('window_start', '<', before)
    .execute();
}
