/**
 * Rate limits on the portal API: per credential (a personal API key or a session) and per
 * organization, answered 429 with `Retry-After` and a portal error body once the caller is known.
 * Counted in the organization's portal bucket, apart from its SCIM requests (packages/rate-limit
 * tests the buckets; apps/roster the settings).
 */
import { createSession } from '@roster/directory/sessions';
import { RateLimiter, type RateLimits } from '@roster/rate-limit';
import { afterEach, describe, expect, it } from 'vitest';
import { usePortal } from './harness.js';

/** A clock the test moves: 3.2 s into a 10-second window, so no window ends by accident. */
const clock = { now: 1_700_000_003_200 };
afterEach(() => {
  clock.now = 1_700_000_003_200;
});

const LIMITS: RateLimits = { perCredential: 1, perOrganization: 2, windowSeconds: 10 };

describe('portal rate limits', () => {
  const portal = usePortal({
    rateLimiter: (db) => new RateLimiter(db, LIMITS, { now: () => clock.now, organizationBucket: 'portal' }),
  });

  it('answer 429 with Retry-After and a portal error once a key has used its window, and admit it again in the next', async () => {
    const org = await portal().newOrg();
    // 1 request a second over a 10-second window: 10 requests, then the 11th is refused.
    for (let i = 0; i < 10; i++)
      expect((await org.manager.call('GET', `/orgs/${org.slug}/members/me`)).status).toBe(200);
    const refused = await org.manager.call('GET', `/orgs/${org.slug}/members/me`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('7');
    expect(refused.body.error).toEqual({
      code: 'rate_limited',
      message:
        'Too many requests: this credential may make 1 requests a second on average. Retry after 7 seconds.',
    });
    clock.now += 7_000;
    expect((await org.manager.call('GET', `/orgs/${org.slug}/members/me`)).status).toBe(200);
  });

  it("count an organization's keys and sessions together, and no other organization's", async () => {
    const org = await portal().newOrg();
    const member = await org.addMember('basic');
    for (let i = 0; i < 10; i++) await org.manager.call('GET', `/orgs/${org.slug}/members/me`);
    for (let i = 0; i < 10; i++)
      expect((await member.call('GET', `/orgs/${org.slug}/members/me`)).status).toBe(200);
    // Each key has used its own 10, and together the organization's 20: a fresh session is refused too.
    const session = await createSession(portal().handle.db, {
      orgId: org.id,
      memberId: member.id,
      method: 'oidc',
      lifetimeSeconds: 600,
    });
    const bySession = await fetch(`${portal().origin}/api/v1/orgs/${org.slug}/members/me`, {
      headers: { Cookie: `roster_session=${session.token}` },
    });
    expect(bySession.status).toBe(429);
    expect(((await bySession.json()) as { error: { message: string } }).error.message).toMatch(
      /this organization may make 2 requests a second/,
    );

    const other = await portal().newOrg();
    expect((await other.manager.call('GET', `/orgs/${other.slug}/members/me`)).status).toBe(200);
  });

  it('refuse requests without a valid credential as before, without counting them against anyone', async () => {
    const org = await portal().newOrg();
    for (let i = 0; i < 12; i++) {
      expect((await portal().request('GET', `/orgs/${org.slug}/members/me`, 'rsk_not.a-key')).status).toBe(
        401,
      );
    }
    // The manager's key still gets its whole window (10), no fewer, and then its 429.
    for (let i = 0; i < 10; i++) {
      expect((await org.manager.call('GET', `/orgs/${org.slug}/members/me`)).status).toBe(200);
    }
    expect((await org.manager.call('GET', `/orgs/${org.slug}/members/me`)).status).toBe(429);
  });
});
