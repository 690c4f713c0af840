import { citusTests } from '../../vitest.base.js';

// The portal suites, tenant isolation included, on Citus: every request must be routed to one shard.
export default await citusTests('the portal API suites (apps/portal-api)', ['test/**/*.test.ts']);
