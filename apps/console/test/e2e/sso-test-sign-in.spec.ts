/**
 * Identity Configuration → SSO → Test sign-in, with SSO off: the identity provider opens in a new
 * window (the testkit's SAML IdP, answering at an address the browser routes to it), and the SSO
 * page shows who it said signed in, or why it failed; SSO stays off.
 */
import type { Route } from '@playwright/test';
import { type SamlAnswer, startFakeSamlIdp } from '@roster/testkit/saml-idp';
import {
  consolePage,
  expect,
  expectAccessible,
  screenshotAndCheckNarrow,
  signInWithSetupLink,
  test,
} from './fixtures';
import { createOrganization, uniqueSlug } from './roster';

/** Loopback http is allowed as a SAML sign-on URL; nothing listens there: the test answers. */
const SIGN_ON_URL = 'http://localhost:9/saml/sso';

test('Test sign-in reports who the IdP signed in, or why it failed, before SSO is enabled', async ({
  page,
  context,
}) => {
  const org = await createOrganization(uniqueSlug('ssotest'));
  const idp = startFakeSamlIdp();
  let answer: SamlAnswer = { nameId: org.admin, email: org.admin };
  // The IdP: it "signs the user in" at once and POSTs its signed response to Roster's ACS URL.
  await context.route(`${SIGN_ON_URL}**`, async (route: Route) => {
    const { samlResponse, acsUrl } = idp.respond(route.request().url(), answer);
    await route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><title>IdP</title><form method="post" action="${acsUrl}"><input type="hidden" name="SAMLResponse" value="${samlResponse}"></form><script>document.forms[0].submit()</script></html>`,
    });
  });

  await signInWithSetupLink(page, org.setupLink, org.slug);
  await page.goto(consolePage(org.slug, 'identity/sso'));
  await page.getByLabel('SAML 2.0').check();
  await page.getByLabel('Sign-on URL').fill(SIGN_ON_URL);
  await page.getByLabel('Identity provider entity ID (optional)').fill(idp.entityId);
  await page.getByLabel('Signing certificate').fill(idp.certificate);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expect(page.getByRole('switch', { name: 'SSO' })).toHaveAttribute('aria-checked', 'false');

  const opened = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Test sign-in' }).click();
  const popup = await opened;
  await expect(popup.getByRole('heading', { name: 'Test sign-in succeeded' })).toBeVisible();
  await expect(popup.getByText('Nobody was signed in.')).toBeVisible();
  await popup.close();
  const result = page.getByRole('status').filter({ hasText: 'Test sign-in succeeded.' });
  await expect(result).toContainText(`With SSO on, this account signs in as ${org.admin}.`);
  await expect(result).toContainText('User name (the NameID)');
  await expectAccessible(page);
  await screenshotAndCheckNarrow(page, 'sso-test-sign-in');

  // A response signed with another key than the saved certificate: the library's words.
  answer = { nameId: org.admin, forge: true };
  const again = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Test sign-in' }).click();
  const second = await again;
  await expect(second.getByRole('heading', { name: 'Test sign-in failed' })).toBeVisible();
  await second.close();
  const failed = page.getByRole('status').filter({ hasText: 'Test sign-in failed:' });
  await expect(failed).toContainText("The identity provider's SAML response was refused");
  await expect(failed).toContainText('sign_in_failed');
  await expectAccessible(page);

  // SSO is still off.
  await page.reload();
  await expect(page.getByRole('switch', { name: 'SSO' })).toHaveAttribute('aria-checked', 'false');
});
