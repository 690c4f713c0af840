/**
 * Roster distributes its own schema on Citus (citus.ts), on a real cluster: a coordinator and two
 * workers from the machine's binaries (packages/testkit). Where Citus is not installed these tests
 * are skipped with one line saying so, except under CI=true, where they run and fail.
 */
import { type CitusCluster, citusAvailability, startCitus } from '@roster/testkit/citus';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distributeInTransaction, distributeSchema } from './citus.js';
import { connectDatabase, type DatabaseHandle } from './connect.js';
import { migrateToLatest } from './migrator.js';
import type { Database } from './tables.js';

const availability = await citusAvailability();
const ci = !['', '0', 'false'].includes((process.env.CI ?? '').trim().toLowerCase());
if (!availability.available && !ci) console.log(`NOT RUN: Citus schema tests — ${availability.reason}`);

async function placements(db: Kysely<Database>): Promise<Record<string, string>> {
  const { rows } = await sql<{ name: string; type: string }>`
    select table_name::text as name, citus_table_type as type from citus_tables order by 1`.execute(db);
  return Object.fromEntries(rows.map((row) => [row.name, row.type]));
}

describe.skipIf(!availability.available && !ci)('on Citus', () => {
  let cluster: CitusCluster;
  let handle: DatabaseHandle;
  let db: Kysely<Database>;
  beforeAll(async () => {
    cluster = await startCitus();
    handle = connectDatabase({ url: await cluster.createDatabase({ failOnFanOut: false }) });
    db = handle.db;
    await migrateToLatest(db);
  }, 300_000);
  afterAll(async () => {
    await handle?.close();
    await cluster?.stop();
  });

  it('migrating distributes every table with org_id by it, colocated, and makes organizations a reference table', async () => {
    const { rows: tenantTables } = await sql<{ name: string }>`
      select table_name as name from information_schema.columns
      where table_schema = 'public' and column_name = 'org_id' order by 1`.execute(db);
    expect(tenantTables.length).toBeGreaterThan(10);
    const types = await placements(db);
    expect(types.organizations).toBe('reference');
    for (const { name } of tenantTables) expect(types[name], name).toBe('distributed');
    expect(types).not.toHaveProperty('kysely_migration');

    const { rows } = await sql<{ colocations: number; columns: string[] }>`
      select count(distinct colocation_id)::int as colocations, array_agg(distinct distribution_column) as columns
      from citus_tables where citus_table_type = 'distributed'`.execute(db);
    expect(rows[0]).toEqual({ colocations: 1, columns: ['org_id'] });
  });

  it('keeps every foreign key', async () => {
    const { rows } = await sql<{ name: string }>`
      select conname as name from pg_constraint where contype = 'f' and connamespace = 'public'::regnamespace
      order by 1`.execute(db);
    expect(rows.map((r) => r.name)).toEqual(
      expect.arrayContaining(['api_keys__org_fk', 'group_members__group_fk', 'member_emails__member_fk']),
    );
    // Enforced: a member of an organization that does not exist is refused.
    await expect(
      sql`insert into api_keys (org_id, id, kind, name, scopes, secret_hash)
          values (gen_random_uuid(), 'k', 'system', 'x', '{}', 'x')`.execute(db),
    ).rejects.toThrow(/foreign key/);
  });

  it('running again does nothing', async () => {
    expect(await distributeSchema(db)).toEqual({ reference: [], distributed: [] });
  });

  it('a table a later migration adds is distributed the next time, its foreign keys kept', async () => {
    await sql`
      create table later_things (
        org_id uuid not null constraint later_things__org_fk references organizations (id) on delete cascade,
        id uuid not null,
        constraint later_things_pk primary key (org_id, id)
      )`.execute(db);
    await sql`
      create table later_settings (
        key text primary key,
        default_org uuid constraint later_settings__org_fk references organizations (id)
      )`.execute(db);
    expect(await distributeSchema(db)).toEqual({
      reference: ['later_settings'],
      distributed: ['later_things'],
    });
    const types = await placements(db);
    expect(types.later_things).toBe('distributed');
    expect(types.later_settings).toBe('reference');
    const { rows } = await sql<{ name: string }>`
      select conname as name from pg_constraint where conrelid = 'later_things'::regclass and contype = 'f'`.execute(
      db,
    );
    expect(rows.map((r) => r.name)).toEqual(['later_things__org_fk']);
    expect(await distributeSchema(db)).toEqual({ reference: [], distributed: [] });
    await sql`drop table later_things, later_settings`.execute(db);
  });

  it('a later table with an identity column: distributed inside its migration, before its keys', async () => {
    await db.transaction().execute(async (trx) => {
      await sql`
        create table later_events (
          org_id uuid not null, id uuid not null, seq bigint generated always as identity,
          constraint later_events_pk primary key (org_id, id)
        )`.execute(trx);
      expect(await distributeInTransaction(trx)).toEqual({ reference: [], distributed: ['later_events'] });
      await sql`alter table later_events add constraint later_events__org_fk foreign key (org_id)
        references organizations (id) on delete cascade`.execute(trx);
    });
    expect((await placements(db)).later_events).toBe('distributed');
    await sql`drop table later_events`.execute(db);
  });
});
