import { defineConfig, mergeConfig } from 'vitest/config';
import { base } from '../../vitest.base.js';

export default mergeConfig(
  base,
  defineConfig({
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      // One PostgreSQL server for the run, started from the machine's binaries (or DATABASE_URL).
      globalSetup: ['../../packages/testkit/src/vitest-global-setup.ts'],
      testTimeout: 30_000,
      hookTimeout: 60_000,
    },
  }),
);
