// vitest globalSetup: one throwaway PostgreSQL server (or DATABASE_URL's) and one fresh database per test run.
// Tests read the database URL with `inject('databaseUrl')` from 'vitest'.
//
//   // vitest.config.ts of a package that needs a database
//   test: { globalSetup: ['../../packages/testkit/src/vitest-global-setup.ts'] }
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { createDatabase, dropDatabase, startPostgres } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of a fresh database, created for this test run. */
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgres();
  try {
    const url = await createDatabase(server.url);
    project.provide('databaseUrl', url);
    return async () => {
      // A throwaway server disappears with its directory; on DATABASE_URL's server, clean up after ourselves.
      if (server.external) await dropDatabase(server.url, decodeURIComponent(new URL(url).pathname.slice(1)));
      await server.stop();
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
