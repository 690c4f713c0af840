/**
 * The organizations' OAuth 2.0 authorization servers over HTTP on real PostgreSQL, driven by
 * openid-client as an identity provider would: RFC 8414 discovery, the client-credentials grant
 * with HTTP Basic and with the secret in the form body, the authorization-code grant with PKCE
 * approved by a manager, refresh, and every refusal with its RFC 6749 error code.
 */
import { accessTokenKey, clientSecretId, verifyAccessToken } from '@roster/auth/access-tokens';
import { ephemeralSecretKey } from '@roster/auth/secret-box';
import * as oidc from 'openid-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Response, send, type TestOrg, usePortal } from './harness.js';

const portal = usePortal();
const REDIRECT = 'https://idp.example.com/oauth/callback';

interface OAuthOrg extends TestOrg {
  call(method: string, path: string, body?: unknown): Promise<Response>;
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** The admin's flow to SCIM with OAuth 2.0, through the portal API; returns the client. */
async function oauthOrg(): Promise<OAuthOrg> {
  const org = await portal().newOrg({ plan: 'enterprise' });
  const call = (method: string, path: string, body?: unknown) =>
    org.manager.call(method, `/orgs/${org.slug}${path}`, body);
  const sso = await call('PUT', '/identity/sso', {
    enabled: true,
    oidc: { issuer: 'https://login.example.com', clientId: 'roster', clientSecret: 'oidc-secret-123456' },
  });
  expect(sso.status).toBe(200);
  const saved = await call('PUT', '/identity/provisioning', {
    mode: 'identity_provider',
    scimEnabled: true,
    authMethod: 'oauth2',
    provisionExistingUsers: false,
    syncGroups: false,
    oauthRedirectUris: [REDIRECT],
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  return {
    ...org,
    call,
    issuer: `${portal().origin}/oauth/${org.slug}`,
    clientId: saved.body.oauth.clientId,
    clientSecret: saved.body.oauth.clientSecret,
  };
}

function discover(org: OAuthOrg, auth: oidc.ClientAuth, secret = org.clientSecret) {
  return oidc.discovery(new URL(org.issuer), org.clientId, secret, auth, {
    algorithm: 'oauth2',
    execute: [oidc.allowInsecureRequests],
  });
}

const key = () => accessTokenKey(ephemeralSecretKey());

/** POSTs a form to the organization's token endpoint. */
function tokenRequest(
  org: { slug: string },
  form: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return fetch(`${portal().origin}/oauth/${org.slug}/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  }).then(
    async (res): Promise<Response> => ({ status: res.status, headers: res.headers, body: await res.json() }),
  );
}

const basic = (id: string, secret: string) => ({
  Authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`,
});

describe('metadata (RFC 8414)', () => {
  it('describes the organization’s authorization server at the well-known URL of its issuer', async () => {
    const org = await oauthOrg();
    const res = await send(
      `${portal().origin}/.well-known/oauth-authorization-server/oauth/${org.slug}`,
      'GET',
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      issuer: org.issuer,
      authorization_endpoint: `${org.issuer}/authorize`,
      token_endpoint: `${org.issuer}/token`,
      grant_types_supported: ['client_credentials', 'authorization_code', 'refresh_token'],
      response_types_supported: ['code'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      code_challenge_methods_supported: ['S256'],
      scopes_supported: ['scim'],
    });
    // The endpoints the provisioning page shows are the ones the metadata names.
    const page = await org.call('GET', '/identity/provisioning');
    expect(page.body.oauth).toMatchObject({
      tokenEndpoint: res.body.token_endpoint,
      authorizationEndpoint: res.body.authorization_endpoint,
      redirectUris: [REDIRECT],
    });
  });
});

describe('client credentials grant', () => {
  let org: OAuthOrg;
  beforeAll(async () => {
    org = await oauthOrg();
  });

  for (const [method, auth] of [
    ['client_secret_basic', oidc.ClientSecretBasic],
    ['client_secret_post', oidc.ClientSecretPost],
  ] as const) {
    it(`issues a one-hour scim token to openid-client authenticating with ${method}`, async () => {
      const config = await discover(org, auth());
      const tokens = await oidc.clientCredentialsGrant(config, { scope: 'scim' });
      expect(tokens.token_type).toBe('bearer');
      expect(tokens.expires_in).toBe(3600);
      expect(tokens.scope).toBe('scim');
      expect(tokens.refresh_token).toBeUndefined();
      const verified = await verifyAccessToken(key(), tokens.access_token);
      expect(verified).toMatchObject({
        ok: true,
        token: { issuer: org.issuer, orgId: org.id, clientId: org.clientId, scope: 'scim' },
      });
    });
  }

  it('grants scim when no scope is asked for, and accepts Ping’s comma-separated list', async () => {
    for (const scope of [undefined, 'scim', 'scim,scim', ' scim ']) {
      const res = await tokenRequest(org, {
        grant_type: 'client_credentials',
        client_id: org.clientId,
        client_secret: org.clientSecret,
        ...(scope === undefined ? {} : { scope }),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.scope).toBe('scim');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('refuses other scopes with invalid_scope', async () => {
    const res = await tokenRequest(
      org,
      { grant_type: 'client_credentials', scope: 'scim admin' },
      basic(org.clientId, org.clientSecret),
    );
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_scope');
  });

  it('refuses a wrong secret, an unknown client and no credentials with 401 invalid_client', async () => {
    const wrong = await tokenRequest(
      org,
      { grant_type: 'client_credentials' },
      basic(org.clientId, `${org.clientSecret}x`),
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('invalid_client');
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic/);

    const unknown = await tokenRequest(org, {
      grant_type: 'client_credentials',
      client_id: 'roster-nobody',
      client_secret: org.clientSecret,
    });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error).toBe('invalid_client');

    const none = await tokenRequest(org, { grant_type: 'client_credentials' });
    expect(none.status).toBe(401);
    expect(none.body.error).toBe('invalid_client');
  });

  it('answers the same for an organization that does not exist', async () => {
    const res = await tokenRequest(
      { slug: 'no-such-org' },
      { grant_type: 'client_credentials' },
      basic(org.clientId, org.clientSecret),
    );
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
  });

  it("never accepts one organization's client at another's token endpoint", async () => {
    const other = await oauthOrg();
    const res = await tokenRequest(
      other,
      { grant_type: 'client_credentials' },
      basic(org.clientId, org.clientSecret),
    );
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
  });

  it('refuses malformed requests with invalid_request, never a 5xx', async () => {
    const both = await tokenRequest(
      org,
      { grant_type: 'client_credentials', client_secret: org.clientSecret },
      basic(org.clientId, org.clientSecret),
    );
    expect(both.status).toBe(400);
    expect(both.body.error).toBe('invalid_request');

    const json = await fetch(`${org.issuer}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...basic(org.clientId, org.clientSecret) },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    expect(json.status).toBe(400);
    expect(((await json.json()) as { error: string }).error).toBe('invalid_request');

    const repeated = await fetch(`${org.issuer}/token`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        ...basic(org.clientId, org.clientSecret),
      },
      body: 'grant_type=client_credentials&grant_type=client_credentials',
    });
    expect(repeated.status).toBe(400);

    const garbage = await tokenRequest(
      org,
      { grant_type: 'client_credentials' },
      { Authorization: 'Basic %%%' },
    );
    expect(garbage.status).toBe(401);

    const unsupported = await tokenRequest(
      org,
      { grant_type: 'password', username: 'a', password: 'b' },
      basic(org.clientId, org.clientSecret),
    );
    expect(unsupported.status).toBe(400);
    expect(unsupported.body.error).toBe('unsupported_grant_type');
  });

  it('stops the old secret and the tokens minted with it when the secret is rotated', async () => {
    const rotating = await oauthOrg();
    const before = await tokenRequest(
      rotating,
      { grant_type: 'client_credentials' },
      basic(rotating.clientId, rotating.clientSecret),
    );
    expect(before.status).toBe(200);
    const rotated = await rotating.call('POST', '/identity/provisioning/oauth-client-secret');
    expect(rotated.status).toBe(200);

    const old = await tokenRequest(
      rotating,
      { grant_type: 'client_credentials' },
      basic(rotating.clientId, rotating.clientSecret),
    );
    expect(old.status).toBe(401);
    const fresh = await tokenRequest(
      rotating,
      { grant_type: 'client_credentials' },
      basic(rotating.clientId, rotated.body.clientSecret),
    );
    expect(fresh.status).toBe(200);

    // The SCIM service compares a token's secret id with the current secret's (see scim-server tests).
    const hash = (
      await portal()
        .handle.db.selectFrom('oauth_client_secrets')
        .select('secret_hash')
        .where('org_id', '=', rotating.id)
        .where('revoked_at', 'is', null)
        .executeTakeFirstOrThrow()
    ).secret_hash;
    const secretIdOf = async (token: string) => {
      const verified = await verifyAccessToken(key(), token);
      return verified.ok ? verified.token.secretId : undefined;
    };
    expect(await secretIdOf(before.body.access_token)).not.toBe(clientSecretId(String(hash)));
    expect(await secretIdOf(fresh.body.access_token)).toBe(clientSecretId(String(hash)));
  });

  it('refuses clients while SCIM is off or uses the HTTP Header method, with unauthorized_client', async () => {
    const switching = await oauthOrg();
    const settings = { mode: 'identity_provider', provisionExistingUsers: false, syncGroups: false };
    expect(
      (
        await switching.call('PUT', '/identity/provisioning', {
          ...settings,
          scimEnabled: false,
          authMethod: 'oauth2',
        })
      ).status,
    ).toBe(200);
    const off = await tokenRequest(
      switching,
      { grant_type: 'client_credentials' },
      basic(switching.clientId, switching.clientSecret),
    );
    expect(off.status).toBe(400);
    expect(off.body).toMatchObject({
      error: 'unauthorized_client',
      error_description: expect.stringMatching(/turned off/),
    });

    await switching.call('POST', '/api-keys', { kind: 'system', name: 'Entra' });
    expect(
      (
        await switching.call('PUT', '/identity/provisioning', {
          ...settings,
          scimEnabled: true,
          authMethod: 'http_header',
        })
      ).status,
    ).toBe(200);
    const header = await tokenRequest(
      switching,
      { grant_type: 'client_credentials' },
      basic(switching.clientId, switching.clientSecret),
    );
    expect(header.status).toBe(400);
    expect(header.body).toMatchObject({
      error: 'unauthorized_client',
      error_description: expect.stringMatching(/HTTP Header/),
    });
  });
});

describe('authorization code grant with PKCE', () => {
  /** The IdP sends the browser to the authorization endpoint; a manager approves in the portal. */
  async function authorize(config: oidc.Configuration, overrides: Record<string, string> = {}) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'scim',
      state,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      ...overrides,
    });
    const request = await send(url.toString(), 'GET');
    return { verifier, state, request };
  }

  it('issues a code on a manager’s approval, exchanges it once for access and refresh tokens, and refreshes', async () => {
    const org = await oauthOrg();
    const config = await discover(org, oidc.ClientSecretBasic());
    const { verifier, state, request } = await authorize(config);
    expect(request.status).toBe(200);
    expect(request.body).toMatchObject({
      organization: org.slug,
      clientId: org.clientId,
      scope: 'scim',
      redirectUri: REDIRECT,
    });
    expect(request.body.approval.url).toBe(
      `${portal().origin}/api/v1/orgs/${org.slug}/identity/provisioning/oauth-authorizations`,
    );

    const approval = await org.manager.call(
      'POST',
      `/orgs/${org.slug}/identity/provisioning/oauth-authorizations`,
      request.body.approval.body,
    );
    expect(approval.status, JSON.stringify(approval.body)).toBe(200);
    const callback = new URL(approval.body.redirectTo);
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT);
    expect(callback.searchParams.get('state')).toBe(state);

    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    expect(tokens.expires_in).toBe(3600);
    expect(tokens.refresh_token).toMatch(/^rrt_/);
    expect(await verifyAccessToken(key(), tokens.access_token)).toMatchObject({
      ok: true,
      token: { orgId: org.id, scope: 'scim' },
    });

    // Each refresh returns a new refresh token (rotation; see "refresh tokens and code replay").
    const refreshed = await oidc.refreshTokenGrant(config, String(tokens.refresh_token));
    expect(await verifyAccessToken(key(), refreshed.access_token)).toMatchObject({ ok: true });
    expect(refreshed.refresh_token).toMatch(/^rrt_/);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);

    const events = await org.call('GET', '/audit-events?action=identity.oauth_authorization.approved');
    expect(events.body.events).toHaveLength(1);
    expect(events.body.events[0]).toMatchObject({
      actor: { type: 'member', id: org.manager.id },
      target: { type: 'oauth_client', id: org.clientId },
    });

    // Rotating the secret ends the refresh token.
    const rotated = await org.call('POST', '/identity/provisioning/oauth-client-secret');
    const after = await discover(org, oidc.ClientSecretBasic(), rotated.body.clientSecret);
    await expect(oidc.refreshTokenGrant(after, String(refreshed.refresh_token))).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('refuses a code exchanged with the wrong verifier', async () => {
    const org = await oauthOrg();
    const config = await discover(org, oidc.ClientSecretPost());
    const { state, request } = await authorize(config);
    const approval = await org.manager.call(
      'POST',
      `/orgs/${org.slug}/identity/provisioning/oauth-authorizations`,
      request.body.approval.body,
    );
    await expect(
      oidc.authorizationCodeGrant(config, new URL(approval.body.redirectTo), {
        pkceCodeVerifier: oidc.randomPKCECodeVerifier(),
        expectedState: state,
      }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('sends a denial back as access_denied and issues no code', async () => {
    const org = await oauthOrg();
    const config = await discover(org, oidc.ClientSecretBasic());
    const { state, request } = await authorize(config);
    const denial = await org.manager.call(
      'POST',
      `/orgs/${org.slug}/identity/provisioning/oauth-authorizations`,
      { ...request.body.approval.body, decision: 'deny' },
    );
    expect(denial.status).toBe(200);
    const back = new URL(denial.body.redirectTo);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe(state);
    expect(back.searchParams.has('code')).toBe(false);
  });

  it('never redirects to an unregistered URI, and sends other errors back to the registered one', async () => {
    const org = await oauthOrg();
    const config = await discover(org, oidc.ClientSecretBasic());
    const evil = await authorize(config, { redirect_uri: 'https://evil.example.com/cb' });
    expect(evil.request.status).toBe(400);
    expect(evil.request.body.error).toBe('invalid_request');

    const noPkce = await fetch(
      `${org.issuer}/authorize?response_type=code&client_id=${org.clientId}&redirect_uri=${encodeURIComponent(REDIRECT)}&state=s1`,
      { redirect: 'manual' },
    );
    expect(noPkce.status).toBe(302);
    const location = new URL(String(noPkce.headers.get('location')));
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('state')).toBe('s1');
  });

  it('lets only managers approve', async () => {
    const org = await oauthOrg();
    const config = await discover(org, oidc.ClientSecretBasic());
    const { request } = await authorize(config);
    const basicMember = await org.addMember('basic');
    const res = await basicMember.call(
      'POST',
      `/orgs/${org.slug}/identity/provisioning/oauth-authorizations`,
      request.body.approval.body,
    );
    expect(res.status).toBe(403);
    const anonymous = await portal().request(
      'POST',
      `/orgs/${org.slug}/identity/provisioning/oauth-authorizations`,
      undefined,
      request.body.approval.body,
    );
    expect(anonymous.status).toBe(401);
  });
});

describe('endpoints', () => {
  it('answers unknown paths and wrong methods in the OAuth error shape', async () => {
    const org = await oauthOrg();
    const wrongMethod = await send(`${org.issuer}/token`, 'GET');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect(wrongMethod.body.error).toBe('invalid_request');
    const unknown = await send(`${org.issuer}/introspect`, 'POST');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('invalid_request');
  });
});

describe('refresh tokens and code replay', () => {
  /** A manager-approved code for the organization's client, as the IdP's callback receives it. */
  async function approvedCode(org: OAuthOrg, { sendRedirectUri = true } = {}) {
    const verifier = oidc.randomPKCECodeVerifier();
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: org.clientId,
      scope: 'scim',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      ...(sendRedirectUri ? { redirect_uri: REDIRECT } : {}),
    });
    const asked = await send(`${org.issuer}/authorize?${query}`, 'GET');
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    const approval = await org.call(
      'POST',
      '/identity/provisioning/oauth-authorizations',
      asked.body.approval.body,
    );
    expect(approval.status, JSON.stringify(approval.body)).toBe(200);
    return { code: String(new URL(approval.body.redirectTo).searchParams.get('code')), verifier };
  }

  const exchange = (org: OAuthOrg, form: Record<string, string>) =>
    tokenRequest(org, { grant_type: 'authorization_code', ...form }, basic(org.clientId, org.clientSecret));
  const refresh = (org: OAuthOrg, refreshToken: string) =>
    tokenRequest(
      org,
      { grant_type: 'refresh_token', refresh_token: refreshToken },
      basic(org.clientId, org.clientSecret),
    );

  it('rotates the refresh token on each use; presenting a rotated one revokes the whole family', async () => {
    const org = await oauthOrg();
    const { code, verifier } = await approvedCode(org);
    const first = await exchange(org, { code, code_verifier: verifier, redirect_uri: REDIRECT });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const second = await refresh(org, first.body.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).toMatch(/^rrt_/);
    expect(second.body.refresh_token).not.toBe(first.body.refresh_token);
    const third = await refresh(org, second.body.refresh_token);
    expect(third.status).toBe(200);
    // Access tokens name their family, so the SCIM service can refuse them once it is revoked.
    const familyOf = async (token: string) => {
      const verified = await verifyAccessToken(key(), token);
      return verified.ok ? verified.token.familyId : undefined;
    };
    const family = await familyOf(first.body.access_token);
    expect(family).toMatch(/^[0-9a-f]{16}$/);
    expect(await familyOf(third.body.access_token)).toBe(family);

    // The first token again: refused, and the family's live token with it.
    const reused = await refresh(org, first.body.refresh_token);
    expect(reused.status).toBe(400);
    expect(reused.body).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/already used/),
    });
    expect((await refresh(org, third.body.refresh_token)).body.error).toBe('invalid_grant');

    // Another approval's family is untouched.
    const other = await approvedCode(org);
    const otherTokens = await exchange(org, {
      code: other.code,
      code_verifier: other.verifier,
      redirect_uri: REDIRECT,
    });
    expect((await refresh(org, otherTokens.body.refresh_token)).status).toBe(200);
  });

  it('refuses an expired refresh token, saying so', async () => {
    const org = await oauthOrg();
    const { code, verifier } = await approvedCode(org);
    const tokens = await exchange(org, { code, code_verifier: verifier, redirect_uri: REDIRECT });
    const expiry = await portal()
      .handle.db.selectFrom('oauth_refresh_tokens')
      .select('expires_at')
      .where('org_id', '=', org.id)
      .executeTakeFirstOrThrow();
    // The default lifetime: 30 days.
    expect(new Date(expiry.expires_at).getTime() - Date.now()).toBeGreaterThan(29.9 * 24 * 3600 * 1000);
    expect(new Date(expiry.expires_at).getTime() - Date.now()).toBeLessThan(30.1 * 24 * 3600 * 1000);
    await portal()
      .handle.db.updateTable('oauth_refresh_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('org_id', '=', org.id)
      .execute();
    const expired = await refresh(org, tokens.body.refresh_token);
    expect(expired.status).toBe(400);
    expect(expired.body).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/expired/),
    });
  });

  it('lets exactly one of two concurrent uses of a refresh token win', async () => {
    const org = await oauthOrg();
    const { code, verifier } = await approvedCode(org);
    const tokens = await exchange(org, { code, code_verifier: verifier, redirect_uri: REDIRECT });
    const results = await Promise.all([
      refresh(org, tokens.body.refresh_token),
      refresh(org, tokens.body.refresh_token),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
    expect(results.find((r) => r.status === 400)?.body.error).toBe('invalid_grant');
  });

  it('refuses a replayed authorization code and revokes the refresh tokens its first exchange issued', async () => {
    const org = await oauthOrg();
    const { code, verifier } = await approvedCode(org);
    const form = { code, code_verifier: verifier, redirect_uri: REDIRECT };
    const first = await exchange(org, form);
    expect(first.status).toBe(200);
    const rotated = await refresh(org, first.body.refresh_token);
    expect(rotated.status).toBe(200);

    const replay = await exchange(org, form);
    expect(replay.status).toBe(400);
    expect(replay.body).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/already used/),
    });
    // The family the code started, rotated tokens included, is revoked.
    expect((await refresh(org, rotated.body.refresh_token)).body.error).toBe('invalid_grant');
    const live = await portal()
      .handle.db.selectFrom('oauth_refresh_tokens')
      .select('id')
      .where('org_id', '=', org.id)
      .where('revoked_at', 'is', null)
      .execute();
    expect(live).toEqual([]);
  });

  it('requires redirect_uri at the token endpoint when the authorization request sent it (RFC 6749 §4.1.3)', async () => {
    const org = await oauthOrg();
    const sent = await approvedCode(org);
    const without = await exchange(org, { code: sent.code, code_verifier: sent.verifier });
    expect(without.status).toBe(400);
    expect(without.body).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/redirect_uri/),
    });
    // The refused exchange used the code up.
    const again = await exchange(org, {
      code: sent.code,
      code_verifier: sent.verifier,
      redirect_uri: REDIRECT,
    });
    expect(again.status).toBe(400);

    // Not sent to /authorize (one URI registered): the token request may omit it.
    const omitted = await approvedCode(org, { sendRedirectUri: false });
    const exchanged = await exchange(org, { code: omitted.code, code_verifier: omitted.verifier });
    expect(exchanged.status, JSON.stringify(exchanged.body)).toBe(200);
  });
});
