/**
 * The HTTP side of the simulators against a nock fake: query encoding
 * (docs/reference/entra.md#query-encoding, docs/reference/ping.md#user-lookup), 429 with Retry-After, one
 * credential renewal on 401, counters and bodies.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { staticBearer } from '../../src/wire/credentials.js';
import {
  type QueryValue,
  retryAfterSeconds,
  ScimClient,
  type ScimClientOptions,
} from '../../src/wire/scim-client.js';
import { rotatingCredentials } from './fake-target.js';

const HOST = 'http://scim.test';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const client = (options: Partial<ScimClientOptions> = {}) =>
  new ScimClient({ baseUrl: `${HOST}/scim/v2/acme`, credentials: staticBearer('secret-token'), ...options });

const LIST_EMPTY = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
  totalResults: 0,
  Resources: [],
};

describe('retryAfterSeconds', () => {
  it('reads delay-seconds', () => {
    expect(retryAfterSeconds('1')).toBe(1);
    expect(retryAfterSeconds(' 120 ')).toBe(120);
    expect(retryAfterSeconds('0')).toBe(0);
  });

  it('reads an HTTP date as the seconds until it, never negative', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:27:58 GMT');
    expect(retryAfterSeconds('Wed, 21 Oct 2015 07:28:00 GMT', now)).toBe(2);
    expect(retryAfterSeconds('Wed, 21 Oct 2015 07:28:00 GMT', now + 500)).toBe(2);
    expect(retryAfterSeconds('Wed, 21 Oct 2015 07:27:00 GMT', now)).toBe(0);
  });

  it('is undefined when absent or unreadable', () => {
    expect(retryAfterSeconds(null)).toBeUndefined();
    expect(retryAfterSeconds('')).toBeUndefined();
    expect(retryAfterSeconds('soon')).toBeUndefined();
  });
});

describe('query encoding', () => {
  /** The URI a GET with the query goes out as. */
  async function sentUri(
    options: Partial<ScimClientOptions>,
    path: string,
    query: Record<string, QueryValue>,
  ): Promise<string> {
    let uri = '';
    nock(HOST)
      .get(() => true)
      .reply((u) => {
        uri = u;
        return [200, LIST_EMPTY];
      });
    await client(options).request('GET', path, { query });
    return uri;
  }

  it("encodes spaces as '+' by default, as Entra does", async () => {
    expect(await sentUri({ spaceEncoding: '+' }, '/Users', { filter: 'userName eq "x"' })).toBe(
      '/scim/v2/acme/Users?filter=userName+eq+%22x%22',
    );
  });

  it("encodes spaces as '%20' for Ping", async () => {
    expect(
      await sentUri({ spaceEncoding: '%20' }, '/Users', { filter: 'username Eq "jsmith@example.com"' }),
    ).toBe('/scim/v2/acme/Users?filter=username%20Eq%20%22jsmith%40example.com%22');
  });

  it("keeps parameter order, drops undefined values and never turns a literal '+' into a space", async () => {
    expect(
      await sentUri({}, '/Groups', {
        excludedAttributes: 'members',
        attributes: undefined,
        filter: 'displayName eq "a+b c"',
        count: 5,
      }),
    ).toBe('/scim/v2/acme/Groups?excludedAttributes=members&filter=displayName+eq+%22a%2Bb+c%22&count=5');
  });

  it('joins the base URL and the path without a double slash', async () => {
    const scope = nock(HOST).get('/scim/v2/acme/Users/1').reply(200, { id: '1' });
    await new ScimClient({ baseUrl: `${HOST}/scim/v2/acme/`, credentials: staticBearer('t') }).request(
      'GET',
      '/Users/1',
    );
    expect(scope.isDone()).toBe(true);
  });
});

describe('headers and bodies', () => {
  it('sends the bearer token, Accept, User-Agent, and Content-Type only with a body', async () => {
    const seen: Record<string, unknown>[] = [];
    nock(HOST)
      .get('/scim/v2/acme/Users/1')
      .reply(function () {
        seen.push({ ...this.req.headers });
        return [200, { id: '1' }];
      })
      .post('/scim/v2/acme/Users')
      .reply(function (_uri, body) {
        seen.push({ ...this.req.headers, body });
        return [201, { id: '2' }];
      });
    const c = client({ userAgent: 'Roster conformance (test)' });
    await c.request('GET', '/Users/1');
    await c.request('POST', '/Users', { body: { userName: 'a' } });
    expect(seen[0]).toMatchObject({
      authorization: 'Bearer secret-token',
      accept: 'application/scim+json, application/json',
      'user-agent': 'Roster conformance (test)',
    });
    expect(seen[0]).not.toHaveProperty('content-type');
    expect(seen[1]).toMatchObject({ 'content-type': 'application/scim+json', body: '{"userName":"a"}' });
  });

  it('parses JSON, leaves an empty body undefined and keeps a non-JSON body as { unparsable }', async () => {
    nock(HOST)
      .get('/scim/v2/acme/Users/1')
      .reply(200, { id: '1', userName: 'a' })
      .delete('/scim/v2/acme/Users/1')
      .reply(204)
      .get('/scim/v2/acme/Users/2')
      .reply(502, '<html>Bad gateway</html>', { 'Content-Type': 'text/html' });
    const c = client();
    expect((await c.request('GET', '/Users/1')).body).toEqual({ id: '1', userName: 'a' });
    const deleted = await c.request('DELETE', '/Users/1');
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    const bad = await c.request('GET', '/Users/2');
    expect(bad.status).toBe(502);
    expect(bad.body).toEqual({ unparsable: '<html>Bad gateway</html>' });
  });

  it('counts requests and writes', async () => {
    const scope = nock(HOST)
      .get(() => true)
      .reply(200, LIST_EMPTY)
      .post('/scim/v2/acme/Users')
      .reply(201, { id: '1' })
      .put('/scim/v2/acme/Users/1')
      .reply(200, { id: '1' })
      .patch('/scim/v2/acme/Groups/g')
      .reply(204)
      .delete('/scim/v2/acme/Users/1')
      .reply(204);
    const c = client();
    await c.request('GET', '/Users', { query: { filter: 'userName eq "a"' } });
    await c.request('POST', '/Users', { body: {} });
    await c.request('PUT', '/Users/1', { body: {} });
    await c.request('PATCH', '/Groups/g', { body: {} });
    await c.request('DELETE', '/Users/1');
    expect(c.stats).toEqual({ requests: 5, writes: 4, throttled: 0, unauthorized: 0 });
    expect(scope.isDone()).toBe(true);
  });

  it('rejects when the connection fails', async () => {
    nock(HOST).get('/scim/v2/acme/Users/1').replyWithError('socket hang up');
    await expect(client().request('GET', '/Users/1')).rejects.toThrow('socket hang up');
  });

  it('aborts a request that outlasts timeoutMs with a TimeoutError', async () => {
    nock(HOST).get('/scim/v2/acme/Users/1').delay(1000).reply(200, { id: '1' });
    await expect(client({ timeoutMs: 50 }).request('GET', '/Users/1')).rejects.toMatchObject({
      name: 'TimeoutError',
    });
  });
});

describe('throttling (429)', () => {
  it('waits Retry-After seconds and retries once', async () => {
    const scope = nock(HOST)
      .post('/scim/v2/acme/Users')
      .reply(429, { detail: 'slow down' }, { 'Retry-After': '1' })
      .post('/scim/v2/acme/Users')
      .reply(201, { id: '1' });
    const waits: number[] = [];
    const c = client({ wait: async (ms) => void waits.push(ms) });
    const res = await c.request('POST', '/Users', { body: { userName: 'a' } });
    expect(res.status).toBe(201);
    expect(scope.isDone()).toBe(true);
    expect(waits).toEqual([1000]);
    expect(c.stats).toEqual({ requests: 2, writes: 2, throttled: 1, unauthorized: 0 });
  });

  it('cuts a long Retry-After to maxRetryAfterSeconds', async () => {
    nock(HOST)
      .get('/scim/v2/acme/Users/1')
      .reply(429, '', { 'Retry-After': '3600' })
      .get('/scim/v2/acme/Users/1')
      .reply(200, { id: '1' });
    const waits: number[] = [];
    const res = await client({ maxRetryAfterSeconds: 0.05, wait: async (ms) => void waits.push(ms) }).request(
      'GET',
      '/Users/1',
    );
    expect(res.status).toBe(200);
    expect(waits).toEqual([50]);
  });

  it('honours Retry-After given as an HTTP date', async () => {
    // Two seconds ahead, at the header's one-second precision: the wait is one to two seconds.
    const date = new Date(Date.now() + 2000).toUTCString();
    nock(HOST)
      .get('/scim/v2/acme/Users/1')
      .reply(429, '', { 'Retry-After': date })
      .get('/scim/v2/acme/Users/1')
      .reply(200, { id: '1' });
    const waits: number[] = [];
    const c = client({ wait: async (ms) => void waits.push(ms) });
    const res = await c.request('GET', '/Users/1');
    expect(res.status).toBe(200);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(1000);
    expect(waits[0]).toBeLessThanOrEqual(2000);
    expect(c.stats.throttled).toBe(1);
  });

  it('returns the last 429 once the retries are used up', async () => {
    const scope = nock(HOST)
      .get('/scim/v2/acme/Users/1')
      .times(3)
      .reply(429, { detail: 'busy' }, { 'Retry-After': '0' });
    const c = client({ throttleRetries: 2 });
    const res = await c.request('GET', '/Users/1');
    expect(res.status).toBe(429);
    expect(res.body).toEqual({ detail: 'busy' });
    expect(scope.isDone()).toBe(true);
    expect(c.stats).toEqual({ requests: 3, writes: 0, throttled: 3, unauthorized: 0 });
  });

  it('does not retry with throttleRetries 0', async () => {
    nock(HOST).get('/scim/v2/acme/Users/1').reply(429, '', { 'Retry-After': '0' });
    const c = client({ throttleRetries: 0 });
    expect((await c.request('GET', '/Users/1')).status).toBe(429);
    expect(c.stats.requests).toBe(1);
  });

  it('backs off without a Retry-After header', async () => {
    nock(HOST).get('/scim/v2/acme/Users/1').reply(429).get('/scim/v2/acme/Users/1').reply(200, { id: '1' });
    const waits: number[] = [];
    const c = client({ wait: async (ms) => void waits.push(ms) });
    expect((await c.request('GET', '/Users/1')).status).toBe(200);
    expect(c.stats).toMatchObject({ requests: 2, throttled: 1 });
    expect(waits).toEqual([1000]); // 2^0 s, the first step of the back-off
  });
});

describe('refused credentials (401)', () => {
  it('renews the credential once and retries with the new one', async () => {
    const auth: string[] = [];
    nock(HOST)
      .get('/scim/v2/acme/Users/1')
      .times(2)
      .reply(function () {
        const header = String(this.req.headers.authorization);
        auth.push(header);
        return header === 'Bearer tok-2' ? [200, { id: '1' }] : [401, { detail: 'expired' }];
      });
    const credentials = rotatingCredentials();
    const c = client({ credentials });
    const res = await c.request('GET', '/Users/1');
    expect(res.status).toBe(200);
    expect(auth).toEqual(['Bearer tok-1', 'Bearer tok-2']);
    expect(credentials.renewals).toBe(1);
    expect(c.stats).toMatchObject({ requests: 2, unauthorized: 1 });
  });

  it('returns the second 401 without renewing again', async () => {
    const scope = nock(HOST).get('/scim/v2/acme/Users/1').times(2).reply(401, { detail: 'invalid token' });
    const credentials = rotatingCredentials();
    const c = client({ credentials });
    const res = await c.request('GET', '/Users/1');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ detail: 'invalid token' });
    expect(scope.isDone()).toBe(true);
    expect(credentials.renewals).toBe(1);
    expect(c.stats).toMatchObject({ requests: 2, unauthorized: 2 });
  });

  it('does not retry when the credential cannot be renewed (a static secret)', async () => {
    nock(HOST).get('/scim/v2/acme/Users/1').reply(401);
    const c = client();
    expect((await c.request('GET', '/Users/1')).status).toBe(401);
    expect(c.stats).toMatchObject({ requests: 1, unauthorized: 1 });
  });
});
