/** Wiring shared by the server, the operator CLI and the tests: open and migrate the database. */
import { connectDatabase, type DatabaseHandle, migrateToLatest } from '@roster/db';
import type { Config } from './config.js';

export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<DatabaseHandle> {
  const handle = connectDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(handle.db);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

export { createScimApp } from './app.js';
export { loadConfig } from './config.js';
export {
  createOrganization,
  createScimKey,
  ensureDemoOrganization,
} from './organizations/organizations.service.js';
