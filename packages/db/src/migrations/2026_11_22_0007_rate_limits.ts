import { type Kysely, sql } from 'kysely';

/**
 * Request counts per organization and per credential, in fixed windows, shared by every server
 * process (packages/rate-limit). Each process adds its own counts in batches
 * and reads back the totals, so the table sees a few writes a second per active organization, not
 * one per request. Rows of past windows are deleted as they age.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table rate_limit_windows (
      org_id uuid not null constraint rate_limit_windows__org_fk references organizations (id) on delete cascade,
      bucket text not null,
      window_start timestamptz not null,
      hits integer not null,
      constraint rate_limit_windows__pk primary key (org_id, bucket, window_start)
    )`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_limit_windows').execute();
}
