import { connectDatabase, type DatabaseHandle, type DatabaseOptions } from './connect.js';
import { migrateToLatest } from './migrator.js';

/**
 * Connects and brings the schema up to date (what every process does at start). Migrations run
 * on connections of their own without the query timeout: building an index on a large table may
 * take longer than any request should.
 */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
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
