// vitest globalSetup of the Citus tier: like vitest-global-setup.ts, but `inject('databaseUrl')` is a
// database on the coordinator of a throwaway Citus cluster (coordinator and two workers), on which any
// query that fans out to more than one shard fails (citus.multi_task_query_log_level = 'error').
// DATABASE_URL is ignored: the tier always starts its own cluster.

import type { TestProject } from 'vitest/node';
import { startCitus } from './citus.js';
import type {} from './vitest-global-setup.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startCitus({ log: process.env.TEST_LOG_LEVEL ? console.log : undefined });
  try {
    project.provide('databaseUrl', await cluster.createDatabase());
    return () => cluster.stop();
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}
