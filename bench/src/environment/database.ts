/**
 * The benchmark's PostgreSQL: a server started from the machine's binaries (or DATABASE_URL's),
 * a fresh database on it, migrated. Roster, the bulk loader and pgbench all use this one database.
 */
import { connectDatabase, type DatabaseHandle, migrateToLatest } from '@roster/db';
import { createDatabase, postgresBinDir, startPostgres } from '@roster/testkit/postgres';
import { findPgbench, pgbenchMissing } from '../load/pgbench.js';

export interface BenchDatabase {
  /** URL of the benchmark's database. */
  url: string;
  /** Where pgbench lives. */
  binDir: string;
  /** For the bulk loader and the ceiling's fixtures. */
  handle: DatabaseHandle;
  stop(): Promise<void>;
}

export async function startDatabase(options: { durable: boolean; log: (line: string) => void }) {
  // Before anything is loaded: without pgbench the run would fail only after the bulk load.
  const binDir = await postgresBinDir();
  if (!findPgbench(binDir)) throw new Error(pgbenchMissing(binDir));
  const server = await startPostgres({
    log: options.log,
    settings: {
      // Room for a million members and their indexes in memory, as a production server would have.
      shared_buffers: '1GB',
      effective_cache_size: '4GB',
      work_mem: '16MB',
      maintenance_work_mem: '512MB',
      // The test defaults trade durability for speed; --durable measures with it back.
      ...(options.durable ? { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' } : {}),
    },
  });
  try {
    const url = await createDatabase(server.url, `roster_bench_${Date.now()}`);
    const handle = connectDatabase({ url, maxConnections: 4 });
    await migrateToLatest(handle.db);
    return {
      url,
      binDir,
      handle,
      stop: async () => {
        await handle.close();
        await server.stop();
      },
    } satisfies BenchDatabase;
  } catch (error) {
    await server.stop();
    throw error;
  }
}
