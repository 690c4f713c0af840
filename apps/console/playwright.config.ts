/**
 * The console's browser tests (test/e2e): a real Chromium (test/e2e/chromium.ts says which)
 * against a real Roster on PostgreSQL (test/e2e/global-setup.ts). One worker: the machine is shared.
 */
import { defineConfig } from '@playwright/test';
import { findChromium } from './test/e2e/chromium';

const chromium = await findChromium();
process.stdout.write(`Chromium for the browser tests: ${chromium.source}\n`);

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './test/e2e/global-setup.ts',
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: { executablePath: chromium.executablePath, args: chromium.args },
    viewport: { width: 1280, height: 800 },
    trace: 'off',
  },
});
