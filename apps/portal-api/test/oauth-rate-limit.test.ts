/**
 * Rate limits in front of the OAuth endpoints and single sign-on, counted like the portal's (a
 * fixed window, per caller and per organization) in buckets of their own: the token endpoint per
 * authenticated client (by address while authentication fails), /authorize and /sso/* per address,
 * all per organization. A refusal is a 429 with Retry-After, in OAuth's error body at /oauth and the
 * portal's at /sso.
 */

import { getIdentityConfig, saveIdentityConfig } from '@roster/directory/identity';
import { addClientSecret } from '@roster/directory/oauth';
import { RateLimiter, type RateLimits } from '@roster/rate-limit';
import { afterEach, describe, expect, it } from 'vitest';
import { send, type TestOrg, usePortal } from './harness.js';

/** A clock the test moves: 3.2 s into a 10-second window, so no window ends by accident. */
const clock = { now: 1_700_000_003_200 };
afterEach(() => {
  clock.now = 1_700_000_003_200;
});

/** 10 requests per caller and 15 per organization in a 10-second window. */
const LIMITS: RateLimits = { perCredential: 1, perOrganization: 1.5, windowSeconds: 10 };
const REDIRECT = 'https://idp.example.com/oauth/callback';

const portal = usePortal({
  oauthRateLimiter: (db) =>
    new RateLimiter(db, LIMITS, { now: () => clock.now, organizationBucket: 'oauth' }),
  signInRateLimiter: (db) =>
    new RateLimiter(db, LIMITS, { now: () => clock.now, organizationBucket: 'sign_in' }),
});

/** An organization provisioning over OAuth 2.0, with its client id and secret. */
async function oauthOrg(): Promise<TestOrg & { clientId: string; secret: string }> {
  const org = await portal().newOrg({ plan: 'enterprise' });
  const { db } = portal().handle;
  const clientId = `roster-${org.slug}`;
  await saveIdentityConfig(db, org.id, {
    ...(await getIdentityConfig(db, org.id)),
    provisioningMode: 'identity_provider',
    scimEnabled: true,
    scimAuthMethod: 'oauth2',
    oauthClientId: clientId,
    oauthRedirectUris: [REDIRECT],
  });
  return { ...org, clientId, secret: (await addClientSecret(db, org.id)).secret };
}

const token = (org: { slug: string }, id: string, secret: string) =>
  fetch(`${portal().origin}/oauth/${org.slug}/token`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials',
  });

const authorize = (org: { slug: string; clientId: string }) =>
  fetch(
    `${portal().origin}/oauth/${org.slug}/authorize?response_type=code&client_id=${org.clientId}&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256`,
    { redirect: 'manual' },
  );

describe('OAuth rate limits', () => {
  it('answer 429 with Retry-After and an OAuth error body once a client has used its window at the token endpoint', async () => {
    const org = await oauthOrg();
    for (let i = 0; i < 10; i++) expect((await token(org, org.clientId, org.secret)).status).toBe(200);
    const refused = await token(org, org.clientId, org.secret);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('7');
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect(await refused.json()).toEqual({
      error: 'temporarily_unavailable',
      error_description:
        'Too many requests: this credential may make 1 requests a second on average. Retry after 7 seconds.',
    });
    clock.now += 7_000;
    expect((await token(org, org.clientId, org.secret)).status).toBe(200);
  });

  it('count failed client authentications by address, never against the client whose id they send', async () => {
    const org = await oauthOrg();
    for (let i = 0; i < 10; i++) expect((await token(org, org.clientId, 'wrong')).status).toBe(401);
    expect((await token(org, org.clientId, 'wrong')).status).toBe(429);
    expect((await token(org, org.clientId, org.secret)).status).toBe(200);
  });

  it('limit /authorize per address, and everything per organization', async () => {
    const org = await oauthOrg();
    for (let i = 0; i < 10; i++) expect((await authorize(org)).status).toBe(200);
    const refused = await authorize(org);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('7');
    expect(((await refused.json()) as { error: string }).error).toBe('temporarily_unavailable');
    // The client has its own 10 at the token endpoint, but the organization has 15 in all.
    for (let i = 0; i < 5; i++) expect((await token(org, org.clientId, org.secret)).status).toBe(200);
    const full = await token(org, org.clientId, org.secret);
    expect(full.status).toBe(429);
    expect(((await full.json()) as { error_description: string }).error_description).toMatch(
      /this organization may make 1.5 requests a second/,
    );
    // Another organization is not affected.
    const other = await oauthOrg();
    expect((await token(other, other.clientId, other.secret)).status).toBe(200);
  });
});

describe('sign-in rate limits', () => {
  it('answer 429 with Retry-After and a portal error body once an address has used its window at /sso', async () => {
    const org = await portal().newOrg();
    const login = () => send(`${portal().origin}/sso/${org.slug}/login`, 'GET');
    for (let i = 0; i < 10; i++) expect((await login()).status).not.toBe(429);
    const refused = await login();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('7');
    expect(refused.body.error).toEqual({
      code: 'rate_limited',
      message:
        'Too many requests: this credential may make 1 requests a second on average. Retry after 7 seconds.',
    });
    clock.now += 7_000;
    expect((await login()).status).not.toBe(429);
  });
});
