import { connectDatabase, type DatabaseHandle, type DatabaseOptions } from './connect.js';
import { migrateToLatest } from './migrator.js';

/** Connects and brings the schema up to date (what every process does at start). */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const handle = connectDatabase(options);
  try {
    await migrateToLatest(handle.db);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}
