import { type Kysely, sql } from 'kysely';

/**
 * The SCIM core: organizations, their API keys, members (SCIM Users) and groups.
 *
 * Every key and index leads with `org_id`, so each lookup stays inside one organization and the
 * tables can later be distributed by organization (Citus). Constraint and index names follow
 * `table__purpose`: the SCIM error mapping recognises uniqueness violations by these names.
 *
 * Migrations are frozen in time: they take `Kysely<any>` and never import application code.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's table types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table organizations (
      id uuid primary key,
      slug text not null constraint organizations__slug unique,
      name text not null,
      plan text not null default 'enterprise' constraint organizations__plan check (plan in ('free', 'team', 'enterprise')),
      created_at timestamptz not null default now()
    )`.execute(db);

  // A key's secret is never stored: only its SHA-256 (the secret is 256 random bits, so a slow
  // password hash would add nothing but latency on every request).
  await sql`
    create table api_keys (
      org_id uuid not null constraint api_keys__org_fk references organizations (id) on delete cascade,
      id text not null,
      kind text not null constraint api_keys__kind check (kind in ('system', 'personal')),
      name text not null,
      scopes text[] not null,
      secret_hash text not null,
      member_id uuid,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz,
      constraint api_keys__pk primary key (org_id, id)
    )`.execute(db);

  // `data` holds the canonical SCIM attributes exactly as sent; the scalar columns are indexed
  // copies of the attributes IdPs filter on.
  await sql`
    create table members (
      org_id uuid not null constraint members__org_fk references organizations (id) on delete cascade,
      id uuid not null,
      user_name text not null,
      external_id text,
      display_name text,
      active boolean not null default true,
      role text not null default 'basic' constraint members__role check (role in ('basic', 'manager')),
      managed_by text not null default 'scim' constraint members__managed_by check (managed_by in ('portal', 'scim')),
      data jsonb not null,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint members__pk primary key (org_id, id)
    )`.execute(db);
  // userName is unique case-insensitively (RFC 7643 §4.1.1: caseExact false, uniqueness server).
  await sql`create unique index members__user_name on members (org_id, lower(user_name))`.execute(db);
  await sql`create index members__external_id on members (org_id, external_id)`.execute(db);
  await sql`create index members__display_name on members (org_id, lower(display_name))`.execute(db);
  await sql`create index members__created on members (org_id, created_at, id)`.execute(db);

  // Email values in their own table so that `emails eq "x"` and `emails[type eq "work"].value eq "x"`
  // (Entra and Ping match users this way) are index lookups.
  await sql`
    create table member_emails (
      org_id uuid not null,
      member_id uuid not null,
      position integer not null,
      value text not null,
      type text,
      constraint member_emails__pk primary key (org_id, member_id, position),
      constraint member_emails__member_fk foreign key (org_id, member_id)
        references members (org_id, id) on delete cascade
    )`.execute(db);
  await sql`create index member_emails__value on member_emails (org_id, lower(value))`.execute(db);

  await sql`
    create table groups (
      org_id uuid not null constraint groups__org_fk references organizations (id) on delete cascade,
      id uuid not null,
      display_name text not null,
      external_id text,
      role text constraint groups__role check (role in ('basic', 'manager')),
      managed_by text not null default 'scim' constraint groups__managed_by check (managed_by in ('portal', 'scim')),
      data jsonb not null,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint groups__pk primary key (org_id, id)
    )`.execute(db);
  await sql`create unique index groups__display_name on groups (org_id, lower(display_name))`.execute(db);
  await sql`create index groups__external_id on groups (org_id, external_id)`.execute(db);
  await sql`create index groups__created on groups (org_id, created_at, id)`.execute(db);

  // Membership is one row per (group, member): adding or removing one member touches one row,
  // whatever the group's size. `display` keeps the label the client sent, as sent.
  await sql`
    create table group_members (
      org_id uuid not null,
      group_id uuid not null,
      member_id uuid not null,
      display text,
      created_at timestamptz not null default now(),
      constraint group_members__pk primary key (org_id, group_id, member_id),
      constraint group_members__group_fk foreign key (org_id, group_id)
        references groups (org_id, id) on delete cascade,
      constraint group_members__member_fk foreign key (org_id, member_id)
        references members (org_id, id) on delete cascade
    )`.execute(db);
  await sql`create index group_members__member on group_members (org_id, member_id)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['group_members', 'groups', 'member_emails', 'members', 'api_keys', 'organizations']) {
    await db.schema.dropTable(table).execute();
  }
}
