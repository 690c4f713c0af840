/**
 * Rate limits: per credential and per organization, answered 429 with `Retry-After` and a SCIM
 * error body, shared by server processes through the database, and generous enough by default
 * that Entra ID's documented 25 requests a second per tenant never meets one. The limiter's own
 * tests (counts shared through the database) are in packages/rate-limit.
 */
import { createScimKey } from '@roster/directory/api-keys';
import { RateLimiter, type RateLimits } from '@roster/rate-limit';
import { afterEach, describe, expect, it } from 'vitest';
import { send } from './harness.js';
import { expectScimError, useHarness } from './helpers.js';

/** A clock the test moves: 3.2 s into a 10-second window, so no window ends by accident. */
const clock = { now: 1_700_000_003_200 };
const now = () => clock.now;
afterEach(() => {
  clock.now = 1_700_000_003_200;
});

const LIMITS: RateLimits = { perCredential: 1, perOrganization: 2, windowSeconds: 10 };

describe('rate limits over HTTP (postgres)', () => {
  const harness = useHarness('postgres', {
    rateLimiter: (db) => new RateLimiter(db, LIMITS, { now }),
  });

  it('answers 429 with Retry-After and a SCIM error once a credential has used its window', async () => {
    const org = await harness().newOrg();
    // 1 request a second over a 10-second window: 10 requests, then the 11th is refused.
    for (let i = 0; i < 10; i++) expect((await org.request('GET', '/Users?count=1')).status).toBe(200);
    const refused = await org.request('GET', '/Users?count=1');
    expectScimError(refused, 429);
    expect(refused.headers.get('retry-after')).toBe('7');
    expect(refused.body.detail).toMatch(/this credential may make 1 requests a second/);
    // Refused requests are not counted: the next window admits the client again at once.
    clock.now += 7_000;
    expect((await org.request('GET', '/Users?count=1')).status).toBe(200);
  });

  it("limits an organization's credentials together, and no other organization", async () => {
    const org = await harness().newOrg();
    const second = await createScimKey(harness().db, org.id, 'second key');
    for (let i = 0; i < 10; i++) await org.request('GET', '/Users?count=1');
    for (let i = 0; i < 10; i++) {
      expect((await send(`${org.base}/Users?count=1`, 'GET', second)).status).toBe(200);
    }
    // Each key has used its own 10, and together the organization's 20: a fresh key is refused too.
    const third = await createScimKey(harness().db, org.id, 'third key');
    const refused = await send(`${org.base}/Users?count=1`, 'GET', third);
    expectScimError(refused, 429);
    expect(refused.body.detail).toMatch(/this organization may make 2 requests a second/);

    const other = await harness().newOrg();
    expect((await other.request('GET', '/Users?count=1')).status).toBe(200);
  });
});

describe('the default limits (postgres)', () => {
  const harness = useHarness('postgres', {
    // '' means "not set": the defaults apply.
    env: { SCIM_RATE_LIMIT_PER_CREDENTIAL: '', SCIM_RATE_LIMIT_PER_ORGANIZATION: '' },
  });

  it("admit a whole window of Entra ID's documented 25 requests a second, sent as fast as possible", async () => {
    const org = await harness().newOrg();
    const statuses: number[] = [];
    // 10 seconds' worth of Entra traffic (250 requests), in bursts of 25 concurrent requests.
    for (let burst = 0; burst < 10; burst++) {
      const responses = await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          org.request('GET', `/Users?filter=${encodeURIComponent(`userName eq "u${burst}-${i}@x.example"`)}`),
        ),
      );
      statuses.push(...responses.map((response) => response.status));
    }
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  });
});
