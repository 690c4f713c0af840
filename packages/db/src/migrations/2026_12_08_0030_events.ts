import { type Kysely, sql } from 'kysely';

/**
 * Provisioning events: the transactional outbox every change writes its event into, in the
 * change's own transaction, and the pull feed's source. `event_sequences` holds each
 * organization's counter; taking numbers from it locks the organization's row until commit, so
 * sequence order is commit order and a reader at `after=N` never skips a late committer.
 * No index beyond the primary key: the feed reads by (org_id, sequence), and retention deletes
 * from the oldest sequence up (sequence order is, to within a transaction's length, time order).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table event_sequences (
      org_id uuid constraint event_sequences__pk primary key
        constraint event_sequences__org_fk references organizations (id) on delete cascade,
      last_sequence bigint not null default 0
    )`.execute(db);
  await sql`
    create table events (
      org_id uuid not null constraint events__org_fk references organizations (id) on delete cascade,
      sequence bigint not null,
      id uuid not null,
      type text not null,
      occurred_at timestamptz not null default now(),
      actor jsonb not null,
      data jsonb not null,
      constraint events__pk primary key (org_id, sequence)
    )`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('events').execute();
  await db.schema.dropTable('event_sequences').execute();
}
