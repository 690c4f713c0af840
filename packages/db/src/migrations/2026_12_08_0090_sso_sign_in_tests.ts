import { type Kysely, sql } from 'kysely';

/**
 * "Test sign-in" on the SSO page: a manager's round trip to the identity provider with the saved
 * settings, which signs nobody in. A row is the test's state (started by one member, pending for
 * ten minutes, completed once) and its outcome: the identity the provider asserted, or why it failed.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table sso_sign_in_tests (
      org_id uuid not null constraint sso_sign_in_tests__org_fk references organizations (id) on delete cascade,
      id text not null,
      member_id uuid not null,
      protocol text not null constraint sso_sign_in_tests__protocol_ck check (protocol in ('oidc', 'saml')),
      status text not null default 'pending'
        constraint sso_sign_in_tests__status_ck check (status in ('pending', 'succeeded', 'failed')),
      outcome jsonb,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      completed_at timestamptz,
      constraint sso_sign_in_tests__pk primary key (org_id, id),
      constraint sso_sign_in_tests__member_fk foreign key (org_id, member_id)
        references members (org_id, id) on delete cascade
    )`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sso_sign_in_tests').execute();
}
