import { type Kysely, sql } from 'kysely';

/**
 * Sign-in binds the right person: which one claim (OIDC) or attribute (SAML, null: the NameID)
 * names the member's userName, and each member's binding to the identity provider's account
 * (issuer, subject) made at their first sign-in. A member has at most one binding, and an
 * account binds at most one member of an organization.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table identity_configs
      add column oidc_user_name_claim text not null default 'email'
        constraint identity_configs__oidc_user_name_claim_ck
          check (oidc_user_name_claim in ('email', 'preferred_username', 'upn')),
      add column saml_user_name_attribute text`.execute(db);
  await sql`
    create table member_sign_in_bindings (
      org_id uuid not null,
      member_id uuid not null,
      issuer text not null,
      subject text not null,
      bound_at timestamptz not null default now(),
      constraint member_sign_in_bindings__pk primary key (org_id, member_id),
      constraint member_sign_in_bindings__member_fk foreign key (org_id, member_id)
        references members (org_id, id) on delete cascade,
      constraint member_sign_in_bindings__subject_uq unique (org_id, issuer, subject)
    )`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('member_sign_in_bindings').execute();
  await sql`
    alter table identity_configs drop column oidc_user_name_claim, drop column saml_user_name_attribute`.execute(
    db,
  );
}
