import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import {
  type ChannelSubscriber,
  type ListenOptions,
  listenOnPGlite,
  listenOnPostgres,
  type StopListening,
} from './listen.js';
import { PreparingClient } from './prepared-statements.js';
import type { Database } from './tables.js';

export interface DatabaseOptions {
  /** `postgres://…`: PostgreSQL, what production uses. Absent: the embedded PGlite database. */
  url?: string | undefined;
  /** Where PGlite keeps its files (default `.data/pglite`). */
  dataDir?: string | undefined;
  /** Pool size for PostgreSQL. */
  maxConnections?: number | undefined;
  /**
   * PostgreSQL: how long to wait for the answer to a query (milliseconds; absent or 0: no limit,
   * for bulk work and migrations; the Roster process sets one). Past it the query fails ("Query
   * read timeout", a 503) and its connection is closed, whether the server is slow, frozen, or cut
   * off by the network. Enforced by the client (node-postgres's query_timeout), not with a
   * statement_timeout startup parameter, which PgBouncer refuses unless configured to ignore it.
   */
  queryTimeoutMs?: number | undefined;
  /** PostgreSQL: how long to wait for a connection, new or from the pool (milliseconds, default 5 000). */
  connectTimeoutMs?: number | undefined;
}

const CONNECT_TIMEOUT_MS = 5_000;

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: 'postgres' | 'pglite';
  /**
   * LISTENs on `channel` over a connection of its own (PostgreSQL) or in process (PGlite); the
   * caller stops it before close().
   */
  listen(channel: string, subscriber: ChannelSubscriber, options?: ListenOptions): StopListening;
  close(): Promise<void>;
}

// Return bigint counts as numbers and keep timestamps as Date; 20 = int8.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

/**
 * A connection whose server did not answer a query in time (node-postgres's query_timeout) is
 * closed, so the pool drops it when it is released. Kept, it would stay blocked until that answer
 * came (never, from a server gone for good; the query may also still be running), and every query
 * queued on it would time out in turn. Without query_timeout at all, a request waited as long as
 * the server stayed frozen (found by test/faults in apps/roster).
 */
class TimedClient extends PreparingClient {
  // biome-ignore lint/suspicious/noExplicitAny: node-postgres's query() has many overloads; this forwards them all
  override query(config: any, values?: any, callback?: any): any {
    const result = super.query(config, values, callback);
    if (typeof (result as Promise<unknown> | undefined)?.catch !== 'function') return result;
    return (result as Promise<unknown>).catch((error: unknown) => {
      // end() marks the client as ending at once (the pool then drops it on release, which
      // happens before the socket's close arrives) and, with a query outstanding, destroys the socket.
      if (error instanceof Error && error.message === 'Query read timeout') this.end().catch(() => {});
      throw error;
    });
  }
}

export function connectDatabase(options: DatabaseOptions = {}): DatabaseHandle {
  if (options.url) {
    const queryTimeoutMs = options.queryTimeoutMs ?? 0;
    const pool = new pg.Pool({
      connectionString: options.url,
      Client: TimedClient,
      max: options.maxConnections ?? 20,
      // Fail fast while the database is unreachable instead of queueing requests forever.
      connectionTimeoutMillis: options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
      ...(queryTimeoutMs > 0 ? { query_timeout: queryTimeoutMs } : {}),
    });
    // A connection lost while the database restarts or crashes must not crash the process. An
    // idle client's error reaches the pool's listener; a checked-out one's (inside a transaction,
    // between two queries) reaches only the client, and node-postgres throws an 'error' event
    // nobody listens to (found by test/faults in apps/roster). That client's next query fails and
    // answers 503 (errors.ts), and the pool drops it when it is released.
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const url = options.url;
    return {
      db,
      kind: 'postgres',
      listen: (channel, subscriber, listenOptions) =>
        listenOnPostgres(url, channel, subscriber, listenOptions),
      close: () => db.destroy(),
    };
  }
  const dataDir = options.dataDir ?? '.data/pglite';
  // The database's files are the owner's only (0700 on the folders it creates, as PostgreSQL
  // requires of its own data directory): they hold members, key hashes and sealed secrets.
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const pglite = new PGlite(dataDir);
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    listen: (channel, subscriber) => listenOnPGlite(pglite, channel, subscriber),
    close: () => db.destroy(),
  };
}
