/** Entering the console: the setup link lands on it, the shell names the organization, deep links work. */

import { expect, expectAccessible, screenshotAndCheckNarrow, signInWithSetupLink, test } from './fixtures';
import { createOrganization, uniqueSlug } from './roster';

test('the setup link signs the manager in to the console, which names the organization', async ({ page }) => {
  const org = await createOrganization(uniqueSlug('shell'));
  await signInWithSetupLink(page, org.setupLink, org.slug);
  await expect(page.getByRole('banner')).toContainText(`Organization: ${org.slug}`);
  await expect(page.getByText(org.admin)).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Console' });
  for (const label of ['Overview', 'SSO', 'Provisioning', 'API Keys']) {
    await expect(nav.getByRole('link', { name: label, exact: true })).toBeVisible();
  }
  await expectAccessible(page);
  await screenshotAndCheckNarrow(page, 'overview');

  // A deep link loads the app at that page (the server answers it with index.html).
  await page.goto(`/console/${org.slug}/api-keys`);
  await expect(page.getByRole('heading', { level: 1, name: 'API Keys' })).toBeVisible();
});

test("without a session the console offers the organization's single sign-on, returning to the page", async ({
  page,
}) => {
  const org = await createOrganization(uniqueSlug('nosession'));
  await page.goto(`/console/${org.slug}/identity/provisioning`);
  await expect(page.getByRole('heading', { name: `Sign in to ${org.slug}` })).toBeVisible();
  const link = page.getByRole('link', { name: 'Sign in with single sign-on' });
  await expect(link).toHaveAttribute(
    'href',
    `/sso/${org.slug}/login?returnTo=${encodeURIComponent(`/console/${org.slug}/identity/provisioning`)}`,
  );
  await expectAccessible(page);
});
