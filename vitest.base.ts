/**
 * Shared vitest settings: resolve workspace packages through their `dev-source` export condition,
 * so tests always run the TypeScript sources, never a stale `dist/`.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';

// Vite's default server conditions, with ours first.
const conditions = ['dev-source', 'module', 'node', 'development|production'];

export const base = defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['dev-source'] } },
  test: { include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});

/** For packages whose tests need PostgreSQL: one server for the run, from the machine's binaries (or DATABASE_URL). */
export const databaseTests = mergeConfig(
  base,
  defineConfig({
    test: {
      globalSetup: [fileURLToPath(new URL('./packages/testkit/src/vitest-global-setup.ts', import.meta.url))],
      // PGlite takes seconds to start, more on a busy 2-core machine.
      testTimeout: 30_000,
      hookTimeout: 120_000,
    },
  }),
);

/**
 * The Citus tier of a package (`npm run test:citus`): the given test files against a database on a
 * throwaway Citus cluster, where a query fanning out to more than one shard fails. Without Citus
 * installed, one line says the tier did not run and it passes, except under CI=true.
 */
export async function citusTests(what: string, include: string[]) {
  const { citusAvailability, planCitusTier } = await import('./packages/testkit/src/citus.js');
  const plan = planCitusTier(what, await citusAvailability());
  if (!plan.run) console.log(plan.line);
  const config = mergeConfig(
    base,
    defineConfig({
      test: {
        passWithNoTests: !plan.run,
        globalSetup: plan.run
          ? [fileURLToPath(new URL('./packages/testkit/src/vitest-global-setup-citus.ts', import.meta.url))]
          : [],
        // Three servers on one small machine; Citus's distributed planning adds to every query.
        testTimeout: 60_000,
        hookTimeout: 180_000,
      },
    }),
  );
  // Set, not merged: mergeConfig would add these files to base's.
  config.test = { ...config.test, include: plan.run ? include : [] };
  return config;
}
