/**
 * The Members, Groups, Provisioning activity and Audit trail pages against a real Roster, after
 * the Entra ID simulator's initial cycle provisioned users with a system key: the provisioned
 * members are SCIM-managed and read-only, naming Entra ID; the activity page shows the session;
 * the audit trail lists it. Set-up that other pages cover (SSO, the key, the SCIM switch) is done
 * through the portal API with the browser's session, as the console itself calls it.
 */
import type { Page } from '@playwright/test';
import { entraInitialCycle } from './entra-cycle.mjs';
import { expect, expectAccessible, screenshotAndCheckNarrow, signInWithSetupLink, test } from './fixtures';
import { createOrganization, environment, uniqueSlug } from './roster';

/** The portal API as the signed-in browser calls it: its session cookie, and this origin for changes. */
function portalApi(page: Page, slug: string) {
  return async (method: string, path: string, data?: unknown) => {
    const response = await page.request.fetch(`/api/v1/orgs/${slug}${path}`, {
      method,
      headers: { Origin: environment().origin },
      ...(data !== undefined ? { data } : {}),
    });
    const body = await response.text();
    expect(response.status(), `${method} ${path}: ${body}`).toBeLessThan(300);
    return body ? JSON.parse(body) : undefined;
  };
}

/** An organization with SSO, a system key, SCIM on (HTTP Header), and the Entra simulator's initial cycle run. */
async function provisionedByEntra(page: Page, options: { users: number }) {
  const org = await createOrganization(uniqueSlug('dir'));
  await signInWithSetupLink(page, org.setupLink, org.slug);
  const api = portalApi(page, org.slug);
  await api('PATCH', '', { rbacEnabled: true });
  await api('PUT', '/identity/sso', {
    enabled: true,
    oidc: {
      issuer: 'https://login.microsoftonline.com/tenant/v2.0',
      clientId: 'roster',
      clientSecret: 'entra-app-secret-1',
    },
  });
  const key = await api('POST', '/api-keys', {
    kind: 'system',
    name: 'Entra ID provisioning',
    scopes: ['scim'],
  });
  const provisioning = await api('PUT', '/identity/provisioning', {
    mode: 'identity_provider',
    scimEnabled: true,
    authMethod: 'http_header',
    provisionExistingUsers: false,
    syncGroups: false,
  });
  const { userNames, failures } = await entraInitialCycle({
    baseUrl: provisioning.scimEndpointUrl,
    token: key.token,
    users: options.users,
    prefix: `e2e${Date.now().toString(36)}`,
  });
  expect(failures).toEqual([]);
  return { org, api, userNames };
}

test('Members: the users Entra ID provisioned are SCIM-managed and read-only, naming Entra ID; portal members are managed here', async ({
  page,
}) => {
  const { org, userNames } = await provisionedByEntra(page, { users: 3 });
  await page.goto(`/console/${org.slug}/members`);
  await expect(page.getByRole('heading', { level: 1, name: 'Members' })).toBeVisible();
  const table = page.getByRole('table');
  for (const userName of userNames) {
    const row = table.getByRole('row').filter({ hasText: userName });
    await expect(row).toContainText('SCIM · Microsoft Entra ID');
    await expect(row).toContainText('key Entra ID provisioning');
    await expect(row).toContainText('Read-only');
    await expect(row).toContainText('Managed by Microsoft Entra ID: change it there.');
    await expect(row.getByRole('button')).toHaveCount(0);
    await expect(row.getByRole('combobox')).toHaveCount(0);
  }
  const admin = table.getByRole('row').filter({ hasText: org.admin });
  await expect(admin).toContainText('Portal');
  await expect(admin.getByRole('combobox', { name: `Role of ${org.admin}` })).toHaveValue('manager');

  // Invite, then search on the server, then deactivate and remove through the dialog, by keyboard where it counts.
  const invited = `lin@${org.slug}.example.com`;
  await page.getByLabel('Email').fill(invited);
  await page.getByRole('button', { name: 'Invite' }).click();
  await expect(page.getByRole('status').filter({ hasText: `${invited} was invited.` })).toBeVisible();
  await page.getByLabel('Search members').fill('lin@');
  await page.getByLabel('Search members').press('Enter');
  await expect(table.getByRole('row')).toHaveCount(2); // the header and Lin
  await page.getByRole('button', { name: `Deactivate ${invited}` }).click();
  await expect(table.getByRole('row').filter({ hasText: invited })).toContainText('deactivated');
  await page.getByRole('button', { name: `Remove ${invited}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Remove member' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByText(`No member matches “lin@”.`)).toBeVisible();

  await page.getByLabel('Search members').fill('');
  await page.getByLabel('Search members').press('Enter');
  await page.getByLabel('Managed by').selectOption('scim');
  await expect(table.getByRole('row')).toHaveCount(userNames.length + 1);
  await page.getByLabel('Managed by').selectOption('');
  await expect(table.getByRole('row')).toHaveCount(userNames.length + 2);
  await expectAccessible(page);
  await screenshotAndCheckNarrow(page, 'members');

  // The API's own words when it refuses: the last manager cannot be demoted.
  await page.getByRole('combobox', { name: `Role of ${org.admin}` }).selectOption('basic');
  await expect(page.getByRole('alert')).toContainText('without an active manager');
  await expectAccessible(page);
});

test('Provisioning activity shows the Entra session: health per credential, the chart and its table, the log; Audit trail lists and exports it', async ({
  page,
}) => {
  const { org, userNames } = await provisionedByEntra(page, { users: 4 });
  await page.goto(`/console/${org.slug}/provisioning/activity`);
  await expect(page.getByRole('heading', { level: 1, name: 'Provisioning activity' })).toBeVisible();
  // Recorded within about a second of each request: reload until the session is counted.
  const credential = page.getByRole('row').filter({ hasText: 'API key Entra ID provisioning' });
  await expect(async () => {
    await page.reload();
    await expect(credential).toContainText('Healthy', { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByRole('img', { name: /requests and \d+ failures over the last day/ })).toBeVisible();
  await page.getByText('Show the numbers as a table').click();
  await expect(page.getByRole('table').filter({ hasText: 'Failures' }).first()).toBeVisible();
  await page.getByText('Show the numbers as a table').click();
  const log = page
    .getByRole('region', { name: 'Requests' })
    .or(page.locator('section').filter({ hasText: 'Requests' }).last());
  await expect(log.getByText('POST Users').first()).toBeVisible();
  await expect(log.getByText('201 succeeded').first()).toBeVisible();
  await page.getByLabel('Outcome').selectOption('failed');
  await expect(page.getByText('No requests match.')).toBeVisible();
  await page.getByLabel('Outcome').selectOption('');
  await expect(log.getByText('POST Users').first()).toBeVisible();
  await expectAccessible(page);
  await screenshotAndCheckNarrow(page, 'provisioning-activity');

  await page.goto(`/console/${org.slug}/audit-trail`);
  await expect(page.getByRole('heading', { level: 1, name: 'Audit trail' })).toBeVisible();
  await page.getByLabel('Action').fill('scim.member.created');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'scim.member.created' })).toHaveCount(
    userNames.length,
  );
  await expect(page.getByRole('row').filter({ hasText: 'via Microsoft Entra ID' }).first()).toBeVisible();
  const csv = page.getByRole('link', { name: 'CSV' });
  await expect(csv).toHaveAttribute('href', /audit-events\/export\?action=scim.member.created&format=csv/);
  const exported = await page.request.get((await csv.getAttribute('href')) as string);
  expect(exported.status()).toBe(200);
  expect(
    (await exported.text()).split('\n').filter((line) => line.includes('scim.member.created')),
  ).toHaveLength(userNames.length);
  await expectAccessible(page);
  await screenshotAndCheckNarrow(page, 'audit-trail');
});

test('Groups: create one with the manager role, search on the server, add and remove a member', async ({
  page,
}) => {
  const org = await createOrganization(uniqueSlug('groups'));
  await signInWithSetupLink(page, org.setupLink, org.slug);
  await portalApi(page, org.slug)('PATCH', '', { rbacEnabled: true });
  await page.goto(`/console/${org.slug}/groups`);
  await expect(page.getByRole('heading', { level: 1, name: 'Groups' })).toBeVisible();
  await expect(page.getByText('No groups yet.')).toBeVisible();
  for (const [name, manager] of [
    ['Engineering', true],
    ['Support', false],
  ] as const) {
    await page.getByLabel('Group name').fill(name);
    if (manager) await page.getByLabel('Manager role for its members').check();
    await page.getByRole('button', { name: 'Create group' }).click();
    await expect(page.getByRole('row').filter({ hasText: name })).toBeVisible();
  }
  await page.getByLabel('Search groups').fill('ENGIN');
  await page.getByLabel('Search groups').press('Enter');
  await expect(page.getByRole('row')).toHaveCount(2);
  await expect(page.getByRole('row').filter({ hasText: 'Engineering' })).toContainText('manager');

  await page.getByRole('button', { name: 'Members of Engineering' }).click();
  await expect(page.getByText('No members in this group.')).toBeVisible();
  await page.getByLabel('Find a member to add').fill(org.admin);
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  await page.getByRole('button', { name: `Add ${org.admin} to Engineering` }).click();
  await expect(page.getByRole('button', { name: `Remove ${org.admin} from Engineering` })).toBeVisible();
  await expectAccessible(page);
  await screenshotAndCheckNarrow(page, 'groups');
  await page.getByRole('button', { name: `Remove ${org.admin} from Engineering` }).click();
  await expect(page.getByText('No members in this group.')).toBeVisible();
});

test('Provisioning: checking Provision existing users shows the adoption preview, with a conflicting member and the groups to adopt', async ({
  page,
}) => {
  const org = await createOrganization(uniqueSlug('adopt'));
  await signInWithSetupLink(page, org.setupLink, org.slug);
  const api = portalApi(page, org.slug);
  await api('PATCH', '', { rbacEnabled: true });
  const conflicting = `Bob@${org.slug}.example.com`;
  const alice = `alice@${org.slug}.example.com`;
  await api('POST', '/members', { email: conflicting });
  await api('POST', '/members', { email: alice });
  await api('POST', '/groups', { displayName: 'Engineering', role: 'manager' });

  await page.goto(`/console/${org.slug}/identity/provisioning`);
  await page.getByLabel('Use Identity Provider').check();
  await expect(page.getByRole('region', { name: 'Adoption preview' })).toHaveCount(0);
  await page.getByLabel('Provision existing users').check();
  const preview = page.getByRole('region', { name: 'Adoption preview' });
  await expect(preview).toBeVisible();
  const counts = preview.getByRole('list', { name: 'Adoption counts' });
  await expect(counts).toContainText('2 handed over');
  await expect(counts).toContainText('1 conflict');
  await expect(counts).toContainText('1 group adopted with group sync');
  const conflicts = preview.getByRole('list', { name: 'Conflicts' });
  await expect(conflicts.getByRole('listitem')).toHaveCount(1);
  await expect(conflicts).toContainText(conflicting);
  await expect(conflicts).toContainText('Same userName in another case');
  await expect(conflicts).toContainText("the IdP's spelling replaces this one");
  const handOver = preview.getByRole('list', { name: 'Handed over to the identity provider' });
  await expect(handOver).toContainText(alice);
  await expect(handOver).toContainText(org.admin);
  await expect(preview.getByRole('list', { name: 'Groups adopted by name' })).toContainText('Engineering');
  await expectAccessible(page);
  await preview.scrollIntoViewIfNeeded();
  await screenshotAndCheckNarrow(page, 'adoption-preview');

  // Unchecked, the preview goes.
  await page.getByLabel('Provision existing users').uncheck();
  await expect(preview).toHaveCount(0);
});
