import { type Kysely, sql } from 'kysely';

/**
 * Portal sessions from single sign-on: a server-side record behind the browser's cookie, so a
 * session can be ended at once (sign-out, deactivation, deletion) and not only when it expires.
 * The cookie carries the id and a secret; only the secret's hash is stored. Sessions die with
 * their member.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table portal_sessions (
      org_id uuid not null constraint portal_sessions__org_fk references organizations (id) on delete cascade,
      id text not null,
      secret_hash text not null,
      member_id uuid not null,
      method text not null constraint portal_sessions__method_ck check (method in ('oidc', 'saml')),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      revoked_at timestamptz,
      constraint portal_sessions__pk primary key (org_id, id),
      constraint portal_sessions__member_fk foreign key (org_id, member_id)
        references members (org_id, id) on delete cascade
    )`.execute(db);
  await sql`create index portal_sessions__member_ix on portal_sessions (org_id, member_id)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('portal_sessions').execute();
}
