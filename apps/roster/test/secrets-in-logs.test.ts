/**
 * Issue #7, "Secrets never appear in logs": a whole session on the composed server (portal API,
 * sign-in, OAuth authorization server and SCIM service on one port, real PostgreSQL) with the
 * logger at `trace` writing to memory. The operator makes the organization and the first
 * manager's key; the manager signs in with OpenID Connect and with SAML, creates a SCIM key and
 * turns SCIM on; an IdP provisions with the key, then with OAuth 2.0 (client credentials with
 * both client authentication methods, the authorization code with PKCE, the refresh token, a
 * rotation); along the way come failed authentications with wrong, tampered, revoked and
 * rotated credentials, and a request the server answers with a 500; a one-time setup link is
 * followed. The logger is production's (createLogger, with its redaction) at `trace`, so request
 * lines carry every header. Afterwards no secret of the session appears anywhere in the log
 * text, nor in clear in the database.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { hashSecret } from '@roster/auth/api-keys';
import type { DatabaseHandle } from '@roster/db';
import { createFirstManager } from '@roster/directory/api-keys';
import { createOrganization } from '@roster/directory/organizations';
import { createSetupLink } from '@roster/directory/setup-links';
import { createLogger } from '@roster/observability';
import { cookiePairs } from '@roster/testkit/cookies';
import type { FakeOidcProvider } from '@roster/testkit/oidc-provider';
import { startFakeSamlIdp } from '@roster/testkit/saml-idp';
import type {} from '@roster/testkit/vitest-global-setup';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSignInServer } from './composed-server.js';

const SCIM_JSON = 'application/scim+json';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const REDIRECT_URI = 'https://idp.example.com/oauth/callback';

/** Every line the server logs, as written (pino's JSON lines). */
const logLines: string[] = [];
const serverSecret = randomBytes(32).toString('base64');
let origin: string;
let handle: DatabaseHandle;
let provider: FakeOidcProvider;
const samlIdp = startFakeSamlIdp();
let close: () => Promise<void>;

beforeAll(async () => {
  // The most verbose level there is, so that nothing a lower level would hide escapes the scan.
  const logger = createLogger('trace', { write: (line: string) => logLines.push(line) });
  ({ origin, handle, provider, close } = await startSignInServer({ secret: serverSecret, logger }));
});
afterAll(async () => close?.());

interface Res {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
  body: any;
}

/** How many requests the session sent: each must leave exactly one request line in the log. */
let requestsSent = 0;

async function http(
  method: string,
  url: string,
  options: { headers?: Record<string, string>; json?: unknown; form?: Record<string, string> } = {},
): Promise<Res> {
  const contentType =
    options.json !== undefined ? (url.includes('/scim/') ? SCIM_JSON : 'application/json') : undefined;
  requestsSent += 1;
  const res = await fetch(url, {
    method,
    redirect: 'manual',
    headers: {
      ...(contentType ? { 'Content-Type': contentType } : {}),
      ...(options.form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
      ...options.headers,
    },
    ...(options.json !== undefined ? { body: JSON.stringify(options.json) } : {}),
    ...(options.form ? { body: new URLSearchParams(options.form) } : {}),
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body };
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const basic = (id: string, secret: string) => ({
  Authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`,
});
/** The part of an `rsk_…`/`rss_…`/`rrt_…` token after the public id: what must never be written down. */
const secretPart = (token: string) => token.slice(token.indexOf('.') + 1);
const cookieValue = (pair: string) => decodeURIComponent(pair.slice(pair.indexOf('=') + 1));

describe('secrets in logs', () => {
  /** Every secret the session handled, by what it is (for the failure message). */
  const secrets = new Map<string, string>();
  const keep = (what: string, value: string | undefined) => {
    expect(value, what).toBeTruthy();
    expect((value as string).length, what).toBeGreaterThanOrEqual(16);
    secrets.set(what, value as string);
  };
  let orgId: string;
  let keyId: string;
  let clientId: string;
  let slug: string;

  it('a full session: sign-in, keys, SCIM on, provisioning with a key and with OAuth 2.0, failed authentications', async () => {
    keep('server secret key', serverSecret);
    keep('SSO client secret (OIDC)', provider.clientSecret);

    // The operator: the organization and its first manager's key.
    slug = `logs-${randomUUID().slice(0, 8)}`;
    const email = `admin@${slug}.example.com`;
    const org = await createOrganization(handle.db, { slug, plan: 'enterprise' });
    orgId = org.id;
    const { memberId: managerId, token: managerKey } = await createFirstManager(handle.db, org.id, email);
    keep('manager API key', managerKey);
    keep('manager API key secret', secretPart(managerKey));
    // The manager's one-time setup link, opened and used.
    const link = await createSetupLink(handle.db, { orgId, memberId: managerId, lifetimeSeconds: 600 });
    keep('setup link secret', secretPart(link.token));
    expect((await http('GET', `${origin}/sso/${slug}/setup/${link.token}`)).status).toBe(200);
    const linked = await http('POST', `${origin}/sso/${slug}/setup/${link.token}`);
    expect(linked.status).toBe(303);
    keep(
      'setup link session secret',
      secretPart(cookieValue(linked.headers.getSetCookie()[0]?.split(';')[0] ?? '')),
    );
    const api = `${origin}/api/v1/orgs/${slug}`;
    const portal = (method: string, path: string, json?: unknown) =>
      http(method, `${api}${path}`, { headers: bearer(managerKey), json });

    // The admin: RBAC (the operator chose Enterprise), then SSO with OpenID Connect.
    expect((await portal('PATCH', '', { rbacEnabled: true })).status).toBe(200);
    const sso = await portal('PUT', '/identity/sso', {
      enabled: true,
      oidc: {
        issuer: provider.issuer,
        clientId: provider.clientId,
        clientSecret: provider.clientSecret,
        userNameClaim: 'preferred_username',
      },
    });
    expect(sso.status, JSON.stringify(sso.body)).toBe(200);

    // The manager signs in through the provider, as a browser: login, code, callback.
    const login = await http('GET', `${origin}/sso/${slug}/login`);
    expect(login.status).toBe(302);
    const location = login.headers.get('location') as string;
    const pending = cookiePairs(login);
    for (const [i, pair] of pending.entries()) keep(`sign-in cookie ${i} (OIDC)`, cookieValue(pair));
    const callback = new URL(new URL(location).searchParams.get('redirect_uri') as string);
    const code = provider.code(location, { claims: { sub: 'entra-admin', preferred_username: email } });
    keep('OIDC authorization code', code);
    callback.searchParams.set('code', code);
    callback.searchParams.set('state', new URL(location).searchParams.get('state') as string);
    const signedIn = await http('GET', callback.href, {
      headers: { Cookie: pending.join('; '), Accept: 'application/json' },
    });
    expect(signedIn.status).toBe(303);
    const sessionPair = cookiePairs(signedIn).find((pair) =>
      pair.startsWith('roster_session=rss_'),
    ) as string;
    const session = cookieValue(sessionPair);
    keep('session cookie (OIDC)', session);
    keep('session cookie secret (OIDC)', secretPart(session));
    const asBrowser = { Cookie: sessionPair, Origin: origin };
    expect((await http('GET', `${api}/members/me`, { headers: asBrowser })).status).toBe(200);

    // With the session, the system key the IdP will paste in; then SCIM on, with group sync.
    const key = await http('POST', `${api}/api-keys`, {
      headers: asBrowser,
      json: { kind: 'system', name: 'Entra ID provisioning', scopes: ['scim'] },
    });
    expect(key.status, JSON.stringify(key.body)).toBe(201);
    const scimKey: string = key.body.token;
    keyId = key.body.id;
    keep('SCIM API key', scimKey);
    keep('SCIM API key secret', secretPart(scimKey));
    const settings = {
      mode: 'identity_provider',
      scimEnabled: true,
      provisionExistingUsers: false,
      syncGroups: true,
      confirmSyncGroups: true,
    };
    const saved = await portal('PUT', '/identity/provisioning', { ...settings, authMethod: 'http_header' });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const tenantUrl: string = saved.body.scimEndpointUrl;
    const scim = (token: string, method: string, path: string, json?: unknown) =>
      http(method, `${tenantUrl}${path}`, { headers: bearer(token), json });

    // The IdP provisions with the key: users, a group, changes, a conflict, a delete.
    const ids: string[] = [];
    for (const name of ['ada', 'grace', 'linus']) {
      const created = await scim(scimKey, 'POST', '/Users', {
        schemas: [USER_SCHEMA],
        userName: `${name}@${slug}.example.com`,
        active: true,
        emails: [{ type: 'work', value: `${name}@${slug}.example.com`, primary: true }],
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      ids.push(created.body.id);
    }
    expect(
      (await scim(scimKey, 'POST', '/Users', { schemas: [USER_SCHEMA], userName: `ada@${slug}.example.com` }))
        .status,
    ).toBe(409);
    const found = await scim(
      scimKey,
      'GET',
      `/Users?filter=${encodeURIComponent(`userName eq "grace@${slug}.example.com"`)}`,
    );
    expect(found.body.totalResults).toBe(1);
    const group = await scim(scimKey, 'POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: 'Engineering',
      members: ids.slice(0, 2).map((value) => ({ value })),
    });
    expect(group.status, JSON.stringify(group.body)).toBe(201);
    const patch = (Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });
    expect(
      (
        await scim(
          scimKey,
          'PATCH',
          `/Groups/${group.body.id}`,
          patch([{ op: 'add', path: 'members', value: [{ value: ids[2] }] }]),
        )
      ).status,
    ).toBe(204);
    expect(
      (
        await scim(
          scimKey,
          'PATCH',
          `/Users/${ids[1]}`,
          patch([{ op: 'replace', path: 'active', value: 'False' }]),
        )
      ).status,
    ).toBe(204);
    expect(
      (await scim(scimKey, 'PATCH', `/Users/${ids[1]}`, patch([{ op: 'replace', path: 'nope', value: 1 }])))
        .status,
    ).toBe(400);
    expect((await scim(scimKey, 'DELETE', `/Users/${ids[2]}`)).status).toBe(204);
    expect((await scim(scimKey, 'POST', '/Users/.search', { filter: 'userName sw "a"' })).status).toBe(200);

    // Failed authentications: a tampered secret, an unknown key, garbage, a forged JWT, other schemes.
    const tampered = `${scimKey.slice(0, scimKey.indexOf('.') + 1)}${randomBytes(32).toString('base64url')}`;
    const unknownKey = `rsk_${randomBytes(8).toString('hex')}.${randomBytes(32).toString('base64url')}`;
    const garbage = randomBytes(24).toString('base64url');
    const forgedJwt = `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.${Buffer.from(JSON.stringify({ sub: 'x' })).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
    keep('tampered key', tampered);
    keep('tampered key secret', secretPart(tampered));
    keep('unknown key', unknownKey);
    keep('garbage bearer', garbage);
    keep('forged JWT', forgedJwt);
    for (const wrong of [tampered, unknownKey, garbage, forgedJwt, managerKey]) {
      expect((await scim(wrong, 'GET', '/Users')).status).toBeGreaterThanOrEqual(401);
    }
    for (const headers of [
      { Authorization: `Basic ${Buffer.from(`x:${scimKey}`).toString('base64')}` },
      { Authorization: `Token ${scimKey}` },
      { Authorization: scimKey },
    ]) {
      expect((await http('GET', `${tenantUrl}/Users`, { headers })).status).toBe(401);
    }
    // The right key on the wrong organization, and on a path the server cannot handle (a 500 until
    // authenticate.ts checks the organization segment): the error log must not carry the key either.
    expect(
      (await http('GET', `${origin}/scim/v2/${slug}-other/Users`, { headers: bearer(scimKey) })).status,
    ).toBe(401);
    expect(
      (await http('GET', `${origin}/scim/v2/%00/Users`, { headers: bearer(scimKey) })).status,
    ).toBeGreaterThanOrEqual(400);
    const tamperedSession = `${session.slice(0, session.indexOf('.') + 1)}${randomBytes(32).toString('base64url')}`;
    keep('tampered session cookie', tamperedSession);
    expect(
      (await http('GET', `${api}/members/me`, { headers: { Cookie: `roster_session=${tamperedSession}` } }))
        .status,
    ).toBe(401);
    expect((await http('GET', `${api}/members/me`, { headers: bearer(tampered) })).status).toBe(401);

    // OAuth 2.0: the client, its secret shown once, the client credentials grant (Basic and post).
    const oauth = await portal('PUT', '/identity/provisioning', {
      ...settings,
      authMethod: 'oauth2',
      oauthRedirectUris: [REDIRECT_URI],
    });
    expect(oauth.status, JSON.stringify(oauth.body)).toBe(200);
    clientId = oauth.body.oauth.clientId;
    const clientSecret: string = oauth.body.oauth.clientSecret;
    const tokenUrl: string = oauth.body.oauth.tokenEndpoint;
    keep('OAuth client secret', clientSecret);
    const grant = (form: Record<string, string>, headers: Record<string, string> = {}) =>
      http('POST', tokenUrl, { form, headers });
    const byBasic = await grant(
      { grant_type: 'client_credentials', scope: 'scim' },
      basic(clientId, clientSecret),
    );
    expect(byBasic.status, JSON.stringify(byBasic.body)).toBe(200);
    const byPost = await grant({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    });
    expect(byPost.status, JSON.stringify(byPost.body)).toBe(200);
    for (const [what, token] of [
      ['access token (client credentials, Basic)', byBasic.body.access_token],
      ['access token (client credentials, post)', byPost.body.access_token],
    ] as const) {
      keep(what, token);
      keep(`${what} signature`, token.split('.')[2]);
    }
    expect((await scim(byBasic.body.access_token, 'GET', '/Users')).status).toBe(200);
    expect(
      (
        await scim(
          byPost.body.access_token,
          'PATCH',
          `/Users/${ids[1]}`,
          patch([{ op: 'replace', path: 'active', value: true }]),
        )
      ).status,
    ).toBe(204);
    // The key no longer works (the method is OAuth now), and a wrong client secret gets no token.
    expect((await scim(scimKey, 'GET', '/Users')).status).toBe(401);
    const wrongSecret = randomBytes(32).toString('base64url');
    keep('wrong client secret', wrongSecret);
    expect((await grant({ grant_type: 'client_credentials' }, basic(clientId, wrongSecret))).status).toBe(
      401,
    );
    expect(
      (await grant({ grant_type: 'client_credentials', client_id: clientId, client_secret: wrongSecret }))
        .status,
    ).toBe(401);

    // The authorization code with PKCE, approved by the manager, then the refresh token.
    const verifier = randomBytes(32).toString('base64url');
    keep('PKCE code verifier', verifier);
    const authorize = new URL(`${origin}/oauth/${slug}/authorize`);
    for (const [name, value] of Object.entries({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT_URI,
      scope: 'scim',
      state: randomUUID(),
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    })) {
      authorize.searchParams.set(name, value);
    }
    const asked = await http('GET', authorize.href);
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    const approved = await portal(
      'POST',
      '/identity/provisioning/oauth-authorizations',
      asked.body.approval.body,
    );
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const authorizationCode = new URL(approved.body.redirectTo).searchParams.get('code') as string;
    keep('OAuth authorization code', authorizationCode);
    const exchanged = await grant(
      {
        grant_type: 'authorization_code',
        code: authorizationCode,
        code_verifier: verifier,
        redirect_uri: REDIRECT_URI,
      },
      basic(clientId, clientSecret),
    );
    expect(exchanged.status, JSON.stringify(exchanged.body)).toBe(200);
    keep('access token (authorization code)', exchanged.body.access_token);
    keep('refresh token', exchanged.body.refresh_token);
    keep('refresh token secret', secretPart(exchanged.body.refresh_token));
    const refreshed = await grant(
      { grant_type: 'refresh_token', refresh_token: exchanged.body.refresh_token },
      basic(clientId, clientSecret),
    );
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
    keep('access token (refresh)', refreshed.body.access_token);
    keep('rotated refresh token', refreshed.body.refresh_token);
    keep('rotated refresh token secret', secretPart(refreshed.body.refresh_token));
    expect((await scim(refreshed.body.access_token, 'GET', `/Groups/${group.body.id}`)).status).toBe(200);
    // The code is single-use: its replay is refused (and logged), and revokes what it issued.
    expect(
      (
        await grant(
          { grant_type: 'authorization_code', code: authorizationCode, code_verifier: verifier },
          basic(clientId, clientSecret),
        )
      ).status,
    ).toBe(400);

    // Rotation: the old secret and its tokens stop at once; the new secret works.
    const rotated = await portal('POST', '/identity/provisioning/oauth-client-secret');
    expect(rotated.status).toBe(200);
    keep('rotated OAuth client secret', rotated.body.clientSecret);
    expect((await scim(byBasic.body.access_token, 'GET', '/Users')).status).toBe(401);
    expect((await grant({ grant_type: 'client_credentials' }, basic(clientId, clientSecret))).status).toBe(
      401,
    );
    expect(
      (
        await grant(
          { grant_type: 'refresh_token', refresh_token: exchanged.body.refresh_token },
          basic(clientId, rotated.body.clientSecret),
        )
      ).status,
    ).toBe(400);
    const fresh = await grant(
      { grant_type: 'client_credentials' },
      basic(clientId, rotated.body.clientSecret),
    );
    expect(fresh.status).toBe(200);
    keep('access token (after rotation)', fresh.body.access_token);
    expect((await scim(fresh.body.access_token, 'DELETE', `/Groups/${group.body.id}`)).status).toBe(204);

    // SAML: the manager signs in again through a SAML IdP; the assertion is replayed once.
    const saml = await portal('PUT', '/identity/sso', {
      enabled: true,
      protocol: 'saml',
      saml: { entryPoint: samlIdp.ssoUrl, idpEntityId: samlIdp.entityId, certificate: samlIdp.certificate },
    });
    expect(saml.status, JSON.stringify(saml.body)).toBe(200);
    const samlLogin = await http('GET', `${origin}/sso/${slug}/login`);
    expect(samlLogin.status).toBe(302);
    const samlCookies = cookiePairs(samlLogin);
    for (const [i, pair] of samlCookies.entries()) keep(`sign-in cookie ${i} (SAML)`, cookieValue(pair));
    const { samlResponse, acsUrl } = samlIdp.respond(samlLogin.headers.get('location') as string, {
      nameId: email,
    });
    keep('SAMLResponse', samlResponse);
    const signature = /<(?:ds:)?SignatureValue>([^<]+)</.exec(
      Buffer.from(samlResponse, 'base64').toString('utf8'),
    )?.[1];
    keep('SAML assertion signature', signature?.replace(/\s/g, ''));
    const post = () =>
      http('POST', acsUrl, {
        headers: { Cookie: samlCookies.join('; '), Accept: 'application/json' },
        form: { SAMLResponse: samlResponse, RelayState: '' },
      });
    const acs = await post();
    expect(acs.status, JSON.stringify(acs.body)).toBe(303);
    const samlSession = cookieValue(
      cookiePairs(acs).find((pair) => pair.startsWith('roster_session=rss_')) as string,
    );
    keep('session cookie (SAML)', samlSession);
    keep('session cookie secret (SAML)', secretPart(samlSession));
    expect((await post()).status).toBeGreaterThanOrEqual(400);

    // Sign-out ends the first session; the cookie is then refused. The revoked SCIM key is refused.
    expect((await http('POST', `${origin}/sso/${slug}/logout`, { headers: asBrowser })).status).toBe(204);
    expect((await http('GET', `${api}/members/me`, { headers: asBrowser })).status).toBe(401);
    expect((await portal('DELETE', `/api-keys/${keyId}`)).status).toBe(204);
    expect((await scim(scimKey, 'GET', '/Users')).status).toBe(401);
  });

  it('the log of the whole session has lines for every request, and none of its secrets appears in it', () => {
    const text = logLines.join('');
    // The scan means something only if the session was logged: request lines, refusals included,
    // with who called (the key id and the OAuth client id, which are public).
    expect(requestsSent).toBeGreaterThan(50);
    const requests = logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((l) => l.msg === 'request');
    expect(requests.length).toBe(requestsSent);
    expect(requests.some((l) => String(l.path).startsWith('/scim/v2/') && l.status === 401)).toBe(true);
    expect(requests.some((l) => String(l.path).includes('/oauth/') && l.status === 401)).toBe(true);
    expect(requests.some((l) => String(l.path).includes('/sso/'))).toBe(true);
    // At trace the request lines carry the headers, credentials redacted (so the scan covers them).
    const redacted = requests.filter((l) => JSON.stringify(l.req).includes('"authorization":"[redacted]"'));
    expect(redacted.length).toBeGreaterThan(20);
    expect(requests.some((l) => JSON.stringify(l.req).includes('"cookie":"[redacted]"'))).toBe(true);
    expect(requests.some((l) => JSON.stringify(l.res).includes('"set-cookie":"[redacted]"'))).toBe(true);
    expect(requests.some((l) => l.path === `/sso/${slug}/setup/[redacted]`)).toBe(true);
    expect(text).toContain(keyId);
    expect(text).toContain(clientId);
    expect(secrets.size).toBeGreaterThan(25);
    const leaked = [...secrets].filter(([, value]) => text.includes(value)).map(([what]) => what);
    expect(leaked).toEqual([]);
  });

  it('the database holds no secret of the session in clear text, only hashes of the ones it checks', async () => {
    const tables = [
      'api_keys',
      'portal_sessions',
      'oauth_refresh_tokens',
      'oauth_authorization_codes',
      'oauth_client_secrets',
      'identity_configs',
      'audit_events',
      'members',
      'organizations',
      'saml_used_assertions',
      'setup_links',
    ];
    let text = '';
    for (const table of tables) {
      const column = table === 'organizations' ? 'id' : 'org_id';
      const rows = await sql<{
        row: string;
      }>`select to_jsonb(t)::text as row from ${sql.table(table)} t where ${sql.ref(column)} = ${orgId}`.execute(
        handle.db,
      );
      text += rows.rows.map((r) => r.row).join('\n');
    }
    const leaked = [...secrets].filter(([, value]) => text.includes(value)).map(([what]) => what);
    expect(leaked).toEqual([]);
    // What it does keep: SHA-256 of the key, session and refresh secrets and of the client secret.
    for (const what of [
      'SCIM API key secret',
      'manager API key secret',
      'session cookie secret (OIDC)',
      'refresh token secret',
      'rotated OAuth client secret',
    ]) {
      expect(text, what).toContain(hashSecret(secrets.get(what) as string));
    }
  });
});
