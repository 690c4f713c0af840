/**
 * With PUBLIC_URL set, every externally visible URL comes from it, whatever
 * Host and X-Forwarded-Host a request carries (here TRUST_PROXY is on too, the case where the
 * forwarded headers would count): SCIM `meta.location` and `Location`, the SCIM endpoint URL and
 * the other URLs the portal shows, the OAuth authorization server's metadata, SAML audience (entity
 * id) and ACS, and the OIDC redirect URI sent to the identity provider.
 */
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { createFirstManager } from '@roster/directory/api-keys';
import { createOrganization } from '@roster/directory/organizations';
import type { FakeOidcProvider } from '@roster/testkit/oidc-provider';
import { startFakeSamlIdp } from '@roster/testkit/saml-idp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ComposedServer, startSignInServer } from './composed-server.js';

const PUBLIC = 'https://roster.example.com';
const FORGED = { Host: 'evil.example', 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'http' };

let server: ComposedServer & { provider: FakeOidcProvider };
const samlIdp = startFakeSamlIdp();

beforeAll(async () => {
  server = await startSignInServer({ env: { PUBLIC_URL: `${PUBLIC}/`, TRUST_PROXY: 'true' } });
});
afterAll(async () => server?.close());

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
  body: any;
}

/** fetch() will not send a Host header of our choosing; node:http does. */
function send(method: string, path: string, headers: Record<string, string>, json?: unknown): Promise<Res> {
  const url = new URL(path, server.origin);
  const body = json === undefined ? undefined : JSON.stringify(json);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        headers: {
          ...FORGED,
          ...headers,
          ...(body
            ? { 'Content-Type': path.startsWith('/scim/') ? 'application/scim+json' : 'application/json' }
            : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => {
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Every absolute URL in a text: each must be on PUBLIC_URL (or the identity provider's). */
const urlsIn = (text: string) => [...text.matchAll(/https?:\/\/[^\s"'<>\\&]+/g)].map((m) => m[0]);

it('builds every URL from PUBLIC_URL, never from a forged Host or X-Forwarded-Host', async () => {
  const slug = `origin-${randomUUID().slice(0, 8)}`;
  const org = await createOrganization(server.handle.db, { slug, plan: 'enterprise' });
  const { token } = await createFirstManager(server.handle.db, org.id, `admin@${slug}.example.com`);
  const manager = { Authorization: `Bearer ${token}` };
  const api = `/api/v1/orgs/${slug}`;
  const seen: string[] = [];

  // The portal: SSO with OpenID Connect, a SCIM key, SCIM on; the URLs it shows.
  const { provider } = server;
  const sso = await send('PUT', `${api}/identity/sso`, manager, {
    enabled: true,
    oidc: { issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret },
  });
  expect(sso.status, sso.text).toBe(200);
  seen.push(...urlsIn(sso.text));
  const key = await send('POST', `${api}/api-keys`, manager, {
    kind: 'system',
    name: 'Entra',
    scopes: ['scim'],
  });
  expect(key.status, key.text).toBe(201);
  const settings = {
    mode: 'identity_provider',
    scimEnabled: true,
    provisionExistingUsers: false,
    syncGroups: false,
    authMethod: 'http_header',
  };
  const provisioning = await send('PUT', `${api}/identity/provisioning`, manager, settings);
  expect(provisioning.status, provisioning.text).toBe(200);
  expect(provisioning.body.scimEndpointUrl).toBe(`${PUBLIC}/scim/v2/${slug}`);
  seen.push(...urlsIn(provisioning.text));

  // OIDC: the redirect URI sent to the identity provider.
  const login = await send('GET', `/sso/${slug}/login`, {});
  expect(login.status).toBe(302);
  const authorize = new URL(login.headers.location as string);
  expect(authorize.searchParams.get('redirect_uri')).toBe(`${PUBLIC}/sso/${slug}/callback`);

  // SCIM: Location and meta.location of a created user, a list, discovery.
  const scim = { Authorization: `Bearer ${key.body.token}` };
  const created = await send('POST', `/scim/v2/${slug}/Users`, scim, {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: `ada@${slug}.example.com`,
  });
  expect(created.status, created.text).toBe(201);
  expect(created.headers.location).toBe(`${PUBLIC}/scim/v2/${slug}/Users/${created.body.id}`);
  expect(created.body.meta.location).toBe(created.headers.location);
  for (const path of ['/Users', '/ServiceProviderConfig', '/ResourceTypes', '/Schemas']) {
    const read = await send('GET', `/scim/v2/${slug}${path}`, scim);
    expect(read.status, read.text).toBe(200);
    seen.push(...urlsIn(read.text));
  }

  // OAuth 2.0: the authorization server's metadata (issuer and endpoints) and the portal's client.
  const oauth = await send('PUT', `${api}/identity/provisioning`, manager, {
    ...settings,
    authMethod: 'oauth2',
    oauthRedirectUris: ['https://idp.example.com/callback'],
  });
  expect(oauth.status, oauth.text).toBe(200);
  expect(oauth.body.oauth.tokenEndpoint).toBe(`${PUBLIC}/oauth/${slug}/token`);
  seen.push(...urlsIn(oauth.text).filter((url) => !url.startsWith('https://idp.example.com/')));
  const metadata = await send('GET', `/.well-known/oauth-authorization-server/oauth/${slug}`, {});
  expect(metadata.status, metadata.text).toBe(200);
  expect(metadata.body.issuer).toBe(`${PUBLIC}/oauth/${slug}`);
  expect(metadata.body.token_endpoint).toBe(`${PUBLIC}/oauth/${slug}/token`);
  seen.push(...urlsIn(metadata.text));
  const unauthorized = await send('GET', `/scim/v2/${slug}/Users`, {});
  expect(unauthorized.status).toBe(401);
  seen.push(...urlsIn(unauthorized.text), ...urlsIn(String(unauthorized.headers['www-authenticate'] ?? '')));

  // SAML: our metadata (entity id, the audience) and the ACS the portal shows.
  const saml = await send('PUT', `${api}/identity/sso`, manager, {
    enabled: true,
    protocol: 'saml',
    saml: { entryPoint: samlIdp.ssoUrl, idpEntityId: samlIdp.entityId, certificate: samlIdp.certificate },
  });
  expect(saml.status, saml.text).toBe(200);
  seen.push(...urlsIn(saml.text).filter((url) => !url.startsWith(samlIdp.ssoUrl)));
  const samlMetadata = await send('GET', `/sso/${slug}/saml/metadata`, {});
  expect(samlMetadata.status).toBe(200);
  expect(samlMetadata.text).toContain(`entityID="${PUBLIC}/sso/${slug}/saml/metadata"`);
  expect(samlMetadata.text).toContain(`Location="${PUBLIC}/sso/${slug}/saml/acs"`);

  expect(seen.length).toBeGreaterThan(15);
  // The identity providers' URLs and documentation links aside, every URL is on PUBLIC_URL.
  const elsewhere = [provider.issuer, samlIdp.entityId, samlIdp.ssoUrl].map((url) => new URL(url).origin);
  elsewhere.push('https://github.com', 'https://www.rfc-editor.org', 'http://www.w3.org');
  const ours = seen.filter((url) => !elsewhere.includes(new URL(url).origin));
  expect(ours.length).toBeGreaterThan(15);
  expect(ours.filter((url) => !url.startsWith(`${PUBLIC}/`))).toEqual([]);
  expect(seen.join(' ')).not.toMatch(/evil\.example|127\.0\.0\.1/);
});
