import type {} from '@roster/testkit/vitest-global-setup';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from './connect.js';
import { isUnavailable } from './errors.js';

describe('prepared statements on PostgreSQL connections', () => {
  // One connection, so the tables made here can be temporary: schema.test.ts, running at the same
  // time on the same database, checks every table of the public schema.
  let handle: DatabaseHandle;
  beforeAll(() => {
    handle = connectDatabase({ url: inject('databaseUrl'), maxConnections: 1 });
  });
  afterAll(async () => handle?.close());

  const preparedTexts = async () =>
    (
      await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(handle.db)
    ).rows.map((r) => r.statement);

  it('prepares a parameterized query once and reuses it', async () => {
    for (const n of [1, 2, 3]) {
      const { rows } = await sql<{ n: number }>`select ${n}::int + 1 as n`.execute(handle.db);
      expect(rows[0]?.n).toBe(n + 1);
    }
    expect((await preparedTexts()).filter((text) => text === 'select $1::int + 1 as n')).toHaveLength(1);
  });

  it('runs statements without parameters unnamed', async () => {
    await sql`select 42 as answer`.execute(handle.db);
    expect(await preparedTexts()).not.toContain('select 42 as answer');
  });

  it('keeps preparing after a statement fails with 0A000 for another reason', async () => {
    const table = sql.table(`prep_other_${Date.now()}`);
    await sql`create temp table ${table} (id int primary key)`.execute(handle.db);
    const unsupported =
      await sql`select ${1}::int as n from ${table} left join ${table} as o on true for update of o`
        .execute(handle.db)
        .catch((error: unknown) => error);
    expect((unsupported as { code?: string }).code).toBe('0A000');
    expect(isUnavailable(unsupported)).toBe(false);
    await sql`select ${1}::int * 7 as n`.execute(handle.db);
    expect(await preparedTexts()).toContain('select $1::int * 7 as n');
  });

  it('keeps working after a migration changes the shape of a prepared select *', async () => {
    const table = sql.table(`prep_${Date.now()}`);
    await sql`create temp table ${table} (id int primary key)`.execute(handle.db);
    await sql`insert into ${table} values (1)`.execute(handle.db);
    const read = () =>
      sql<Record<string, unknown>>`select * from ${table} where id = ${1}`.execute(handle.db);
    expect((await read()).rows).toEqual([{ id: 1 }]);
    await sql`alter table ${table} add column label text default 'x'`.execute(handle.db);
    // PostgreSQL refuses the cached plan once ("cached plan must not change result type")…
    const refused = await read().catch((error: unknown) => error);
    expect((refused as { code?: string }).code).toBe('0A000');
    expect(isUnavailable(refused)).toBe(true); // answered 503 with Retry-After, not 500
    // …and the connection then runs unprepared, seeing the new column.
    expect((await read()).rows).toEqual([{ id: 1, label: 'x' }]);
  });
});
