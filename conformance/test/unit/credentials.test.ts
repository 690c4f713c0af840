/**
 * How the simulators authenticate: a static bearer secret, or OAuth 2.0 client credentials through
 * openid-client against a nock authorization server (docs/reference/entra.md#authentication,
 * docs/reference/ping.md#oauth-token-request).
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type ClientCredentialsOptions,
  clientCredentials,
  staticBearer,
} from '../../src/wire/credentials.js';

const AUTH = 'http://auth.test';
const ISSUER = `${AUTH}/oauth/acme`;
const TOKEN_URL = `${ISSUER}/token`;
const WELL_KNOWN = '/.well-known/oauth-authorization-server/oauth/acme';

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  vi.restoreAllMocks();
});
afterAll(() => nock.enableNetConnect());

interface TokenRequest {
  path: string;
  authorization: string | undefined;
  form: URLSearchParams;
}

/** A token endpoint at `path` that hands out `tok-1`, `tok-2`, … and records each request. */
function tokenEndpoint(path: string, response: Record<string, unknown> = { expires_in: 3600 }, times = 1) {
  const requests: TokenRequest[] = [];
  nock(AUTH)
    .post(path)
    .times(times)
    .reply(function (uri, body) {
      requests.push({
        path: uri,
        authorization: this.req.headers.authorization as string | undefined,
        form: new URLSearchParams(String(body)),
      });
      return [
        200,
        { access_token: `tok-${requests.length}`, token_type: 'Bearer', ...response },
        { 'Cache-Control': 'no-store' },
      ];
    });
  return requests;
}

const metadata = (tokenEndpointUrl = TOKEN_URL) => ({
  issuer: ISSUER,
  token_endpoint: tokenEndpointUrl,
  token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
  grant_types_supported: ['client_credentials'],
});

const options = (more: Partial<ClientCredentialsOptions> = {}): ClientCredentialsOptions => ({
  clientId: 'roster-client',
  clientSecret: 's3cret',
  tokenUrl: TOKEN_URL,
  clientAuthentication: 'client_secret_basic',
  ...more,
});

describe('staticBearer', () => {
  it('sends the secret with the Bearer scheme and cannot be renewed', async () => {
    const credentials = staticBearer('abc');
    expect(await credentials.authorization()).toBe('Bearer abc');
    expect(await credentials.renew()).toBe(false);
    await credentials.refreshIfExpired();
    expect(credentials.tokensFetched).toBe(0);
    expect(credentials.grantedLifetime).toBeUndefined();
  });
});

describe('clientCredentials', () => {
  it('discovers the issuer derived from the token URL (RFC 8414) and uses its token endpoint', async () => {
    const discovery = nock(AUTH).get(WELL_KNOWN).reply(200, metadata());
    const tokens = tokenEndpoint('/oauth/acme/token');
    const credentials = clientCredentials(options());
    expect(await credentials.authorization()).toBe('Bearer tok-1');
    expect(discovery.isDone()).toBe(true);
    expect(tokens).toHaveLength(1);
    expect(credentials.tokensFetched).toBe(1);
  });

  it('authenticates with HTTP Basic and keeps the secret out of the form (client_secret_basic)', async () => {
    nock(AUTH).get(WELL_KNOWN).reply(200, metadata());
    const tokens = tokenEndpoint('/oauth/acme/token');
    await clientCredentials(options({ clientAuthentication: 'client_secret_basic' })).authorization();
    const [request] = tokens;
    // RFC 6749 §2.3.1: id and secret are form-urlencoded, then joined by ':' and base64-encoded.
    const [scheme, encoded] = String(request?.authorization).split(' ');
    expect(scheme).toBe('Basic');
    const [id, secret] = Buffer.from(String(encoded), 'base64').toString().split(':').map(decodeURIComponent);
    expect({ id, secret }).toEqual({ id: 'roster-client', secret: 's3cret' });
    expect(request?.form.get('grant_type')).toBe('client_credentials');
    expect(request?.form.has('client_secret')).toBe(false);
  });

  it('posts client_id and client_secret in the form without Basic (client_secret_post)', async () => {
    nock(AUTH).get(WELL_KNOWN).reply(200, metadata());
    const tokens = tokenEndpoint('/oauth/acme/token');
    await clientCredentials(options({ clientAuthentication: 'client_secret_post' })).authorization();
    const [request] = tokens;
    expect(request?.authorization).toBeUndefined();
    expect(request?.form.get('grant_type')).toBe('client_credentials');
    expect(request?.form.get('client_id')).toBe('roster-client');
    expect(request?.form.get('client_secret')).toBe('s3cret');
  });

  it('sends the scope when one is configured', async () => {
    nock(AUTH).get(WELL_KNOWN).reply(200, metadata());
    const tokens = tokenEndpoint('/oauth/acme/token');
    await clientCredentials(options({ scope: 'scim.read scim.write' })).authorization();
    expect(tokens[0]?.form.get('scope')).toBe('scim.read scim.write');
  });

  it('falls back to the token URL as typed when discovery answers 404', async () => {
    const discovery = nock(AUTH).get(WELL_KNOWN).reply(404);
    const tokens = tokenEndpoint('/oauth/acme/token');
    const credentials = clientCredentials(options({ clientAuthentication: 'client_secret_post' }));
    expect(await credentials.authorization()).toBe('Bearer tok-1');
    expect(discovery.isDone()).toBe(true);
    expect(tokens[0]?.form.get('client_secret')).toBe('s3cret');
  });

  it('keeps Basic authentication on the fallback configuration', async () => {
    nock(AUTH).get(WELL_KNOWN).reply(404);
    const tokens = tokenEndpoint('/oauth/acme/token');
    await clientCredentials(options()).authorization();
    expect(tokens[0]?.authorization).toMatch(/^Basic /);
  });

  it('uses the typed token URL when the metadata names another token endpoint', async () => {
    nock(AUTH)
      .get(WELL_KNOWN)
      .reply(200, metadata(`${AUTH}/elsewhere/token`));
    const tokens = tokenEndpoint('/oauth/acme/token');
    expect(await clientCredentials(options()).authorization()).toBe('Bearer tok-1');
    expect(tokens[0]?.path).toBe('/oauth/acme/token');
  });

  it('with only an issuer, uses the token endpoint the metadata names', async () => {
    nock(AUTH)
      .get(WELL_KNOWN)
      .reply(200, metadata(`${AUTH}/oauth/acme/v2/token`));
    const tokens = tokenEndpoint('/oauth/acme/v2/token');
    const credentials = clientCredentials(options({ tokenUrl: undefined, issuer: ISSUER }));
    expect(await credentials.authorization()).toBe('Bearer tok-1');
    expect(tokens).toHaveLength(1);
  });

  it('with only an issuer, fails when discovery fails', async () => {
    nock(AUTH).get(WELL_KNOWN).reply(404);
    const credentials = clientCredentials(options({ tokenUrl: undefined, issuer: ISSUER }));
    await expect(credentials.authorization()).rejects.toThrow();
    expect(credentials.tokensFetched).toBe(0);
  });

  it('with only an issuer, tries discovery again after a failed attempt', async () => {
    // A transient outage of the metadata endpoint must not break the credentials for good.
    nock(AUTH).get(WELL_KNOWN).reply(503).get(WELL_KNOWN).reply(200, metadata());
    const tokens = tokenEndpoint('/oauth/acme/token');
    const credentials = clientCredentials(options({ tokenUrl: undefined, issuer: ISSUER }));
    await expect(credentials.authorization()).rejects.toThrow();
    expect(await credentials.authorization()).toBe('Bearer tok-1');
    expect(tokens).toHaveLength(1);
  });

  it('discovers only once and reuses the token until renewed', async () => {
    const discovery = nock(AUTH).get(WELL_KNOWN).once().reply(200, metadata());
    const tokens = tokenEndpoint('/oauth/acme/token', { expires_in: 3600 }, 2);
    const credentials = clientCredentials(options());
    expect(await credentials.authorization()).toBe('Bearer tok-1');
    expect(await credentials.authorization()).toBe('Bearer tok-1');
    expect(await credentials.renew()).toBe(true);
    expect(await credentials.authorization()).toBe('Bearer tok-2');
    expect(tokens).toHaveLength(2);
    expect(credentials.tokensFetched).toBe(2);
    expect(discovery.isDone()).toBe(true);
  });

  it('records the lifetime the token was granted for (expires_in)', async () => {
    nock(AUTH).get(WELL_KNOWN).reply(404);
    // Not 3600: that is also what a response without expires_in is taken to mean.
    tokenEndpoint('/oauth/acme/token', { expires_in: 1800 });
    // The clock moves on while the response is handled, one millisecond per reading.
    let now = Date.now();
    vi.spyOn(Date, 'now').mockImplementation(() => {
      now += 1;
      return now;
    });
    const credentials = clientCredentials(options());
    await credentials.authorization();
    expect(credentials.grantedLifetime).toBe(1800);
  });

  it('assumes an hour when the token response has no expires_in', async () => {
    nock(AUTH).get(WELL_KNOWN).reply(404);
    tokenEndpoint('/oauth/acme/token', {});
    const credentials = clientCredentials(options());
    await credentials.authorization();
    expect(credentials.grantedLifetime).toBe(3600);
  });

  it('refreshIfExpired fetches a first token, keeps a live one and replaces an expired one', async () => {
    nock(AUTH).get(WELL_KNOWN).reply(404);
    const tokens = tokenEndpoint('/oauth/acme/token', { expires_in: 60 }, 2);
    const credentials = clientCredentials(options());
    await credentials.refreshIfExpired();
    expect(tokens).toHaveLength(1);
    await credentials.refreshIfExpired();
    expect(tokens).toHaveLength(1);
    const later = Date.now() + 61_000;
    vi.spyOn(Date, 'now').mockReturnValue(later);
    await credentials.refreshIfExpired();
    expect(tokens).toHaveLength(2);
    expect(await credentials.authorization()).toBe('Bearer tok-2');
  });

  it('rejects when the token endpoint refuses the client', async () => {
    nock(AUTH).get(WELL_KNOWN).reply(404);
    nock(AUTH).post('/oauth/acme/token').reply(401, { error: 'invalid_client' });
    const credentials = clientCredentials(options());
    await expect(credentials.authorization()).rejects.toThrow();
    expect(credentials.tokensFetched).toBe(0);
  });

  it('needs a token URL or an issuer', async () => {
    const credentials = clientCredentials(options({ tokenUrl: undefined }));
    await expect(credentials.authorization()).rejects.toThrow(/token URL or an issuer/);
  });
});
