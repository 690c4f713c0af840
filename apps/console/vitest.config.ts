import { defineConfig, mergeConfig } from 'vitest/config';
import { base } from '../../vitest.base.js';

// Unit tests only; the browser tests (test/e2e) are Playwright's.
export default mergeConfig(base, defineConfig({ test: { include: ['test/unit/**/*.test.ts'] } }));
