/**
 * The composed server's edge: every response carries the security headers, whichever app answers
 * and whatever the outcome (success, refusal, not found, the HTML refusal page, operations
 * endpoints), and oversized request headers are refused before any app sees them.
 */

import { connect } from 'node:net';
import { createScimKey } from '@roster/directory/api-keys';
import { enableScimProvisioning } from '@roster/directory/identity';
import { createOrganization } from '@roster/directory/organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ComposedServer, startComposedServer } from './composed-server.js';

let server: ComposedServer;
let origin: string;
let slug: string;
let scimToken: string;

beforeAll(async () => {
  server = await startComposedServer();
  origin = server.origin;
  const { db } = server.handle;
  slug = `headers-${Math.random().toString(36).slice(2, 10)}`;
  const org = await createOrganization(db, { slug });
  await enableScimProvisioning(db, org.id);
  scimToken = await createScimKey(db, org.id, 'headers test');
});
afterAll(async () => server?.close());

describe('security headers', () => {
  const requests: [string, () => [string, RequestInit?], number][] = [
    [
      'a SCIM read',
      () => [`/scim/v2/${slug}/Users`, { headers: { Authorization: `Bearer ${scimToken}` } }],
      200,
    ],
    ['a SCIM refusal', () => [`/scim/v2/${slug}/Users`], 401],
    [
      'a SCIM 404',
      () => [`/scim/v2/${slug}/Nothing`, { headers: { Authorization: `Bearer ${scimToken}` } }],
      404,
    ],
    ['a path outside every app', () => ['/nothing'], 404],
    ['health', () => ['/healthz'], 200],
    ['metrics', () => ['/metrics'], 200],
    ['a portal API refusal', () => [`/api/v1/orgs/${slug}`], 401],
    ['the OpenAPI document', () => ['/api/v1/openapi.json'], 200],
    ['an OAuth token request', () => [`/oauth/${slug}/token`, { method: 'POST' }], 400],
    [
      'the HTML sign-in refusal page',
      () => [`/sso/${slug}/callback`, { headers: { Accept: 'text/html' } }],
      400,
    ],
  ];

  it.each(requests)('are on %s', async (_name, request, status) => {
    const [path, init] = request();
    const response = await fetch(`${origin}${path}`, init);
    expect(response.status).toBe(status);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });
});

describe('request header size', () => {
  it('refuses request headers over 16 KiB with 431, and serves the next request', async () => {
    const response = await fetch(`${origin}/healthz`, { headers: { 'X-Padding': 'x'.repeat(20 * 1024) } });
    expect(response.status).toBe(431);
    expect(
      (await fetch(`${origin}/healthz`, { headers: { 'X-Padding': 'x'.repeat(8 * 1024) } })).status,
    ).toBe(200);
  });
});

describe('slow clients', () => {
  let slow: ComposedServer;
  beforeAll(async () => {
    slow = await startComposedServer({ timeouts: { headersMs: 500, requestMs: 1_000 } });
  });
  afterAll(async () => slow?.close());

  /** Sends `parts` with pauses, as a slow (or slowloris) client would; resolves with what came back when the server closed. */
  function trickle(parts: string[]): Promise<string> {
    const { port } = new URL(slow.origin);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1');
      let received = '';
      socket.on('data', (chunk) => {
        received += chunk.toString('latin1');
      });
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
      // A hang bound, not a speed assertion: the server must end it long before this.
      setTimeout(() => {
        socket.destroy();
        reject(new Error('the server kept a slow client past 10 s'));
      }, 10_000).unref();
      const timers = parts.map((part, i) => setTimeout(() => socket.write(part), i * 400));
      socket.on('close', () => {
        for (const timer of timers) clearTimeout(timer);
      });
    });
  }

  it('answers 408 and closes the connection when the headers do not arrive in time', async () => {
    const headerLines = Array.from({ length: 20 }, (_, i) => `X-Slow-${i}: x\r\n`);
    const received = await trickle(['GET /healthz HTTP/1.1\r\nHost: roster\r\n', ...headerLines]);
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('answers 408 and closes the connection when the body does not arrive in time', async () => {
    // The portal API reads a body before it authenticates, so nothing answers before the body is whole.
    const head =
      'POST /api/v1/orgs/nobody/members HTTP/1.1\r\nHost: roster\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n';
    const received = await trickle([head, ...Array.from({ length: 20 }, () => '{')]);
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('serves a client that sends in time', async () => {
    expect((await fetch(`${slow.origin}/healthz`)).status).toBe(200);
  });
});
