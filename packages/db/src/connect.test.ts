import type {} from '@roster/testkit/vitest-global-setup';
import { sql } from 'kysely';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from './connect.js';
import { isUnavailable } from './errors.js';

const handles: DatabaseHandle[] = [];
const connect = (options: Parameters<typeof connectDatabase>[0] = {}) => {
  const handle = connectDatabase({ url: inject('databaseUrl'), ...options });
  handles.push(handle);
  return handle;
};
afterEach(async () => {
  for (const handle of handles.splice(0)) await handle.close();
});

const backendPid = async (db: DatabaseHandle['db']) =>
  (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)).rows[0]?.pid as number;

describe('PostgreSQL connections that break', () => {
  it('a connection lost inside a transaction, between two queries, fails the transaction (503), not the process', async () => {
    // node-postgres emits 'error' on a checked-out client whose connection ends; unhandled, that
    // event is thrown and ends the process (vitest reports it as an unhandled error).
    const { db } = connect({ maxConnections: 1 });
    const admin = connect({ maxConnections: 1 });
    const failure = await db
      .transaction()
      .execute(async (trx) => {
        const pid = await backendPid(trx);
        await sql`select pg_terminate_backend(${pid})`.execute(admin.db);
        await new Promise((resolve) => setTimeout(resolve, 300)); // the connection's end arrives here
        await sql`select 1`.execute(trx);
      })
      .catch((error: unknown) => error);
    expect(isUnavailable(failure), String(failure)).toBe(true);
    // The pool dropped the broken connection and opens a new one.
    expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }]);
  });

  it.skipIf(Boolean(process.env.DATABASE_URL))(
    'a connection whose server stops answering times out (503) and is replaced',
    async () => {
      const { db } = connect({ maxConnections: 1, queryTimeoutMs: 200 });
      const pid = await backendPid(db);
      process.kill(pid, 'SIGSTOP'); // this connection's backend only: the rest of the server runs on
      try {
        const failure = await sql`select 1`.execute(db).catch((error: unknown) => error);
        expect((failure as Error).message).toBe('Query read timeout');
        expect(isUnavailable(failure)).toBe(true);
        // Kept, the connection would stay blocked behind the unanswered query, and this one would time out too.
        expect(await backendPid(db)).not.toBe(pid);
      } finally {
        process.kill(pid, 'SIGCONT');
      }
    },
  );

  it('a query slower than the query timeout fails (503), and the pool carries on', async () => {
    const { db } = connect({ maxConnections: 1, queryTimeoutMs: 200 });
    const failure = await sql`select pg_sleep(5)`.execute(db).catch((error: unknown) => error);
    expect(isUnavailable(failure)).toBe(true);
    expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }]);
  });

  it('a statement cancelled by the server (a statement_timeout set by an administrator: 57014) is a 503', async () => {
    const { db } = connect({ maxConnections: 1 });
    const failure = await db
      .transaction()
      .execute(async (trx) => {
        await sql`set local statement_timeout = 100`.execute(trx);
        await sql`select pg_sleep(5)`.execute(trx);
      })
      .catch((error: unknown) => error);
    expect((failure as { code?: string }).code).toBe('57014');
    expect(isUnavailable(failure)).toBe(true);
  });
});
