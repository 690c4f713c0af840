/**
 * OIDC sign-in (issue #5) against a fake provider (nock, keys made here): the redirect with PKCE,
 * state and nonce; the callback that validates the ID token and matches the member; the session
 * cookie the portal API accepts; every refusal; forged and mismatched tokens; deactivation ending
 * sessions.
 */
import { randomUUID } from 'node:crypto';
import { insertMember } from '@roster/directory/members';
import { type FakeOidcProvider, startFakeOidcProvider } from '@roster/testkit/oidc-provider';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestOrg, usePortal } from './harness.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
const json = async (res: Response): Promise<any> => res.json();

const portal = usePortal();
let provider: FakeOidcProvider;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
  provider = await startFakeOidcProvider();
});
afterAll(() => {
  provider?.close();
  nock.enableNetConnect();
});

/** An organization signing in with the fake provider; most tests match preferred_username, as Entra ID does. */
async function orgWithSso(userNameClaim?: string, idp = provider): Promise<TestOrg> {
  const org = await portal().newOrg({ plan: 'enterprise' });
  const saved = await org.manager.call('PUT', `/orgs/${org.slug}/identity/sso`, {
    enabled: true,
    oidc: {
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      userNameClaim: userNameClaim ?? 'preferred_username',
    },
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  return org;
}

const cookieOf = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] as string)
    .find((c) => c.startsWith(`${name}=`) && c.length > name.length + 1);

/** GET /sso/{org}/login: the redirect to the provider and the browser's login cookie. */
async function startLogin(slug: string, query = '') {
  const res = await fetch(`${portal().origin}/sso/${slug}/login${query}`, { redirect: 'manual' });
  return { res, location: res.headers.get('location') ?? '', cookie: cookieOf(res, 'roster_sign_in') };
}

/** The whole browser round trip; returns the callback's response. */
async function signIn(
  slug: string,
  claims: Record<string, unknown>,
  options: { forge?: boolean; accept?: string; tamper?: (url: URL) => void } = {},
) {
  const login = await startLogin(slug);
  expect(login.res.status, await login.res.clone().text()).toBe(302);
  const code = provider.code(login.location, { claims, ...(options.forge ? { forge: true } : {}) });
  const request = new URL(login.location).searchParams;
  const callback = new URL(request.get('redirect_uri') as string);
  callback.searchParams.set('code', code);
  callback.searchParams.set('state', request.get('state') as string);
  options.tamper?.(callback);
  return fetch(callback, {
    redirect: 'manual',
    headers: { Cookie: login.cookie ?? '', Accept: options.accept ?? 'application/json' },
  });
}

const asSession = (slug: string, session: string, method = 'GET', path = '/members/me', body?: unknown) =>
  fetch(`${portal().origin}/api/v1/orgs/${slug}${path}`, {
    method,
    headers: {
      Cookie: session,
      ...(body ? { 'Content-Type': 'application/json', Origin: portal().origin } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

describe('OIDC sign-in', () => {
  it('redirects to the provider with PKCE (S256), state, nonce and the callback URL', async () => {
    const org = await orgWithSso();
    const { res, location, cookie } = await startLogin(org.slug);
    expect(res.status).toBe(302);
    const url = new URL(location);
    expect(`${url.origin}${url.pathname}`).toBe(`${provider.issuer}/authorize`);
    const params = url.searchParams;
    expect(params.get('client_id')).toBe(provider.clientId);
    expect(params.get('response_type')).toBe('code');
    expect(params.get('scope')).toBe('openid email profile');
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(params.get('state')).toBeTruthy();
    expect(params.get('nonce')).toBeTruthy();
    expect(params.get('redirect_uri')).toBe(`${portal().origin}/sso/${org.slug}/callback`);
    const setCookie = res.headers.getSetCookie().join('\n');
    expect(cookie).toBeTruthy();
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/Secure/);
    expect(setCookie).toMatch(new RegExp(`Path=/sso/${org.slug}/`));
  });

  it('signs a member in: a session cookie the portal API accepts, with the current role', async () => {
    const org = await orgWithSso();
    const member = await org.addMember('basic');
    const me = await member.call('GET', `/orgs/${org.slug}/members/me`);
    const res = await signIn(org.slug, {
      sub: 'idp-user-1',
      preferred_username: me.body.userName.toUpperCase(),
    });
    expect(res.status, await res.clone().text()).toBe(303);
    expect(res.headers.get('location')).toBe(`/console/${org.slug}/`);
    const session = cookieOf(res, 'roster_session') as string;
    expect(session).toMatch(/^roster_session=rss_/);
    expect(res.headers.getSetCookie().find((c) => c.startsWith('roster_session='))).toMatch(
      /HttpOnly.*Secure|Secure.*HttpOnly/,
    );
    const asMember = await asSession(org.slug, session);
    expect(asMember.status).toBe(200);
    expect((await json(asMember)).id).toBe(member.id);

    // A role change shows in the next request.
    expect((await asSession(org.slug, session, 'GET', '/members')).status).toBe(403);
    await org.manager.call('PATCH', `/orgs/${org.slug}/members/${member.id}`, { role: 'manager' });
    expect((await asSession(org.slug, session, 'GET', '/members')).status).toBe(200);

    // Another organization refuses this organization's session.
    const other = await orgWithSso();
    expect((await asSession(other.slug, session)).status).toBe(401);

    // Sign-out ends it.
    const out = await fetch(`${portal().origin}/sso/${org.slug}/logout`, {
      method: 'POST',
      headers: { Cookie: session },
    });
    expect(out.status).toBe(204);
    const after = await asSession(org.slug, session);
    expect(after.status).toBe(401);
    expect((await json(after)).error.message).toMatch(/ended/);
  });

  it("ends a member's sessions when they are deactivated; reactivated, they sign in again", async () => {
    const org = await orgWithSso();
    const member = await org.addMember('basic');
    const me = await member.call('GET', `/orgs/${org.slug}/members/me`);
    const claims = { sub: 'idp-user-2', preferred_username: me.body.userName };
    const session = cookieOf(await signIn(org.slug, claims), 'roster_session') as string;
    expect((await asSession(org.slug, session)).status).toBe(200);
    await org.manager.call('PATCH', `/orgs/${org.slug}/members/${member.id}`, { status: 'deactivated' });
    expect((await asSession(org.slug, session)).status).toBe(401);
    const refused = await signIn(org.slug, claims);
    expect(refused.status).toBe(403);
    expect((await json(refused)).error.code).toBe('member_deactivated');
    await org.manager.call('PATCH', `/orgs/${org.slug}/members/${member.id}`, { status: 'active' });
    expect((await asSession(org.slug, session)).status).toBe(401);
    const again = cookieOf(await signIn(org.slug, claims), 'roster_session') as string;
    expect((await asSession(org.slug, again)).status).toBe(200);
  });

  it('refuses an unknown member, as JSON or as a page', async () => {
    const org = await orgWithSso();
    const res403 = await signIn(org.slug, { sub: 'x', preferred_username: 'nobody@example.com' });
    expect(res403.status).toBe(403);
    const body = await json(res403);
    expect(body.error.code).toBe('not_a_member');
    expect(body.error.message).toMatch(/nobody@example.com is not a member/);
    expect(cookieOf(res403, 'roster_session')).toBeUndefined();
    const page = await signIn(
      org.slug,
      { sub: 'x', preferred_username: 'nobody@example.com' },
      { accept: 'text/html' },
    );
    expect(page.status).toBe(403);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toMatch(/is not a member/);
    const nameless = await signIn(org.slug, { sub: 'x', email: 'nobody@example.com', email_verified: true });
    const refusal = (await json(nameless)).error;
    expect(refusal.code).toBe('unknown_member');
    expect(refusal.message).toMatch(/the preferred_username claim is missing/);
  });

  it('refuses when SSO is off, and for an unknown organization', async () => {
    const org = await orgWithSso();
    await org.manager.call('PUT', `/orgs/${org.slug}/identity/sso`, {
      enabled: false,
      oidc: { issuer: provider.issuer, clientId: provider.clientId },
    });
    const off = await startLogin(org.slug);
    expect(off.res.status).toBe(403);
    expect((await json(off.res)).error.code).toBe('sso_disabled');
    expect((await startLogin('no-such-org')).res.status).toBe(404);
  });

  it('refuses forged, replayed and mismatched answers', async () => {
    const org = await orgWithSso();
    const member = await org.addMember('basic');
    const me = await member.call('GET', `/orgs/${org.slug}/members/me`);
    const claims = { sub: 'idp-user-3', preferred_username: me.body.userName };
    const failed = async (res: Response) => {
      expect(res.status).toBe(401);
      expect((await json(res)).error.code).toBe('sign_in_failed');
      expect(cookieOf(res, 'roster_session')).toBeUndefined();
    };
    await failed(await signIn(org.slug, claims, { forge: true }));
    await failed(await signIn(org.slug, { ...claims, nonce: 'another-nonce' }));
    await failed(await signIn(org.slug, { ...claims, aud: 'another-client' }));
    await failed(await signIn(org.slug, { ...claims, iss: 'https://evil.test' }));
    await failed(await signIn(org.slug, { ...claims, exp: Math.floor(Date.now() / 1000) - 3600 }));
    await failed(
      await signIn(org.slug, claims, { tamper: (url) => url.searchParams.set('state', 'forged') }),
    );
    await failed(
      await signIn(org.slug, claims, { tamper: (url) => url.searchParams.set('code', 'unknown') }),
    );

    // A callback without this browser's login cookie (another browser, or a replay) is refused.
    const login = await startLogin(org.slug);
    const request = new URL(login.location).searchParams;
    const callback = `${request.get('redirect_uri')}?code=${provider.code(login.location, { claims })}&state=${request.get('state')}`;
    const stranger = await fetch(callback, { redirect: 'manual' });
    expect(stranger.status).toBe(400);
    expect((await json(stranger)).error.code).toBe('no_sign_in_in_progress');
    // The login cookie of one organization does not work for another.
    const other = await orgWithSso();
    const crossed = await fetch(callback.replace(`/sso/${org.slug}/`, `/sso/${other.slug}/`), {
      redirect: 'manual',
      headers: { Cookie: login.cookie ?? '' },
    });
    expect(crossed.status).toBe(400);
  });

  it('takes changes with a session only from its own origin', async () => {
    const org = await orgWithSso();
    const me = await org.manager.call('GET', `/orgs/${org.slug}/members/me`);
    const session = cookieOf(
      await signIn(org.slug, { sub: 'm', preferred_username: me.body.userName }),
      'roster_session',
    ) as string;
    const crossSite = await fetch(`${portal().origin}/api/v1/orgs/${org.slug}`, {
      method: 'PATCH',
      headers: { Cookie: session, 'Content-Type': 'application/json', Origin: 'https://evil.test' },
      body: JSON.stringify({ name: 'Pwned' }),
    });
    expect(crossSite.status).toBe(403);
    expect((await json(crossSite)).error.code).toBe('cross_origin_request');
    const sameSite = await asSession(org.slug, session, 'PATCH', '', { name: 'Renamed' });
    expect(sameSite.status).toBe(200);
  });

  it('never redirects off the origin after sign-in', async () => {
    const org = await orgWithSso();
    const me = await org.manager.call('GET', `/orgs/${org.slug}/members/me`);
    for (const returnTo of ['//evil.test/x', 'https://evil.test/', '/\\evil.test']) {
      const login = await startLogin(org.slug, `?returnTo=${encodeURIComponent(returnTo)}`);
      const request = new URL(login.location).searchParams;
      const code = provider.code(login.location, {
        claims: { sub: 'm', preferred_username: me.body.userName },
      });
      const res = await fetch(`${request.get('redirect_uri')}?code=${code}&state=${request.get('state')}`, {
        redirect: 'manual',
        headers: { Cookie: login.cookie ?? '' },
      });
      expect(res.headers.get('location')).toBe(`/console/${org.slug}/`);
    }
  });
});

describe('who signs in: one configured claim, against userName only', () => {
  const userNameOf = async (org: TestOrg, member: { call: TestOrg['manager']['call'] }) =>
    (await member.call('GET', `/orgs/${org.slug}/members/me`)).body.userName as string;
  const code = async (res: Response) => (await json(res)).error.code as string;

  it('matches email by default, and only when email_verified is true', async () => {
    const org = await portal().newOrg({ plan: 'enterprise' });
    const saved = await org.manager.call('PUT', `/orgs/${org.slug}/identity/sso`, {
      enabled: true,
      oidc: { issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret },
    });
    expect(saved.body.oidc.userNameClaim).toBe('email');
    const userName = await userNameOf(org, await org.addMember('basic'));
    for (const verified of [false, 'true', undefined]) {
      const res = await signIn(org.slug, {
        sub: 's1',
        email: userName,
        ...(verified === undefined ? {} : { email_verified: verified }),
      });
      expect(res.status, String(verified)).toBe(403);
      expect(await code(res)).toBe('email_not_verified');
      expect(cookieOf(res, 'roster_session')).toBeUndefined();
    }
    const ok = await signIn(org.slug, { sub: 's1', email: userName.toUpperCase(), email_verified: true });
    expect(ok.status, await ok.clone().text()).toBe(303);
  });

  it('does not fall back to another claim, nor to a secondary email', async () => {
    const org = await orgWithSso('email');
    const userName = await userNameOf(org, await org.addMember('basic'));
    // email names no one; preferred_username names a member: refused, since the claim is email.
    const other = await signIn(org.slug, {
      sub: 's2',
      email: 'someone.else@example.com',
      email_verified: true,
      preferred_username: userName,
      upn: userName,
    });
    expect(other.status).toBe(403);
    expect(await code(other)).toBe('not_a_member');

    // A member whose secondary email is the token's email is not that token's member.
    const id = randomUUID();
    const secondary = `secondary.${id.slice(0, 8)}@example.com`;
    await portal()
      .handle.db.transaction()
      .execute((trx) =>
        insertMember(trx, {
          orgId: org.id,
          id,
          data: {
            userName: `primary.${id.slice(0, 8)}@example.com`,
            emails: [
              { value: `primary.${id.slice(0, 8)}@example.com`, type: 'work', primary: true },
              { value: secondary, type: 'home' },
            ],
            active: true,
          },
          managedBy: 'scim',
        }),
      );
    const bySecondary = await signIn(org.slug, { sub: 's3', email: secondary, email_verified: true });
    expect(bySecondary.status).toBe(403);
    expect(await code(bySecondary)).toBe('not_a_member');
  });

  it('takes upn when chosen (Entra ID), and then nothing else', async () => {
    const org = await orgWithSso('upn');
    const userName = await userNameOf(org, await org.addMember('basic'));
    const byPreferred = await signIn(org.slug, { sub: 's4', preferred_username: userName });
    expect(await code(byPreferred)).toBe('unknown_member');
    expect((await signIn(org.slug, { sub: 's4', upn: userName })).status).toBe(303);
    const invalid = await org.manager.call('PUT', `/orgs/${org.slug}/identity/sso`, {
      enabled: true,
      oidc: { issuer: provider.issuer, clientId: provider.clientId, userNameClaim: 'name' },
    });
    expect(invalid.status).toBe(400);
  });
});

describe('sign-in binds the member to the provider account', () => {
  const bindings = (orgId: string) =>
    portal()
      .handle.db.selectFrom('member_sign_in_bindings')
      .select(['member_id', 'issuer', 'subject'])
      .where('org_id', '=', orgId)
      .execute();
  const events = (orgId: string, action: string) =>
    portal()
      .handle.db.selectFrom('audit_events')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('action', '=', action)
      .execute();

  it('binds (issuer, sub) at the first sign-in and refuses another sub for that member, audited', async () => {
    const org = await orgWithSso();
    const member = await org.addMember('basic');
    const userName = (await member.call('GET', `/orgs/${org.slug}/members/me`)).body.userName;
    expect((await signIn(org.slug, { sub: 'first-sub', preferred_username: userName })).status).toBe(303);
    expect(await bindings(org.id)).toEqual([
      { member_id: member.id, issuer: provider.issuer, subject: 'first-sub' },
    ]);

    const json403 = await signIn(org.slug, { sub: 'other-sub', preferred_username: userName });
    expect(json403.status).toBe(403);
    const body = await json(json403);
    expect(body.error.code).toBe('sign_in_account_mismatch');
    expect(body.error.message).toMatch(/another account of the identity provider/);
    expect(cookieOf(json403, 'roster_session')).toBeUndefined();
    const page = await signIn(
      org.slug,
      { sub: 'other-sub', preferred_username: userName },
      { accept: 'text/html' },
    );
    expect(page.status).toBe(403);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toMatch(/Sign-in refused.*another account/s);

    const refused = await events(org.id, 'member.sign_in_refused');
    expect(refused).toHaveLength(2);
    expect(refused[0]).toMatchObject({ actor_type: 'system', target_type: 'member', target_id: member.id });
    expect(refused[0]?.changes).toMatchObject({
      method: 'oidc',
      reason: 'other_account',
      presented: { issuer: provider.issuer, subject: 'other-sub' },
    });
    // The bound account still signs in; the binding is unchanged.
    expect((await signIn(org.slug, { sub: 'first-sub', preferred_username: userName })).status).toBe(303);
    expect((await bindings(org.id)).map((b) => b.subject)).toEqual(['first-sub']);

    // The bound account cannot sign in as another member either.
    const second = await org.addMember('basic');
    const secondName = (await second.call('GET', `/orgs/${org.slug}/members/me`)).body.userName;
    const taken = await signIn(org.slug, { sub: 'first-sub', preferred_username: secondName });
    expect(taken.status).toBe(403);
    expect((await json(taken)).error.code).toBe('sign_in_account_mismatch');

    // The binding goes with its member.
    expect((await org.manager.call('DELETE', `/orgs/${org.slug}/members/${member.id}`)).status).toBe(204);
    expect(await bindings(org.id)).toEqual([]);
  });

  it('clears bindings when the portal changes the issuer (audited), and on no other save', async () => {
    const org = await orgWithSso();
    const member = await org.addMember('basic');
    const userName = (await member.call('GET', `/orgs/${org.slug}/members/me`)).body.userName;
    expect((await signIn(org.slug, { sub: 'sub-a', preferred_username: userName })).status).toBe(303);

    // Same issuer, other settings (claim, client, enabled): the binding stays.
    const same = {
      issuer: provider.issuer,
      clientId: provider.clientId,
      clientSecret: provider.clientSecret,
    };
    for (const body of [
      { enabled: true, oidc: { ...same, userNameClaim: 'upn' } },
      { enabled: false, oidc: same },
      { enabled: true, oidc: { ...same, userNameClaim: 'preferred_username' } },
    ]) {
      expect((await org.manager.call('PUT', `/orgs/${org.slug}/identity/sso`, body)).status).toBe(200);
    }
    expect(await bindings(org.id)).toHaveLength(1);
    expect(await events(org.id, 'identity.sign_in_bindings.cleared')).toHaveLength(0);

    // Another issuer: the bindings go, with an audit event naming the change.
    const next = await startFakeOidcProvider();
    try {
      const changed = await org.manager.call('PUT', `/orgs/${org.slug}/identity/sso`, {
        enabled: true,
        oidc: {
          issuer: next.issuer,
          clientId: next.clientId,
          clientSecret: next.clientSecret,
          userNameClaim: 'preferred_username',
        },
      });
      expect(changed.status).toBe(200);
      expect(await bindings(org.id)).toHaveLength(0);
      const cleared = await events(org.id, 'identity.sign_in_bindings.cleared');
      expect(cleared).toHaveLength(1);
      expect(cleared[0]).toMatchObject({ actor_type: 'member', actor_id: org.manager.id });
      expect(cleared[0]?.changes).toEqual({ cleared: 1, issuer: { from: provider.issuer, to: next.issuer } });

      // The member signs in with the new provider's account and is bound to it.
      const login = await startLogin(org.slug);
      const request = new URL(login.location).searchParams;
      const callback = `${request.get('redirect_uri')}?code=${next.code(login.location, {
        claims: { sub: 'sub-b', preferred_username: userName },
      })}&state=${request.get('state')}`;
      const res = await fetch(callback, {
        redirect: 'manual',
        headers: { Cookie: login.cookie ?? '', Accept: 'application/json' },
      });
      expect(res.status, await res.clone().text()).toBe(303);
      expect(await bindings(org.id)).toEqual([
        { member_id: member.id, issuer: next.issuer, subject: 'sub-b' },
      ]);
    } finally {
      next.close();
    }
  });
});

describe("the provider's own endpoints go through the same rules", () => {
  it('refuses a token endpoint at a metadata address from the discovery document, generically', async () => {
    // A provider whose discovery document sends the token request to the cloud metadata service.
    const issuer = `https://idp-${randomUUID().slice(0, 8)}.test`;
    const scope = nock(issuer)
      .persist()
      .get('/.well-known/openid-configuration')
      .reply(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: 'https://169.254.169.254/latest/meta-data/iam/security-credentials/',
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    try {
      const org = await portal().newOrg({ plan: 'enterprise' });
      const saved = await org.manager.call('PUT', `/orgs/${org.slug}/identity/sso`, {
        enabled: true,
        oidc: { issuer, clientId: 'roster', clientSecret: 'a-client-secret' },
      });
      expect(saved.status).toBe(200);
      const login = await startLogin(org.slug);
      expect(login.res.status).toBe(302);
      const request = new URL(login.location).searchParams;
      const callback = `${request.get('redirect_uri')}?code=abc&state=${request.get('state')}`;
      const res = await fetch(callback, {
        redirect: 'manual',
        headers: { Cookie: login.cookie ?? '', Accept: 'application/json' },
      });
      expect(res.status).toBe(409);
      const { error } = await json(res);
      expect(error.code).toBe('sso_provider_not_allowed');
      expect(error.message).not.toMatch(/169\.254/);
      expect(cookieOf(res, 'roster_session')).toBeUndefined();
    } finally {
      scope.persist(false);
    }
  });
});
