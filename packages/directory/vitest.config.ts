import { defineConfig, mergeConfig } from 'vitest/config';
import { base } from '../../vitest.base.js';

export default mergeConfig(
  base,
  defineConfig({
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      globalSetup: ['../testkit/src/vitest-global-setup.ts'],
      // PGlite takes seconds to start, more on a busy 2-core machine.
      testTimeout: 30_000,
      hookTimeout: 120_000,
    },
  }),
);
