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
