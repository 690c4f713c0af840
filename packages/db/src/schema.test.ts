import type {} from '@roster/testkit/vitest-global-setup';
import { type Kysely, Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from './connect.js';
import { uniqueViolation } from './errors.js';
import * as paging from './migrations/2026_11_22_0006_paging.js';
import { migrateToLatest, provider } from './migrator.js';
import type { Database } from './tables.js';

describe.each([
  ['PostgreSQL', () => connectDatabase({ url: inject('databaseUrl') })],
  ['PGlite', () => connectDatabase({ dataDir: 'memory://' })],
])('schema on %s', (_name, connect) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = connect();
    await migrateToLatest(handle.db);
  });
  afterAll(async () => handle?.close());

  it('migrates, and migrating again is a no-op', async () => {
    await migrateToLatest(handle.db);
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = 'public' and table_name not like 'kysely_%'
      order by table_name`.execute(handle.db);
    expect(tables.rows.map((r) => r.table_name)).toEqual([
      'api_keys',
      'audit_events',
      'event_sequences',
      'events',
      'group_members',
      'groups',
      'identity_configs',
      'member_emails',
      'member_sign_in_bindings',
      'members',
      'oauth_authorization_codes',
      'oauth_client_secrets',
      'oauth_refresh_tokens',
      'organizations',
      'portal_sessions',
      'provisioning_activity',
      'provisioning_minutes',
      'rate_limit_windows',
      'saml_used_assertions',
      'setup_links',
      'sso_sign_in_tests',
      'webhook_attempts',
      'webhook_deliveries',
      'webhook_endpoints',
    ]);
  });

  it('leads every index of a tenant table with org_id (so data can be distributed by organization)', async () => {
    const indexes = await sql<{ tablename: string; indexname: string; indexdef: string }>`
      select tablename, indexname, indexdef from pg_indexes
      where schemaname = 'public' and tablename not in ('organizations') and tablename not like 'kysely_%'`.execute(
      handle.db,
    );
    expect(indexes.rows.length).toBeGreaterThan(8);
    for (const index of indexes.rows) {
      expect(index.indexdef, index.indexname).toMatch(/\(org_id[,)]/);
    }
  });

  it('leads every primary key, unique constraint and foreign key of a tenant table with org_id', async () => {
    // Keys that lead with org_id keep every row, and every reference between rows, inside one
    // organization: a foreign key to another tenant table names the organization on both sides,
    // so a row can never point at another organization's row.
    const constraints = await sql<{
      table_name: string;
      name: string;
      type: 'p' | 'u' | 'f';
      columns: string;
      referenced_table: string | null;
      referenced_columns: string | null;
    }>`
      select t.relname as table_name, c.conname as name, c.contype as type,
        (select string_agg(a.attname, ',' order by k.n) from unnest(c.conkey) with ordinality as k(attnum, n)
          join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum) as columns,
        r.relname as referenced_table,
        (select string_agg(a.attname, ',' order by k.n) from unnest(c.confkey) with ordinality as k(attnum, n)
          join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.attnum) as referenced_columns
      from pg_constraint c
      join pg_class t on t.oid = c.conrelid
      join pg_namespace s on s.oid = t.relnamespace
      left join pg_class r on r.oid = c.confrelid
      where s.nspname = 'public' and c.contype in ('p', 'u', 'f')
        and t.relname <> 'organizations' and t.relname not like 'kysely_%'
      order by t.relname, c.conname`.execute(handle.db);
    expect(constraints.rows.filter((c) => c.type === 'p').length).toBeGreaterThan(8);
    expect(constraints.rows.filter((c) => c.type === 'f').length).toBeGreaterThan(8);
    const violations: string[] = [];
    for (const c of constraints.rows) {
      const label = `${c.table_name}.${c.name} (${c.columns})`;
      if (c.columns.split(',')[0] !== 'org_id') violations.push(`${label} does not lead with org_id`);
      if (c.type !== 'f') continue;
      if (c.referenced_table === 'organizations') {
        if (c.columns !== 'org_id') violations.push(`${label} references organizations by more than org_id`);
      } else if (c.referenced_columns?.split(',')[0] !== 'org_id') {
        violations.push(
          `${label} references ${c.referenced_table} (${c.referenced_columns}) without its org_id`,
        );
      }
    }
    expect(violations).toEqual([]);
  });

  it('carries managed_by in members__created, so that lists of scim-managed users page in the index alone', async () => {
    const definition = async (db: Kysely<Database>) => {
      const result = await sql<{ indexdef: string }>`
        select indexdef from pg_indexes where schemaname = 'public' and indexname = 'members__created'`.execute(
        db,
      );
      return result.rows.map((row) => row.indexdef.replace(/^.* USING btree /, ''));
    };
    expect(await definition(handle.db)).toEqual(['(org_id, created_at, id) INCLUDE (managed_by)']);
    // Down restores the index as it was, and up again replaces it.
    await handle.db.transaction().execute(async (trx) => {
      await paging.down(trx);
      expect(await definition(trx)).toEqual(['(org_id, created_at, id)']);
      await paging.up(trx);
      expect(await definition(trx)).toEqual(['(org_id, created_at, id) INCLUDE (managed_by)']);
    });
  });

  it('reports a duplicate userName by the constraint name the SCIM layer maps to 409', async () => {
    const orgId = crypto.randomUUID();
    await handle.db
      .insertInto('organizations')
      .values({ id: orgId, slug: `s${orgId.slice(0, 8)}`, name: 'x' })
      .execute();
    const member = (userName: string) => ({
      org_id: orgId,
      id: crypto.randomUUID(),
      user_name: userName,
      external_id: null,
      display_name: null,
      data: JSON.stringify({ userName }),
    });
    await handle.db.insertInto('members').values(member('Alice@Example.com')).execute();
    const error = await handle.db
      .insertInto('members')
      .values(member('alice@example.COM'))
      .execute()
      .catch((e: unknown) => e);
    expect(uniqueViolation(error)).toBe('members__user_name');
  });
});

describe('2026_12_07_0030_limits_and_tokens on PGlite', () => {
  it("moves each organization's OAuth client secret into oauth_client_secrets, and gives refresh tokens a family and an expiry", async () => {
    const handle = connectDatabase({ dataDir: 'memory://' });
    try {
      // biome-ignore lint/suspicious/noExplicitAny: the schema before the migration
      const db = handle.db as Kysely<any>;
      const migrator = new Migrator({ db, provider });
      expect((await migrator.migrateTo('2026_11_22_0007_rate_limits')).error).toBeUndefined();
      const orgId = '00000000-0000-4000-8000-000000000001';
      await sql`insert into organizations (id, slug, name) values (${orgId}, 'old', 'Old')`.execute(db);
      await sql`insert into identity_configs (org_id, oauth_client_id, oauth_client_secret_hash)
        values (${orgId}, 'roster-old', 'the-hash')`.execute(db);
      await sql`insert into oauth_refresh_tokens (org_id, id, secret_hash, client_id, scope)
        values (${orgId}, 'aaaaaaaaaaaaaaaa', 'h', 'roster-old', 'scim')`.execute(db);

      await migrateToLatest(handle.db);
      const secrets = await handle.db.selectFrom('oauth_client_secrets').selectAll().execute();
      expect(secrets).toEqual([
        expect.objectContaining({
          org_id: orgId,
          id: expect.stringMatching(/^[0-9a-f]{16}$/),
          secret_hash: 'the-hash',
          expires_at: null,
          revoked_at: null,
        }),
      ]);
      const token = await handle.db.selectFrom('oauth_refresh_tokens').selectAll().executeTakeFirstOrThrow();
      expect(token.family_id).toBe('aaaaaaaaaaaaaaaa');
      expect(new Date(token.expires_at).getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 3600_000);
      expect(token.used_at).toBeNull();
    } finally {
      await handle.close();
    }
  });
});
