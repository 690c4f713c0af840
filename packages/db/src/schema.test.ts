import type {} from '@roster/testkit/vitest-global-setup';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from './connect.js';
import { uniqueViolation } from './errors.js';
import { migrateToLatest } from './migrator.js';

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
      'group_members',
      'groups',
      'identity_configs',
      'member_emails',
      'members',
      'oauth_authorization_codes',
      'oauth_refresh_tokens',
      'organizations',
      'portal_sessions',
      'saml_used_assertions',
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
