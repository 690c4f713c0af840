import { defineConfig, mergeConfig } from 'vitest/config';
import { databaseTests } from '../vitest.base.js';

// newman runs Microsoft's whole collection in one test.
export default mergeConfig(databaseTests, defineConfig({ test: { testTimeout: 120_000 } }));
