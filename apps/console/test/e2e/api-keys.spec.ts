/** API Keys: create (shown once, Copy), scopes, expiry, last used, rotate with overlap, revoke. */
import {
  clipboard,
  consolePage,
  createSystemKey,
  enableOidcSso,
  environment,
  expect,
  expectAccessible,
  screenshotAndCheckNarrow,
  signInWithSetupLink,
  test,
} from './fixtures';
import { createOrganization, uniqueSlug } from './roster';

test('a system key is shown once, rotates without a gap, and stops working when revoked', async ({
  page,
}) => {
  const org = await createOrganization(uniqueSlug('keys'));
  await signInWithSetupLink(page, org.setupLink, org.slug);
  const { origin } = environment();
  const scim = (token: string) =>
    fetch(`${origin}/scim/v2/${org.slug}/Users?count=1`, {
      headers: { Authorization: `Bearer ${token}` },
    }).then((r) => r.status);

  await page.goto(consolePage(org.slug, 'api-keys'));
  await expect(page.getByText('No live keys yet.')).toBeVisible();
  const first = await createSystemKey(page, org.slug, 'Entra ID provisioning');
  // SCIM on with the HTTP Header method, so that the key is used.
  await enableOidcSso(page, org.slug);
  await page.goto(consolePage(org.slug, 'identity/provisioning'));
  await page.getByLabel('Use Identity Provider').check();
  await page.getByRole('switch', { name: 'SCIM' }).click();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await page.goto(consolePage(org.slug, 'api-keys'));
  const live = page.getByRole('table', { name: 'Live keys' });
  const row = live.getByRole('row', { name: /Entra ID provisioning/ });
  await expect(row).toContainText('scim');
  await expect(row.getByRole('cell').nth(3)).toHaveText('Never');
  await expect(row.getByRole('cell').nth(4)).toHaveText('Never');
  // Shown once: gone when the page is left. Last used: shown once the identity provider used it.
  await expect(page.getByLabel('API key', { exact: true })).toHaveCount(0);
  expect(await scim(first)).toBe(200);
  const lastUsed = live
    .getByRole('row', { name: /Entra ID provisioning/ })
    .getByRole('cell')
    .nth(4);
  await expect(async () => {
    await page.reload();
    await expect(lastUsed).not.toHaveText('Never', { timeout: 1_000 });
  }).toPass();

  // Rotate: a new key like the old one, shown once; the old one keeps working until revoked.
  await live.getByRole('button', { name: 'Rotate Entra ID provisioning' }).click();
  await expect(page.getByText('The old key "Entra ID provisioning"')).toBeVisible();
  await page.getByRole('button', { name: 'Copy API key' }).click();
  const second = await clipboard(page);
  expect(second).toMatch(/^rsk_/);
  expect(second).not.toBe(first);
  await expect(live.getByRole('row', { name: /Entra ID provisioning/ })).toHaveCount(2);
  expect(await scim(first)).toBe(200);
  expect(await scim(second)).toBe(200);
  await expectAccessible(page);
  await screenshotAndCheckNarrow(page, 'api-keys-rotated');

  // Revoke the old one, through its confirmation dialog (Escape first: nothing happens).
  const oldRow = live.getByRole('row', { name: /Entra ID provisioning/ }).last();
  await oldRow.getByRole('button', { name: 'Revoke Entra ID provisioning' }).click();
  const dialog = page.getByRole('dialog', { name: 'Revoke this key?' });
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect(await scim(first)).toBe(200);
  await oldRow.getByRole('button', { name: 'Revoke Entra ID provisioning' }).click();
  await dialog.getByRole('button', { name: 'Revoke' }).click();
  await expect(dialog).toBeHidden();
  await expect(live.getByRole('row', { name: /Entra ID provisioning/ })).toHaveCount(1);
  await expect(page.getByText('Revoked keys (1)')).toBeVisible();
  expect(await scim(first)).toBe(401);
  expect(await scim(second)).toBe(200);
});

test("a personal key with an expiry, made with the keyboard alone; a refusal shows the API's words", async ({
  page,
}) => {
  const org = await createOrganization(uniqueSlug('personal'));
  await signInWithSetupLink(page, org.setupLink, org.slug);
  await page.goto(consolePage(org.slug, 'api-keys'));

  // Keyboard only: Personal key, a name, a date, Create key.
  await page.getByLabel('Personal key').focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Deploy script');
  await page.keyboard.press('Tab');
  const nextYear = new Date().getFullYear() + 1;
  await page.getByLabel('Expires (optional)').fill(`${nextYear}-06-30`);
  await page.getByLabel('Expires (optional)').press('Enter');
  await expect(page.getByLabel('API key', { exact: true })).toHaveValue(/^rsk_/);
  const row = page.getByRole('table', { name: 'Live keys' }).getByRole('row', { name: /Deploy script/ });
  await expect(row).toContainText('Personal');
  await expect(row).toContainText('portal');
  await expect(row).toContainText(String(nextYear));

  // A date in the past: the API refuses it, and the page says why in its words.
  await page.getByLabel('Name', { exact: true }).fill('Too late');
  await page.getByLabel('Expires (optional)').fill('2020-01-01');
  await page.getByRole('button', { name: 'Create key' }).click();
  await expect(page.getByRole('alert')).toContainText('expiresAt must be in the future.');
  await expectAccessible(page);
});
