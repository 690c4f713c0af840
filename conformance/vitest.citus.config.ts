import { defineConfig, mergeConfig } from 'vitest/config';
import { citusTests } from '../vitest.base.js';

// The conformance sessions (both simulated IdPs, both authentication methods) against Roster on
// Citus: every request must be routed to one shard.
export default mergeConfig(
  await citusTests('the conformance sessions (conformance)', ['test/roster-sessions.test.ts']),
  defineConfig({ test: { testTimeout: 180_000 } }),
);
