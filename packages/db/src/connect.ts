import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { PreparingClient } from './prepared-statements.js';
import type { Database } from './tables.js';

export interface DatabaseOptions {
  /** `postgres://…`: PostgreSQL, what production uses. Absent: the embedded PGlite database. */
  url?: string | undefined;
  /** Where PGlite keeps its files (default `.data/pglite`). */
  dataDir?: string | undefined;
  /** Pool size for PostgreSQL. */
  maxConnections?: number | undefined;
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

// Return bigint counts as numbers and keep timestamps as Date; 20 = int8.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

export function connectDatabase(options: DatabaseOptions = {}): DatabaseHandle {
  if (options.url) {
    const pool = new pg.Pool({
      connectionString: options.url,
      Client: PreparingClient,
      max: options.maxConnections ?? 20,
      // Fail fast while the database is unreachable instead of queueing requests forever.
      connectionTimeoutMillis: 5_000,
    });
    // An idle client losing its connection (database restart) must not crash the process.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  const dataDir = options.dataDir ?? '.data/pglite';
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(new PGlite(dataDir)) });
  return { db, kind: 'pglite', close: () => db.destroy() };
}
