import { type Kysely, sql } from 'kysely';

/**
 * The OAuth 2.0 authorization server for SCIM clients: the redirect URIs an administrator
 * registers for the authorization-code grant, the codes a manager's approval issues (single use,
 * minutes long), and the refresh tokens the code exchange hands out (Entra refreshes at the start
 * of each cycle). Codes and refresh tokens are stored only as hashes.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table identity_configs add column oauth_redirect_uris text[] not null default '{}'`.execute(
    db,
  );

  await sql`
    create table oauth_authorization_codes (
      org_id uuid not null constraint oauth_authorization_codes__org_fk references organizations (id) on delete cascade,
      code_hash text not null,
      client_id text not null,
      redirect_uri text not null,
      code_challenge text not null,
      scope text not null,
      -- The manager who approved; the approval dies with them.
      approved_by uuid not null,
      expires_at timestamptz not null,
      used_at timestamptz,
      constraint oauth_authorization_codes__pk primary key (org_id, code_hash),
      constraint oauth_authorization_codes__member_fk foreign key (org_id, approved_by)
        references members (org_id, id) on delete cascade
    )`.execute(db);

  await sql`
    create table oauth_refresh_tokens (
      org_id uuid not null constraint oauth_refresh_tokens__org_fk references organizations (id) on delete cascade,
      id text not null,
      secret_hash text not null,
      client_id text not null,
      scope text not null,
      -- Kept when the approving manager leaves: the grant is the organization's, and rotating the
      -- client secret is the administrator's way to end it.
      approved_by uuid,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz,
      constraint oauth_refresh_tokens__pk primary key (org_id, id)
    )`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('oauth_refresh_tokens').execute();
  await db.schema.dropTable('oauth_authorization_codes').execute();
  await sql`alter table identity_configs drop column oauth_redirect_uris`.execute(db);
}
