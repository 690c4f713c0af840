import { type Kysely, sql } from 'kysely';

/**
 * Paging over very large organizations. A SCIM list walks `members__created` (org_id, created_at,
 * id) in a subquery that selects only ids, so that skipping 900,000 rows to a deep page, and
 * counting the total, read the index alone (index-only scans) and not the table. Unless the
 * organization lets the IdP see existing users, user lists also filter on `managed_by = 'scim'`;
 * that column was not in the index, so every skipped or counted row cost a heap fetch. The index
 * now carries it as a non-key column (`include`): the filter is checked in the index, and the key,
 * hence the order it serves and its size per entry, barely changes.
 *
 * `groups__created` stays as it is: group lists have no visibility filter (the SCIM service lists
 * every group of the organization), so they already page and count from the index alone.
 *
 * The new index is built under a temporary name before the old one is dropped: the exclusive lock
 * the drop takes (it blocks reads too) is then held only for the end of the migration's
 * transaction, not for the build. The build blocks writes to `members` while it runs (about a
 * second per million rows).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index members__created_next on members (org_id, created_at, id) include (managed_by)`.execute(
    db,
  );
  await sql`drop index members__created`.execute(db);
  await sql`alter index members__created_next rename to members__created`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`create index members__created_previous on members (org_id, created_at, id)`.execute(db);
  await sql`drop index members__created`.execute(db);
  await sql`alter index members__created_previous rename to members__created`.execute(db);
}
