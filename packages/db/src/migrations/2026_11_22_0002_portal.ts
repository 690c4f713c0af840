import { type Kysely, sql } from 'kysely';

/**
 * The portal's side of an organization: RBAC, the identity configuration (SSO and provisioning
 * settings, one row per organization), personal keys tied to members, and the audit trail.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table organizations add column rbac_enabled boolean not null default false`.execute(db);

  // A personal key dies with its member.
  await sql`
    alter table api_keys add constraint api_keys__member_fk foreign key (org_id, member_id)
      references members (org_id, id) on delete cascade`.execute(db);
  await sql`create index api_keys__member on api_keys (org_id, member_id)`.execute(db);

  await sql`
    create table identity_configs (
      org_id uuid primary key constraint identity_configs__org_fk references organizations (id) on delete cascade,
      sso_enabled boolean not null default false,
      oidc_issuer text,
      oidc_client_id text,
      -- The IdP's client secret must be presented to the IdP, so it cannot be hashed: it is stored
      -- encrypted (AES-256-GCM) under the server's ROSTER_SECRET_KEY.
      oidc_client_secret_encrypted text,
      provisioning_mode text not null default 'manual'
        constraint identity_configs__provisioning_mode check (provisioning_mode in ('manual', 'identity_provider')),
      scim_enabled boolean not null default false,
      scim_auth_method text not null default 'http_header'
        constraint identity_configs__scim_auth_method check (scim_auth_method in ('http_header', 'oauth2')),
      provision_existing_users boolean not null default false,
      sync_groups boolean not null default false,
      -- OAuth 2.0 client of the IdP (client credentials): the secret is ours to verify, so only its
      -- hash. The token endpoint is per organization, so the client id needs no global index.
      oauth_client_id text,
      oauth_client_secret_hash text,
      updated_at timestamptz not null default now()
    )`.execute(db);

  // The audit trail outlives what it describes: no foreign key to members, groups or keys.
  await sql`
    create table audit_events (
      org_id uuid not null constraint audit_events__org_fk references organizations (id) on delete cascade,
      id uuid not null,
      -- Insertion order: the stable cursor for paging (timestamps tie, and lose precision in JS).
      seq bigint generated always as identity,
      occurred_at timestamptz not null default now(),
      actor_type text not null constraint audit_events__actor_type check (actor_type in ('member', 'api_key', 'oauth_client', 'system')),
      actor_id text,
      idp text,
      action text not null,
      target_type text,
      target_id text,
      changes jsonb,
      constraint audit_events__pk primary key (org_id, id)
    )`.execute(db);
  await sql`create index audit_events__seq on audit_events (org_id, seq desc)`.execute(db);
  await sql`create index audit_events__time on audit_events (org_id, occurred_at)`.execute(db);
  await sql`create index audit_events__action on audit_events (org_id, action, seq desc)`.execute(db);
  await sql`create index audit_events__target on audit_events (org_id, target_type, target_id, seq desc)`.execute(
    db,
  );
  await sql`create index audit_events__actor on audit_events (org_id, actor_id, seq desc)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_events').execute();
  await db.schema.dropTable('identity_configs').execute();
  await sql`drop index api_keys__member`.execute(db);
  await sql`alter table api_keys drop constraint api_keys__member_fk`.execute(db);
  await sql`alter table organizations drop column rbac_enabled`.execute(db);
}
