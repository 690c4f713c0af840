/** A basic member sees no admin page: none in the navigation, and "managers only" when opened. */
import { consolePage, environment, expect, expectAccessible, signInWithSetupLink, test } from './fixtures';
import { createOrganization, operator, uniqueSlug } from './roster';

test('a basic member cannot reach the admin pages', async ({ page, browser }) => {
  const org = await createOrganization(uniqueSlug('basic'));
  const { origin } = environment();
  // A second manager's setup link (the operator's break-glass), then the first manager makes them basic.
  const out = await operator(['create-manager', org.slug, `bob@${org.slug}.example.com`]);
  const bobLink = /(https?:\/\/\S+\/sso\/\S+\/setup\/\S+)/.exec(out)?.[1] as string;
  await signInWithSetupLink(page, org.setupLink, org.slug);
  const api = `${origin}/api/v1/orgs/${org.slug}`;
  const members = (await (await page.request.get(`${api}/members`)).json()) as {
    items: { id: string; userName: string }[];
  };
  const bob = members.items.find((m) => m.userName.startsWith('bob@'));
  const demoted = await page.request.patch(`${api}/members/${bob?.id}`, {
    data: { role: 'basic' },
    headers: { Origin: origin },
  });
  expect(demoted.status()).toBe(200);

  const context = await browser.newContext({ baseURL: origin });
  const bobPage = await context.newPage();
  const errors: string[] = [];
  bobPage.on('pageerror', (error) => errors.push(error.message));
  await signInWithSetupLink(bobPage, bobLink, org.slug);
  await expect(bobPage.getByRole('banner')).toContainText('basic');
  const nav = bobPage.getByRole('navigation', { name: 'Console' });
  await expect(nav.getByRole('link', { name: 'Overview' })).toBeVisible();
  for (const label of ['SSO', 'Provisioning', 'API Keys', 'Organization settings']) {
    await expect(nav.getByRole('link', { name: label, exact: true })).toHaveCount(0);
  }
  for (const [path, title] of [
    ['identity/provisioning', 'Provisioning'],
    ['identity/sso', 'SSO'],
    ['api-keys', 'API Keys'],
  ]) {
    await bobPage.goto(consolePage(org.slug, path));
    await expect(bobPage.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await expect(bobPage.getByRole('alert')).toContainText(
      `Only managers of ${org.slug} can open this page.`,
    );
    await expect(bobPage.getByRole('button', { name: 'Save' })).toHaveCount(0);
  }
  await expectAccessible(bobPage);
  // The API refuses them too, whatever the page shows.
  expect((await bobPage.request.get(`${api}/identity/provisioning`)).status()).toBe(403);
  expect(errors).toEqual([]);
  await context.close();
});
