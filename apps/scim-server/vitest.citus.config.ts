import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import { citusTests } from '../../vitest.base.js';

// The SCIM HTTP suites and tenant isolation on Citus: every request must be routed to one shard.
// index-usage.test.ts checks PostgreSQL's plans of single-server statements, which the
// coordinator's distributed plans do not show.
export default mergeConfig(
  await citusTests('the SCIM HTTP suites (apps/scim-server)', ['test/**/*.test.ts']),
  defineConfig({ test: { exclude: [...configDefaults.exclude, 'test/index-usage.test.ts'] } }),
);
