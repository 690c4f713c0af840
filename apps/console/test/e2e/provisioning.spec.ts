/**
 * Identity Configuration → Provisioning, end to end: what the administrator copies from the page
 * is exactly what the identity provider simulators (conformance) then provision with.
 */

import type { Locator, Page } from '@playwright/test';
import { runConformance } from '@roster/conformance/run';
import {
  checkSyncGroups,
  clipboard,
  consolePage,
  createSystemKey,
  enableOidcSso,
  enableRbac,
  expect,
  expectAccessible,
  screenshotAndCheckNarrow,
  signInWithSetupLink,
  test,
} from './fixtures';
import { createOrganization, uniqueSlug } from './roster';

/** Clicks a field's Copy button and returns what it put on the clipboard (checked against the field). */
async function copy(page: Page, label: string): Promise<string> {
  await page.getByRole('button', { name: `Copy ${label}`, exact: true }).click();
  await expect(page.getByText(`${label} copied.`)).toBeVisible();
  const value = await clipboard(page);
  await expect(page.getByLabel(label, { exact: true })).toHaveValue(value);
  return value;
}

async function turnOnScim(page: Page, slug: string, method: 'HTTP Header' | 'OAuth2') {
  await page.goto(consolePage(slug, 'identity/provisioning'));
  await page.getByLabel('Use Identity Provider').check();
  const scim = page.getByRole('switch', { name: 'SCIM' });
  await expect(scim).toHaveAttribute('aria-checked', 'false');
  await scim.click();
  await page.getByLabel(method, { exact: true }).check();
}

/** Each session's outcome, with what failed (its reason, its failed checks, the IdP's failure log). */
/** Presses Tab until the control has the focus (at most 25 times). */
async function tabTo(page: Page, control: Locator) {
  for (let i = 0; i < 25 && !(await control.evaluate((e) => e === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(control).toBeFocused();
}

const initialCycle = (result: Awaited<ReturnType<typeof runConformance>>) =>
  result.sessions.map((s) =>
    [
      `${s.id}: ${s.status}`,
      s.reason,
      ...s.checks.filter((c) => !c.ok).map((c) => JSON.stringify(c)),
      ...(s.status === 'passed' ? [] : s.log.map((entry) => JSON.stringify(entry))),
    ]
      .filter(Boolean)
      .join('\n'),
  );

test('Entra ID path: HTTP Header with a system key made on API Keys, then the initial cycle with what was copied', async ({
  page,
}) => {
  const org = await createOrganization(uniqueSlug('entra'));
  await signInWithSetupLink(page, org.setupLink, org.slug);
  await enableOidcSso(page, org.slug);
  await screenshotAndCheckNarrow(page, 'sso');
  await enableRbac(page, org.slug);
  const token = await createSystemKey(page, org.slug, 'Entra ID provisioning');
  await screenshotAndCheckNarrow(page, 'api-keys-created');

  await turnOnScim(page, org.slug, 'HTTP Header');
  // HTTP Header: the API KEY link leads to the API Keys page.
  await expect(page.getByRole('link', { name: 'API KEY', exact: true })).toHaveAttribute(
    'href',
    consolePage(org.slug, 'api-keys'),
  );
  const scimUrl = await copy(page, 'URL from the SCIM API endpoint');
  expect(scimUrl).toMatch(new RegExp(`/scim/v2/${org.slug}$`));
  await page.getByLabel('Provision existing users').check();
  await checkSyncGroups(page);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expectAccessible(page);
  await screenshotAndCheckNarrow(page, 'provisioning-http-header');

  const result = await runConformance({
    profile: { idp: 'entra', mode: 'default' },
    target: { baseUrl: scimUrl, token },
    sessions: ['initial-cycle'],
  });
  expect(initialCycle(result)).toEqual(['initial-cycle: passed']);

  // Saved: a reload shows the settings as the API has them.
  await page.reload();
  await expect(page.getByRole('switch', { name: 'SCIM' })).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByLabel('HTTP Header', { exact: true })).toBeChecked();
  await expect(page.getByLabel('Provision existing users')).toBeChecked();
});

test('Ping Identity path: OAuth2, the four fields copied (the secret once), client credentials, then rotation', async ({
  page,
}) => {
  const org = await createOrganization(uniqueSlug('ping'));
  await signInWithSetupLink(page, org.setupLink, org.slug);
  await enableOidcSso(page, org.slug);
  await enableRbac(page, org.slug);
  await turnOnScim(page, org.slug, 'OAuth2');
  await expect(page.getByText('Save with OAuth2 selected to create the OAuth client')).toBeVisible();
  await checkSyncGroups(page);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();

  const scimUrl = await copy(page, 'URL from the SCIM API endpoint');
  const tokenUrl = await copy(page, 'Access token endpoint');
  const authorizeUrl = await copy(page, 'Authorization endpoint');
  const clientId = await copy(page, 'ClientId');
  const clientSecret = await copy(page, 'ClientSecret');
  expect(tokenUrl).toMatch(/\/oauth\/.+\/token$/);
  expect(authorizeUrl).toMatch(/\/oauth\/.+\/authorize$/);
  await expect(page.getByText('Copy it now: it is shown only this once.')).toBeVisible();
  // The secret is in the page's memory only: not in storage, not in the URL.
  const stored = await page.evaluate(() => ({
    local: Object.keys(localStorage).length,
    session: Object.keys(sessionStorage).length,
    url: window.location.href,
  }));
  expect(stored).toEqual({ local: 0, session: 0, url: expect.not.stringContaining(clientSecret) });
  await expectAccessible(page);
  await screenshotAndCheckNarrow(page, 'provisioning-oauth2');

  const result = await runConformance({
    profile: { idp: 'ping', profile: 'p1' },
    target: { baseUrl: scimUrl, oauth: { clientId, clientSecret, tokenUrl } },
    sessions: ['initial-cycle'],
  });
  expect(initialCycle(result)).toEqual(['initial-cycle: passed']);

  // Shown once: after a reload the secret is gone from the page; the client id stays.
  await page.reload();
  await expect(page.getByLabel('ClientId', { exact: true })).toHaveValue(clientId);
  await expect(page.getByLabel('ClientSecret', { exact: true })).toHaveCount(0);
  const secretsTable = page.getByRole('table', { name: 'Client secrets' });
  await expect(secretsTable.getByRole('row')).toHaveCount(2);

  // Rotation with overlap: a second secret is shown once, and the first still works until revoked.
  await page.getByRole('button', { name: 'Add a client secret' }).click();
  const second = await copy(page, 'ClientSecret');
  expect(second).not.toBe(clientSecret);
  await expect(secretsTable.getByRole('row')).toHaveCount(3);
  const tokenWith = (secret: string) =>
    fetch(tokenUrl, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    }).then((r) => r.status);
  expect(await tokenWith(second)).toBe(200);
  await secretsTable.getByRole('button', { name: /^Revoke client secret 1 / }).click();
  await expect(secretsTable.getByRole('row')).toHaveCount(2);
  expect(await tokenWith(clientSecret)).toBe(401);
});

test('Sync SCIM groups opens the Enable groups sync dialog: Cancel and Escape leave it off, Enable saves it', async ({
  page,
}) => {
  const org = await createOrganization(uniqueSlug('groups'));
  await signInWithSetupLink(page, org.setupLink, org.slug);
  // RBAC first (groups sync needs it), on Organization settings.
  await enableRbac(page, org.slug);
  await screenshotAndCheckNarrow(page, 'organization-settings');

  await page.goto(consolePage(org.slug, 'identity/provisioning'));
  await page.getByLabel('Use Identity Provider').check();
  const sync = page.getByLabel('Sync SCIM groups');
  const dialog = page.getByRole('dialog', { name: 'Enable groups sync' });

  await sync.click(); // opens the dialog; the box stays unchecked until Enable
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Enable' })).toBeVisible();
  await expectAccessible(page);
  await screenshotAndCheckNarrow(page, 'provisioning-groups-sync-dialog');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(sync).not.toBeChecked();

  // Keyboard: focus moves into the dialog, Tab stays in it, Escape closes it.
  await sync.focus();
  await page.keyboard.press('Space');
  await expect(dialog).toBeVisible();
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Tab');
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(sync).not.toBeChecked();

  await sync.focus();
  await page.keyboard.press('Space');
  await dialog.getByRole('button', { name: 'Enable' }).click();
  await expect(sync).toBeChecked();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Sync SCIM groups')).toBeChecked();
});

test("preconditions: shown where they apply, and a refusal of Save in the API's words with the page that fixes it", async ({
  page,
}) => {
  const team = await createOrganization(uniqueSlug('team'), { plan: 'team' });
  await signInWithSetupLink(page, team.setupLink, team.slug);
  await turnOnScim(page, team.slug, 'HTTP Header');
  const before = page.getByRole('region', { name: 'Before you save' });
  await expect(before).toContainText('this organization is on the team plan');
  await expect(before.getByRole('link', { name: 'Identity Configuration → SSO' })).toBeVisible();
  await expect(before.getByRole('link', { name: 'API Keys' })).toBeVisible();
  await page.getByRole('button', { name: 'Save' }).click();
  const refusal = page.getByRole('alert');
  await expect(refusal).toContainText(
    'SCIM provisioning is part of the Enterprise plan and this organization is on the team plan.',
  );
  await expect(refusal).toContainText('scim_requires_enterprise_plan');
  await expectAccessible(page);
  await screenshotAndCheckNarrow(page, 'provisioning-preconditions');

  // Enterprise without SSO: the refusal links to the SSO page, which fixes it.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`**/console/${team.slug}/`);
  const enterprise = await createOrganization(uniqueSlug('nosso'));
  await signInWithSetupLink(page, enterprise.setupLink, enterprise.slug);
  await turnOnScim(page, enterprise.slug, 'HTTP Header');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toContainText(
    'SCIM provisioning needs single sign-on: configure and enable SSO first',
  );
  await page.getByRole('alert').getByRole('link', { name: 'Go to Identity Configuration → SSO' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'SSO' })).toBeVisible();

  // With SSO but no system key: the refusal links to API Keys.
  await enableOidcSso(page, enterprise.slug);
  await turnOnScim(page, enterprise.slug, 'HTTP Header');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toContainText(
    'The HTTP Header method needs a system API key with the scim scope',
  );
  await page.getByRole('alert').getByRole('link', { name: 'Go to API Keys' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'API Keys' })).toBeVisible();
});

test('keyboard alone: Use Identity Provider, the SCIM switch, OAuth2 and Save, with a visible focus', async ({
  page,
}) => {
  const org = await createOrganization(uniqueSlug('keyboard'));
  await signInWithSetupLink(page, org.setupLink, org.slug);
  await enableOidcSso(page, org.slug);
  await page.goto(consolePage(org.slug, 'identity/provisioning'));
  await expect(page.getByRole('heading', { level: 1, name: 'Provisioning' })).toBeVisible();
  // From the Manual radio: arrow to Use Identity Provider, Tab to the SCIM switch, Space.
  await page.getByLabel('Manual').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByLabel('Use Identity Provider')).toBeChecked();
  await page.keyboard.press('Tab');
  const scim = page.getByRole('switch', { name: 'SCIM' });
  await expect(scim).toBeFocused();
  // The focus is visible: a ring drawn around the focused control.
  expect(await scim.evaluate((e) => getComputedStyle(e).boxShadow)).not.toBe('none');
  await page.keyboard.press('Space');
  await expect(scim).toHaveAttribute('aria-checked', 'true');
  // On past the precondition's link (no system key yet) to the method.
  await tabTo(page, page.getByLabel('HTTP Header', { exact: true }));
  await page.keyboard.press('ArrowRight');
  await expect(page.getByLabel('OAuth2', { exact: true })).toBeChecked();
  // Tab on to Save (through Copy and the options), then Enter.
  const save = page.getByRole('button', { name: 'Save' });
  await tabTo(page, save);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expect(page.getByLabel('ClientSecret', { exact: true })).toHaveValue(/.{20,}/);
});
