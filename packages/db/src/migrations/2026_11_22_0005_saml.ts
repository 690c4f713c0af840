import { type Kysely, sql } from 'kysely';

/**
 * SAML 2.0 sign-in beside OpenID Connect: which protocol the organization's SSO speaks, the SAML
 * identity provider's single sign-on URL, entity id and signing certificate, and the ids of the
 * assertions already used, so a captured response cannot sign anyone in twice.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table identity_configs
      add column sso_protocol text not null default 'oidc'
        constraint identity_configs__sso_protocol_ck check (sso_protocol in ('oidc', 'saml')),
      add column saml_entry_point text,
      add column saml_idp_entity_id text,
      add column saml_idp_certificate text`.execute(db);
  await sql`
    create table saml_used_assertions (
      org_id uuid not null constraint saml_used_assertions__org_fk references organizations (id) on delete cascade,
      assertion_id text not null,
      expires_at timestamptz not null,
      constraint saml_used_assertions__pk primary key (org_id, assertion_id)
    )`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('saml_used_assertions').execute();
  await sql`
    alter table identity_configs
      drop column sso_protocol, drop column saml_entry_point, drop column saml_idp_entity_id,
      drop column saml_idp_certificate`.execute(db);
}
