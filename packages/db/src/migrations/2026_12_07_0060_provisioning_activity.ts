import { type Kysely, sql } from 'kysely';

/**
 * Provisioning activity: one row per SCIM request that reached an organization, with
 * its outcome (status, scimType, detail) and never a body or a secret; and per-minute counts per
 * credential, which the health view reads instead of counting rows. Both are written in batches
 * by packages/activity, and old rows are deleted in batches (retention).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table provisioning_activity (
      org_id uuid not null constraint provisioning_activity__org_fk references organizations (id) on delete cascade,
      id bigint generated always as identity,
      at timestamptz not null,
      request_id text not null,
      credential_type text,
      credential_id text,
      idp text,
      method text not null,
      resource_type text,
      resource_id text,
      status smallint not null,
      scim_type text,
      detail text,
      duration_ms integer not null,
      constraint provisioning_activity__pk primary key (org_id, id)
    )`.execute(db);
  // Newest first per organization (the activity list and its cursor), and retention's range (one
  // organization at a time: every index of a tenant table leads with org_id).
  await sql`create index provisioning_activity__org_at on provisioning_activity (org_id, at desc, id desc)`.execute(
    db,
  );
  await sql`
    create table provisioning_minutes (
      org_id uuid not null constraint provisioning_minutes__org_fk references organizations (id) on delete cascade,
      credential text not null,
      minute timestamptz not null,
      requests integer not null,
      failures integer not null,
      constraint provisioning_minutes__pk primary key (org_id, credential, minute)
    )`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('provisioning_minutes').execute();
  await db.schema.dropTable('provisioning_activity').execute();
}
