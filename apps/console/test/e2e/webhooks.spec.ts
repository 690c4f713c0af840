/**
 * Webhooks: a loopback URL refused under production rules (the API's words shown), an endpoint
 * added with its signing secret shown once, its deliveries with every attempt, redeliver, replay,
 * rotate, disable and enable, delete through its dialog.
 */
import {
  clipboard,
  consolePage,
  enableOidcSso,
  expect,
  expectAccessible,
  screenshotAndCheckNarrow,
  signInWithSetupLink,
  test,
} from './fixtures';
import { createOrganization, uniqueSlug } from './roster';

const URL_OK = 'https://hooks.example.com/roster';

test('endpoints: a private address refused, the secret shown once, deliveries with attempts, redeliver, replay, rotate, disable, delete', async ({
  page,
}) => {
  const org = await createOrganization(uniqueSlug('hooks'));
  await signInWithSetupLink(page, org.setupLink, org.slug);
  await page.goto(consolePage(org.slug, 'webhooks'));
  await expect(page.getByRole('heading', { level: 1, name: 'Webhooks' })).toBeVisible();
  await expect(page.getByText('No endpoints yet.')).toBeVisible();

  // The e2e Roster runs with production rules: a loopback address is refused, in the API's words.
  await page.getByLabel('URL', { exact: true }).fill('http://127.0.0.1:9/hook');
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(page.getByRole('alert')).toContainText('The webhook URL is not allowed');
  await expect(page.getByText('No endpoints yet.')).toBeVisible();

  // A public-looking https URL is saved (without resolving it); the secret is shown once, with Copy.
  await page.getByLabel('URL', { exact: true }).fill(URL_OK);
  await page.getByLabel('Description (optional)').fill('Session service');
  await page.getByLabel('identity.sso_updated').check();
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await page.getByRole('button', { name: 'Copy Signing secret' }).click();
  const secret = await clipboard(page);
  expect(secret).toMatch(/^whsec_/);
  const row = page
    .getByRole('table', { name: 'Endpoints' })
    .getByRole('row', { name: /hooks\.example\.com/ });
  await expect(row).toContainText('Session service');
  await expect(row).toContainText('identity.sso_updated');
  await expect(row).toContainText('Enabled');
  // Never stored in the browser: gone after Done, and after leaving the page.
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByLabel('Signing secret')).toHaveCount(0);
  expect(await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }))).not.toContain(
    secret,
  );

  // An event (SSO switched on) is delivered to the endpoint: it cannot be reached from this machine
  // (the name does not resolve, or nothing answers), so the attempt is listed with its error.
  await enableOidcSso(page, org.slug);
  await page.goto(consolePage(org.slug, 'webhooks'));
  await page.getByRole('button', { name: `Deliveries of ${URL_OK}` }).click();
  const deliveries = page.getByRole('table', { name: 'Deliveries' });
  const delivery = deliveries.getByRole('row', { name: /identity\.sso_updated/ });
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(delivery.getByRole('listitem').first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await expect(delivery.getByRole('listitem').first()).toContainText(' ms');
  const sequence = ((await delivery.getByRole('cell').first().textContent()) ?? '').trim();
  expect(Number(sequence)).toBeGreaterThan(0);
  await expectAccessible(page);
  await screenshotAndCheckNarrow(page, 'webhooks-deliveries');

  // Redeliver one event; replay from a sequence.
  await delivery.getByRole('button', { name: `Redeliver event ${sequence}` }).click();
  await expect(
    page.getByRole('status').filter({ hasText: `Event ${sequence} is scheduled again.` }),
  ).toBeVisible();
  await page.getByLabel('Replay from sequence').fill(sequence);
  await page.getByRole('button', { name: 'Replay', exact: true }).click();
  await expect(
    page.getByRole('status').filter({ hasText: `The events from ${sequence} on are scheduled again.` }),
  ).toBeVisible();

  // Rotate: a new secret, shown once.
  await row.getByRole('button', { name: `Rotate secret of ${URL_OK}` }).click();
  await page.getByRole('button', { name: 'Copy Signing secret' }).click();
  const rotated = await clipboard(page);
  expect(rotated).toMatch(/^whsec_/);
  expect(rotated).not.toBe(secret);
  await page.getByRole('button', { name: 'Done' }).click();

  // Disable (with the reason shown), then enable again.
  await row.getByRole('button', { name: `Disable ${URL_OK}` }).click();
  await expect(row).toContainText('Disabled');
  await expect(row).toContainText('disabled by a manager');
  await row.getByRole('button', { name: `Enable ${URL_OK}` }).click();
  await expect(row).toContainText('Enabled');

  // Delete, through its confirmation dialog (Escape first: nothing happens).
  await row.getByRole('button', { name: `Delete ${URL_OK}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete this endpoint?' });
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: `Delete ${URL_OK}` }).click();
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('No endpoints yet.')).toBeVisible();
  await expect(deliveries).toHaveCount(0);
});
