/**
 * SAML 2.0 sign-in (issue #5) against a fake IdP (a self-signed certificate and xml-crypto made
 * here): SP metadata, the AuthnRequest redirect, the signed response's checks (signature,
 * audience, recipient, time window, InResponseTo, issuer), replay, and the same member matching
 * and refusals as OIDC.
 */
import { browserSamlSignIn, type FakeSamlIdp, startFakeSamlIdp } from '@roster/testkit/saml-idp';
import { beforeAll, describe, expect, it } from 'vitest';
import { type TestOrg, usePortal } from './harness.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
const json = async (res: Response): Promise<any> => res.json();

const portal = usePortal();
let idp: FakeSamlIdp;
beforeAll(() => {
  idp = startFakeSamlIdp();
});

async function orgWithSaml(): Promise<TestOrg> {
  const org = await portal().newOrg({ plan: 'enterprise' });
  const saved = await org.manager.call('PUT', `/orgs/${org.slug}/identity/sso`, {
    enabled: true,
    protocol: 'saml',
    saml: { entryPoint: idp.ssoUrl, idpEntityId: idp.entityId, certificate: idp.certificate },
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  return org;
}

const userNameOf = async (org: TestOrg, member: { call: TestOrg['manager']['call'] }) =>
  (await member.call('GET', `/orgs/${org.slug}/members/me`)).body.userName as string;

const me = (slug: string, session: string) =>
  fetch(`${portal().origin}/api/v1/orgs/${slug}/members/me`, { headers: { Cookie: session } });

describe('SAML sign-in', () => {
  it('configures the IdP, serves SP metadata and redirects with an AuthnRequest', async () => {
    const org = await orgWithSaml();
    const sso = await org.manager.call('GET', `/orgs/${org.slug}/identity/sso`);
    const origin = portal().origin;
    expect(sso.body).toMatchObject({
      protocol: 'saml',
      samlMetadataUrl: `${origin}/sso/${org.slug}/saml/metadata`,
      samlAcsUrl: `${origin}/sso/${org.slug}/saml/acs`,
      saml: { entryPoint: idp.ssoUrl, idpEntityId: idp.entityId },
    });
    expect(sso.body.saml.certificateSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);

    const metadata = await fetch(sso.body.samlMetadataUrl);
    expect(metadata.status).toBe(200);
    const xml = await metadata.text();
    expect(xml).toContain(`entityID="${sso.body.samlMetadataUrl}"`);
    expect(xml).toContain(`Location="${sso.body.samlAcsUrl}"`);

    const login = await fetch(`${origin}/sso/${org.slug}/login`, { redirect: 'manual' });
    expect(login.status).toBe(302);
    const location = new URL(login.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(idp.ssoUrl);
    expect(location.searchParams.get('SAMLRequest')).toBeTruthy();
    // The IdP POSTs back across sites: the login cookie must travel with that POST.
    expect(login.headers.getSetCookie().join('\n')).toMatch(/SameSite=None/i);
  });

  it('refuses a certificate that is not one, and needs the SAML settings for the SAML protocol', async () => {
    const org = await portal().newOrg({ plan: 'enterprise' });
    const bad = await org.manager.call('PUT', `/orgs/${org.slug}/identity/sso`, {
      enabled: true,
      protocol: 'saml',
      saml: { entryPoint: idp.ssoUrl, certificate: 'not a certificate' },
    });
    expect(bad.status).toBe(400);
    const missing = await org.manager.call('PUT', `/orgs/${org.slug}/identity/sso`, {
      enabled: true,
      protocol: 'saml',
    });
    expect(missing.status).toBe(400);
  });

  it('signs a member in by NameID; the session works until deactivation', async () => {
    const org = await orgWithSaml();
    const member = await org.addMember('basic');
    const userName = await userNameOf(org, member);
    const signedIn = await browserSamlSignIn(idp, portal().origin, org.slug, {
      nameId: userName.toUpperCase(),
    });
    expect(signedIn.response.status, await signedIn.response.clone().text()).toBe(303);
    expect(signedIn.response.headers.get('location')).toBe(`/console/${org.slug}/`);
    expect((await me(org.slug, signedIn.session as string)).status).toBe(200);

    await org.manager.call('PATCH', `/orgs/${org.slug}/members/${member.id}`, { status: 'deactivated' });
    expect((await me(org.slug, signedIn.session as string)).status).toBe(401);
    const refused = await browserSamlSignIn(idp, portal().origin, org.slug, { nameId: userName });
    expect(refused.response.status).toBe(403);
    expect((await json(refused.response)).error.code).toBe('member_deactivated');

    const stranger = await browserSamlSignIn(idp, portal().origin, org.slug, {
      nameId: 'nobody@example.com',
    });
    expect((await json(stranger.response)).error.code).toBe('not_a_member');
  });

  it('matches the NameID only, or the one configured attribute only', async () => {
    const org = await orgWithSaml();
    const userName = await userNameOf(org, await org.addMember('basic'));
    // NameID (the default): an email attribute naming the member does not count.
    const byAttribute = await browserSamlSignIn(idp, portal().origin, org.slug, {
      nameId: 'opaque-id-123',
      email: userName,
    });
    expect(byAttribute.response.status).toBe(403);
    expect((await json(byAttribute.response)).error.code).toBe('not_a_member');

    const attribute = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';
    const saved = await org.manager.call('PUT', `/orgs/${org.slug}/identity/sso`, {
      enabled: true,
      protocol: 'saml',
      saml: {
        entryPoint: idp.ssoUrl,
        idpEntityId: idp.entityId,
        certificate: idp.certificate,
        userNameAttribute: attribute,
      },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.saml.userNameAttribute).toBe(attribute);
    // The attribute: the NameID naming the member no longer counts; the attribute does.
    const byNameId = await browserSamlSignIn(idp, portal().origin, org.slug, { nameId: userName });
    expect(byNameId.response.status).toBe(403);
    expect((await json(byNameId.response)).error.code).toBe('unknown_member');
    const ok = await browserSamlSignIn(idp, portal().origin, org.slug, {
      nameId: 'opaque-id-123',
      email: userName,
    });
    expect(ok.response.status, await ok.response.clone().text()).toBe(303);
  });

  it('binds the member to (Issuer, NameID) and refuses another NameID for them', async () => {
    const org = await orgWithSaml();
    const attribute = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';
    await org.manager.call('PUT', `/orgs/${org.slug}/identity/sso`, {
      enabled: true,
      protocol: 'saml',
      saml: {
        entryPoint: idp.ssoUrl,
        idpEntityId: idp.entityId,
        certificate: idp.certificate,
        userNameAttribute: attribute,
      },
    });
    const member = await org.addMember('basic');
    const userName = await userNameOf(org, member);
    const first = await browserSamlSignIn(idp, portal().origin, org.slug, {
      nameId: 'id-1',
      email: userName,
    });
    expect(first.response.status).toBe(303);
    const rows = await portal()
      .handle.db.selectFrom('member_sign_in_bindings')
      .select(['member_id', 'issuer', 'subject'])
      .where('org_id', '=', org.id)
      .execute();
    expect(rows).toEqual([{ member_id: member.id, issuer: idp.entityId, subject: 'id-1' }]);
    const other = await browserSamlSignIn(idp, portal().origin, org.slug, {
      nameId: 'id-2',
      email: userName,
    });
    expect(other.response.status).toBe(403);
    expect((await json(other.response)).error.code).toBe('sign_in_account_mismatch');
    const refused = await portal()
      .handle.db.selectFrom('audit_events')
      .select('changes')
      .where('org_id', '=', org.id)
      .where('action', '=', 'member.sign_in_refused')
      .execute();
    expect(refused.map((e) => e.changes)).toEqual([
      { method: 'saml', reason: 'other_account', presented: { issuer: idp.entityId, subject: 'id-2' } },
    ]);

    // A new IdP entity id is a new issuer: saved through the portal, the bindings go.
    await org.manager.call('PUT', `/orgs/${org.slug}/identity/sso`, {
      enabled: true,
      protocol: 'saml',
      saml: { entryPoint: idp.ssoUrl, certificate: idp.certificate, userNameAttribute: attribute },
    });
    const left = await portal()
      .handle.db.selectFrom('member_sign_in_bindings')
      .select('subject')
      .where('org_id', '=', org.id)
      .execute();
    expect(left).toEqual([]);
  });

  it('refuses a replayed response', async () => {
    const org = await orgWithSaml();
    const userName = await userNameOf(org, await org.addMember('basic'));
    const first = await browserSamlSignIn(idp, portal().origin, org.slug, { nameId: userName });
    expect(first.response.status).toBe(303);
    const replay = await first.post();
    expect(replay.status).toBe(401);
    expect((await json(replay)).error.message).toMatch(/already been used/);
  });

  it('refuses forged, tampered, expired, misdirected and unsolicited responses', async () => {
    const org = await orgWithSaml();
    const userName = await userNameOf(org, await org.addMember('basic'));
    const cases = {
      forged: { nameId: userName, forge: true },
      tampered: { nameId: 'nobody@example.com', tamperWith: userName },
      expired: { nameId: userName, validForSeconds: -120 },
      'for another audience': { nameId: userName, audience: 'https://other-sp.test/metadata' },
      'for another recipient': { nameId: userName, recipient: 'https://other-sp.test/acs' },
      'from another issuer': { nameId: userName, issuer: 'https://evil.test/saml' },
      'answering another request': { nameId: userName, inResponseTo: '_not-our-request' },
    };
    for (const [name, answer] of Object.entries(cases)) {
      const { response, session } = await browserSamlSignIn(idp, portal().origin, org.slug, answer);
      expect(response.status, name).toBe(401);
      expect((await json(response)).error.code, name).toBe('sign_in_failed');
      expect(session, name).toBeUndefined();
    }
    // Without the browser's login cookie (IdP-initiated, or another browser): refused.
    const login = await fetch(`${portal().origin}/sso/${org.slug}/login`, { redirect: 'manual' });
    const { samlResponse, acsUrl } = idp.respond(login.headers.get('location') ?? '', { nameId: userName });
    const unsolicited = await fetch(acsUrl, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({ SAMLResponse: samlResponse }),
    });
    expect(unsolicited.status).toBe(400);
    expect((await json(unsolicited)).error.code).toBe('no_sign_in_in_progress');
  });
});
