import { mkdirSync } from 'node:fs';
import { connectDatabase, type DatabaseHandle, type DatabaseOptions } from './connect.js';
import { type DataDirLockOptions, lockDataDir } from './lock.js';
import { migrateToLatest } from './migrator.js';

export interface OpenDatabaseOptions extends DatabaseOptions {
  /**
   * The embedded database's folder lock (lock.ts): taken before PGlite opens the folder, released
   * after it closes. By default another holder is refused at once.
   */
  lock?: DataDirLockOptions;
}

/**
 * Connects and brings the schema up to date (what every process does at start). Migrations run
 * on connections of their own without the query timeout: building an index on a large table may
 * take longer than any request should. On the embedded database the process first takes the
 * folder's lock, so that no second process ever opens the same folder.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const dataDir = options.dataDir ?? '.data/pglite';
  if (options.url || dataDir.startsWith('memory://')) return migrated(options);
  mkdirSync(dataDir, { recursive: true });
  const release = await lockDataDir(dataDir, options.lock);
  try {
    const handle = await migrated(options);
    return {
      ...handle,
      async close() {
        try {
          await handle.close();
        } finally {
          await release();
        }
      },
    };
  } catch (error) {
    await release();
    throw error;
  }
}

async function migrated(options: DatabaseOptions): Promise<DatabaseHandle> {
  const timed = Boolean(options.url && options.queryTimeoutMs);
  const migrating = connectDatabase(timed ? { ...options, queryTimeoutMs: 0 } : options);
  try {
    await migrateToLatest(migrating.db);
  } catch (error) {
    await migrating.close();
    throw error;
  }
  if (!timed) return migrating;
  await migrating.close();
  return connectDatabase(options);
}
