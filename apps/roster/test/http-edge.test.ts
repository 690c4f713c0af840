/**
 * The composed server's edge: every response carries the security headers, whichever app answers
 * and whatever the outcome (success, refusal, not found, the HTML refusal page, operations
 * endpoints), and oversized request headers are refused before any app sees them.
 */
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
