import { type Kysely, sql } from 'kysely';

/**
 * Webhooks: an organization's endpoints, one delivery row per event to send to an endpoint, and
 * one row per attempt at it. `cursor_sequence` is the last event (by the organization's sequence)
 * the dispatcher has scheduled for the endpoint: sequence order is commit order, so reading after
 * it never skips an event. Deliveries are leased (`lease_expires_at`) by whichever process claims
 * them with FOR UPDATE SKIP LOCKED; a lease of a killed process simply expires. A delivery is
 * retried until `retrying_since` is a retry window old (re-enabling an endpoint restarts it).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table webhook_endpoints (
      org_id uuid not null constraint webhook_endpoints__org_fk references organizations (id) on delete cascade,
      id uuid not null,
      url text not null,
      description text not null default '',
      event_types text[] not null default '{}',
      enabled boolean not null default true,
      secret_sealed text not null,
      cursor_sequence bigint not null default 0,
      failing_since timestamptz,
      disabled_reason text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint webhook_endpoints__pk primary key (org_id, id)
    )`.execute(db);
  await sql`
    create table webhook_deliveries (
      org_id uuid not null,
      id bigint generated always as identity,
      endpoint_id uuid not null,
      event_sequence bigint not null,
      state text not null default 'pending' constraint webhook_deliveries__state_ck
        check (state in ('pending', 'delivered', 'failed')),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null default now(),
      lease_expires_at timestamptz,
      created_at timestamptz not null default now(),
      retrying_since timestamptz not null default now(),
      delivered_at timestamptz,
      constraint webhook_deliveries__pk primary key (org_id, id),
      constraint webhook_deliveries__endpoint_fk foreign key (org_id, endpoint_id)
        references webhook_endpoints (org_id, id) on delete cascade,
      constraint webhook_deliveries__event_fk foreign key (org_id, event_sequence)
        references events (org_id, sequence) on delete cascade
    )`.execute(db);
  // An endpoint's deliveries, newest first (the deliveries list).
  await sql`create index webhook_deliveries__endpoint on webhook_deliveries (org_id, endpoint_id, id desc)`.execute(
    db,
  );
  // What the delivery workers claim: pending rows only, so the index stays as small as the queue
  // (the workers serve every organization and read all of it; led by org_id like every index of a
  // tenant table, so that the data can be distributed by organization).
  await sql`create index webhook_deliveries__due on webhook_deliveries (org_id, next_attempt_at) where state = 'pending'`.execute(
    db,
  );
  // Deleting an event (retention) looks its deliveries up through the foreign key.
  await sql`create index webhook_deliveries__event on webhook_deliveries (org_id, event_sequence)`.execute(
    db,
  );
  await sql`
    create table webhook_attempts (
      org_id uuid not null,
      delivery_id bigint not null,
      attempt integer not null,
      attempted_at timestamptz not null default now(),
      status_code smallint,
      duration_ms integer not null,
      error text,
      response_prefix text,
      constraint webhook_attempts__pk primary key (org_id, delivery_id, attempt),
      constraint webhook_attempts__delivery_fk foreign key (org_id, delivery_id)
        references webhook_deliveries (org_id, id) on delete cascade
    )`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_attempts').execute();
  await db.schema.dropTable('webhook_deliveries').execute();
  await db.schema.dropTable('webhook_endpoints').execute();
}
