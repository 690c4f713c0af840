import { type Kysely, sql } from 'kysely';

/**
 * Limits and tokens:
 * - an OAuth client holds its secrets in a table of their own, so that it can have two live at
 *   once while an identity provider moves to the new one (Entra's gallery rotation), each with an
 *   optional expiry and a last-use time; the one secret kept on the identity configuration moves there;
 * - API keys get an optional expiry;
 * - refresh tokens expire, rotate on use (`used_at`) and belong to a family (one approval): a
 *   rotated token presented again, or the approval's code replayed, revokes the family.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table oauth_client_secrets (
      org_id uuid not null constraint oauth_client_secrets__org_fk references organizations (id) on delete cascade,
      id text not null,
      secret_hash text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz,
      last_used_at timestamptz,
      revoked_at timestamptz,
      constraint oauth_client_secrets__pk primary key (org_id, id)
    )`.execute(db);
  await sql`
    insert into oauth_client_secrets (org_id, id, secret_hash)
    select org_id, substr(md5(random()::text || org_id::text), 1, 16), oauth_client_secret_hash
    from identity_configs where oauth_client_secret_hash is not null`.execute(db);
  await sql`alter table identity_configs drop column oauth_client_secret_hash`.execute(db);

  await sql`alter table api_keys add column expires_at timestamptz`.execute(db);

  // Tokens issued before this migration each start a family of their own and get the default 30 days.
  await sql`alter table oauth_refresh_tokens add column family_id text`.execute(db);
  await sql`update oauth_refresh_tokens set family_id = id`.execute(db);
  await sql`alter table oauth_refresh_tokens alter column family_id set not null`.execute(db);
  await sql`alter table oauth_refresh_tokens add column expires_at timestamptz not null default now() + interval '30 days'`.execute(
    db,
  );
  await sql`alter table oauth_refresh_tokens alter column expires_at drop default`.execute(db);
  await sql`alter table oauth_refresh_tokens add column used_at timestamptz`.execute(db);
  await sql`create index oauth_refresh_tokens__family on oauth_refresh_tokens (org_id, family_id)`.execute(
    db,
  );

  // The family the code's exchange started (set on redemption), and whether /authorize was sent a
  // redirect_uri, which the exchange must then repeat (RFC 6749 §4.1.3).
  await sql`alter table oauth_authorization_codes add column family_id text`.execute(db);
  await sql`alter table oauth_authorization_codes add column redirect_uri_sent boolean not null default false`.execute(
    db,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table oauth_authorization_codes drop column redirect_uri_sent`.execute(db);
  await sql`alter table oauth_authorization_codes drop column family_id`.execute(db);
  await sql`drop index oauth_refresh_tokens__family`.execute(db);
  await sql`alter table oauth_refresh_tokens drop column used_at`.execute(db);
  await sql`alter table oauth_refresh_tokens drop column expires_at`.execute(db);
  await sql`alter table oauth_refresh_tokens drop column family_id`.execute(db);
  await sql`alter table api_keys drop column expires_at`.execute(db);
  await sql`alter table identity_configs add column oauth_client_secret_hash text`.execute(db);
  await sql`
    update identity_configs c set oauth_client_secret_hash = (
      select s.secret_hash from oauth_client_secrets s
      where s.org_id = c.org_id and s.revoked_at is null order by s.created_at desc limit 1)`.execute(db);
  await db.schema.dropTable('oauth_client_secrets').execute();
}
