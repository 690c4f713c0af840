import { type Kysely, sql } from 'kysely';

/**
 * The exact times of a minute's last request, last success and last failure, so that the health
 * view's "last request" is the request's time rather than the start of its minute. Rows written
 * before this migration have none; readers fall back to the minute.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table provisioning_minutes
      add column last_at timestamptz,
      add column last_success_at timestamptz,
      add column last_failure_at timestamptz`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    alter table provisioning_minutes
      drop column last_at, drop column last_success_at, drop column last_failure_at`.execute(db);
}
