/** Identity Configuration → SSO: the values to copy, and refusals shown field by field in the API's words. */
import {
  clipboard,
  consolePage,
  expect,
  expectAccessible,
  screenshotAndCheckNarrow,
  signInWithSetupLink,
  test,
} from './fixtures';
import { createOrganization, uniqueSlug } from './roster';

test("OIDC: the redirect URI to copy; enabling without a secret or with a private issuer is refused in the API's words", async ({
  page,
}) => {
  const org = await createOrganization(uniqueSlug('sso'));
  await signInWithSetupLink(page, org.setupLink, org.slug);
  await page.goto(consolePage(org.slug, 'identity/sso'));
  await page.getByRole('button', { name: 'Copy Redirect URI' }).click();
  expect(await clipboard(page)).toMatch(new RegExp(`/sso/${org.slug}/callback$`));
  await expect(page.getByRole('switch', { name: 'SSO' })).toHaveAttribute('aria-checked', 'false');

  await page
    .getByLabel('Issuer')
    .fill('https://login.microsoftonline.com/00000000-0000-0000-0000-0000000000a1/v2.0');
  await page.getByLabel('Client ID').fill('client-1');
  await page.getByRole('switch', { name: 'SSO' }).click();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toContainText(
    'SSO can be enabled only with an OIDC issuer, a client id and a client secret',
  );
  await expect(page.getByRole('alert')).toContainText('sso_incomplete');

  // Production rules: the server would fetch the issuer, so a private address is refused.
  await page.getByLabel('Issuer').fill('https://10.0.0.5/tenant');
  await page.getByLabel('Client secret').fill('s3cret');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toContainText("The identity provider's address is not allowed");
  await expectAccessible(page);

  await page
    .getByLabel('Issuer')
    .fill('https://login.microsoftonline.com/00000000-0000-0000-0000-0000000000a1/v2.0');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('switch', { name: 'SSO' })).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByText('A secret is stored (it is never shown).')).toBeVisible();
  await expect(page.getByLabel('Client secret')).toHaveValue('');
});

test('SAML: the ACS URL and entity id to copy; a certificate that is not one is refused field by field', async ({
  page,
}) => {
  const org = await createOrganization(uniqueSlug('saml'));
  await signInWithSetupLink(page, org.setupLink, org.slug);
  await page.goto(consolePage(org.slug, 'identity/sso'));
  await page.getByLabel('SAML 2.0').check();
  await page.getByRole('button', { name: 'Copy ACS URL (Reply URL)' }).click();
  expect(await clipboard(page)).toMatch(new RegExp(`/sso/${org.slug}/saml/acs$`));
  await page.getByRole('button', { name: 'Copy Entity ID (metadata URL)' }).click();
  expect(await clipboard(page)).toMatch(new RegExp(`/sso/${org.slug}/saml/metadata$`));
  await page.getByLabel('Sign-on URL').fill('https://idp.example.com/saml/sso');
  await page.getByLabel('Signing certificate').fill('not a certificate');
  await page.getByRole('button', { name: 'Save' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('The request is not valid: see details.');
  await expect(alert).toContainText(
    'saml.certificate: The certificate must be an X.509 certificate, PEM or base64.',
  );
  await expectAccessible(page);
  await screenshotAndCheckNarrow(page, 'sso-saml');
});
