import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import { databaseTests } from '../vitest.base.js';
import { planMicrosoftReference } from './src/peers/peer-suites.js';

// Microsoft's collection lives outside the repository. Without it (a fresh clone), its test file is
// left out and this one line says so; under CI=true the file runs and fails on the absent collection.
const microsoft = planMicrosoftReference();
if (!microsoft.run) console.log(microsoft.line);

// newman runs Microsoft's whole collection in one test.
export default mergeConfig(
  databaseTests,
  defineConfig({
    test: {
      testTimeout: 120_000,
      exclude: [...configDefaults.exclude, ...(microsoft.run ? [] : ['test/microsoft-reference.test.ts'])],
    },
  }),
);
