/**
 * Rate limits: per credential and per organization, answered 429 with `Retry-After` and a SCIM
 * error body, shared by server processes through the database, and generous enough by default
 * that Entra ID's documented 25 requests a second per tenant never meets one. The shared counts
 * also on the embedded database.
 */
import { openDatabase } from '@roster/db';
import { createScimKey } from '@roster/directory/api-keys';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { RateLimiter, type RateLimits } from '../src/http/rate-limit.js';
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

describe.each(['postgres', 'pglite'] as const)('shared counts (%s)', (kind) => {
  const harness = useHarness(kind);

  it('lets two processes see each other’s requests after a sync, and keeps counting when the database is away', async () => {
    const org = await harness().newOrg();
    const limits: RateLimits = { perCredential: 1, perOrganization: 0, windowSeconds: 10 };
    const a = new RateLimiter(harness().db, limits, { now });
    const b = new RateLimiter(harness().db, limits, { now });
    for (let i = 0; i < 8; i++) expect(a.take(org.id, 'api_key:k')).toBeUndefined();
    await a.sync();
    // b has not heard of a's 8 yet: its first request passes, and its sync brings the total (9).
    expect(b.take(org.id, 'api_key:k')).toBeUndefined();
    await b.sync();
    expect(b.take(org.id, 'api_key:k')).toBeUndefined();
    expect(b.take(org.id, 'api_key:k')).toMatchObject({ scope: 'credential', retryAfterSeconds: 7 });
    // A limiter whose database fails keeps its own counts and reports the failure.
    const errors: unknown[] = [];
    const away = await openDatabase(
      kind === 'postgres' ? { url: inject('databaseUrl') } : { url: undefined, dataDir: 'memory://' },
    );
    await away.close();
    const broken = new RateLimiter(away.db, limits, { now, onSyncError: (error) => errors.push(error) });
    for (let i = 0; i < 10; i++) broken.take(org.id, 'api_key:k');
    await broken.sync();
    expect(errors).toHaveLength(1);
    expect(broken.take(org.id, 'api_key:k')).toMatchObject({ scope: 'credential' });
  });

  it('never rejects a sync (it runs from a timer), even when deleting past windows fails and no one listens', async () => {
    const org = await harness().newOrg();
    const noDeletes = harness().db.withPlugin({
      transformQuery: ({ node }) => {
        if (node.kind === 'DeleteQueryNode') throw new Error('delete refused');
        return node;
      },
      transformResult: async ({ result }) => result,
    });
    const limits: RateLimits = { perCredential: 1, perOrganization: 0, windowSeconds: 10 };
    const errors: unknown[] = [];
    const reported = new RateLimiter(noDeletes, limits, { now, onSyncError: (error) => errors.push(error) });
    reported.take(org.id, 'api_key:k');
    await reported.sync();
    expect(errors).toMatchObject([{ message: 'delete refused' }]);
    const unheard = new RateLimiter(noDeletes, limits, { now });
    unheard.take(org.id, 'api_key:k');
    await expect(unheard.sync()).resolves.toBeUndefined();
  });
});
