import { defineConfig, mergeConfig } from 'vitest/config';
import { databaseTests } from '../vitest.base.js';

// The smoke run builds a database, starts Roster and runs every workload at a small size.
export default mergeConfig(databaseTests, defineConfig({ test: { testTimeout: 300_000 } }));
