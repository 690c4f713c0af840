import { type Kysely, sql } from 'kysely';

/**
 * Onboarding: the demo organization is marked, so the demo never adopts an
 * organization it did not create; one-time setup links sign a new organization's first manager
 * in (only the secret's hash is stored; `used_at` makes a link single use); a session started by
 * one says so in its method.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table organizations add column demo boolean not null default false`.execute(db);
  // The quick start's organization from before this mark, recognisable by what the demo made:
  // marked, so that npm start on an existing folder keeps its demo. Any other "demo" stays unmarked.
  await sql`
    update organizations o set demo = true
    where o.slug = 'demo' and o.name = 'Demo organization'
      and exists (select 1 from members m where m.org_id = o.id and m.user_name = 'admin@demo.example.com')`.execute(
    db,
  );
  await sql`
    create table setup_links (
      org_id uuid not null constraint setup_links__org_fk references organizations (id) on delete cascade,
      id text not null,
      secret_hash text not null,
      member_id uuid not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz,
      constraint setup_links__pk primary key (org_id, id),
      constraint setup_links__member_fk foreign key (org_id, member_id)
        references members (org_id, id) on delete cascade
    )`.execute(db);
  await sql`create index setup_links__member_ix on setup_links (org_id, member_id)`.execute(db);
  await sql`alter table portal_sessions drop constraint portal_sessions__method_ck`.execute(db);
  await sql`
    alter table portal_sessions add constraint portal_sessions__method_ck
      check (method in ('oidc', 'saml', 'setup_link'))`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from portal_sessions where method = 'setup_link'`.execute(db);
  await sql`alter table portal_sessions drop constraint portal_sessions__method_ck`.execute(db);
  await sql`
    alter table portal_sessions add constraint portal_sessions__method_ck
      check (method in ('oidc', 'saml'))`.execute(db);
  await db.schema.dropTable('setup_links').execute();
  await sql`alter table organizations drop column demo`.execute(db);
}
