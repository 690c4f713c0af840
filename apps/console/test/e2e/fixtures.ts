/**
 * What every browser test shares: a page whose uncaught errors and console errors fail the test,
 * the clipboard allowed (Copy buttons are read back from it), signing in with a setup link,
 * axe (no serious or critical violation), and the screenshots the docs show.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';
import { environment } from './roster';

/**
 * Where the pictures go: the docs' own (docs/console/) with UPDATE_SCREENSHOTS=1, otherwise
 * test-results/screenshots/ (ignored), so that a test run leaves the working tree as it was.
 */
export const SCREENSHOTS = fileURLToPath(
  new URL(
    process.env.UPDATE_SCREENSHOTS ? '../../../../docs/console/' : '../../test-results/screenshots/',
    import.meta.url,
  ),
);

export const test = base.extend<{ browserErrors: string[] }>({
  browserErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
      page.on('console', (message) => {
        // Chromium logs every 4xx answer as "Failed to load resource"; a refusal the page shows
        // is the API working (the tests check the page shows it). Any other error line counts.
        if (message.type() !== 'error') return;
        if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text()))
          return;
        errors.push(`console.error: ${message.text()}`);
      });
      page.on('response', (response) => {
        if (response.status() >= 500) errors.push(`${response.status()} from ${response.url()}`);
      });
      await use(errors);
      expect(errors, 'errors in the browser console').toEqual([]);
    },
    { auto: true },
  ],
  context: async ({ context }, use) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: environment().origin });
    await use(context);
  },
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern.
  baseURL: async ({}, use) => {
    await use(environment().origin);
  },
});

export { environment } from './roster';
export { expect };

/** Opens the operator's one-time setup link and presses its Sign in button: lands in the console. */
export async function signInWithSetupLink(page: Page, setupLink: string, slug: string) {
  await page.goto(setupLink);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`**/console/${slug}/`);
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
}

/** axe-core on the page as it is now: no serious or critical violation. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`),
  ).toEqual([]);
}

/**
 * Saves the page at 1280 px as <name>.png (see SCREENSHOTS), then checks the 390 px layout: nothing
 * wider than the screen (no sideways scrolling), and the page's heading still visible.
 */
export async function screenshotAndCheckNarrow(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  // Secrets shown once are masked in the pictures the docs keep.
  await page.screenshot({
    path: `${SCREENSHOTS}${name}.png`,
    fullPage: true,
    mask: [page.locator('input.secret')],
    maskColor: '#c9d3df',
  });
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => {
    window.scrollTo(0, 0);
    const width = window.innerWidth;
    // The outermost elements that stick out on the right, to name them in the failure (a table
    // scrolls sideways inside its own .table-wrap, which is fine).
    const wide = [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((e) => !e.parentElement?.closest('.table-wrap'))
      .filter((e) => e.getBoundingClientRect().right > width + 1)
      .filter((e) => !e.parentElement || e.parentElement.getBoundingClientRect().right <= width + 1)
      .map(
        (e) =>
          `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)} px)`,
      );
    return { by: document.documentElement.scrollWidth - width, wide };
  });
  expect(overflow, 'horizontal overflow at 390 px').toEqual({ by: 0, wide: [] });
  await expect(page.getByRole('heading', { level: 1 })).toBeInViewport();
  await expectAccessible(page);
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** The text the last Copy put on the clipboard. */
export const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

/** The console's pages of an organization. */
export const consolePage = (slug: string, page = '') => `/console/${slug}/${page}`;

/** Identity Configuration → SSO: an Entra ID OpenID Connect application, enabled. */
export async function enableOidcSso(page: Page, slug: string) {
  await page.goto(consolePage(slug, 'identity/sso'));
  await page
    .getByLabel('Issuer')
    .fill('https://login.microsoftonline.com/00000000-0000-0000-0000-00000000e2e0/v2.0');
  await page.getByLabel('Client ID').fill('11111111-2222-3333-4444-555555555555');
  await page.getByLabel('Client secret').fill('entra-app-secret');
  await page.getByRole('switch', { name: 'SSO' }).click();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
}

/** API Keys: creates a system key; the key as Copy put it on the clipboard. */
export async function createSystemKey(page: Page, slug: string, name: string): Promise<string> {
  await page.goto(consolePage(slug, 'api-keys'));
  await page.getByLabel('System key').check();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Create key' }).click();
  await page.getByRole('button', { name: 'Copy API key' }).click();
  await expect(page.getByText('API key copied.')).toBeVisible();
  const token = await clipboard(page);
  expect(token).toMatch(/^rsk_/);
  await expect(page.getByLabel('API key', { exact: true })).toHaveValue(token);
  return token;
}

/** Organization settings: RBAC on (what Sync SCIM groups needs). */
export async function enableRbac(page: Page, slug: string) {
  await page.goto(consolePage(slug, 'settings'));
  await page.getByRole('switch', { name: 'RBAC' }).click();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
}

/** Provisioning: checks Sync SCIM groups and confirms the Enable groups sync dialog. */
export async function checkSyncGroups(page: Page) {
  // A click, not check(): the box stays unchecked until the dialog's Enable. And no force: the
  // adoption preview may still be growing above it, and a forced click lands where it was.
  await page.getByLabel('Sync SCIM groups').click();
  const dialog = page.getByRole('dialog', { name: 'Enable groups sync' });
  await dialog.getByRole('button', { name: 'Enable' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByLabel('Sync SCIM groups')).toBeChecked();
}
