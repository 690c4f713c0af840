/**
 * The limiter itself: counts shared by processes through the database (on PostgreSQL and the
 * embedded PGlite), local counting while the database is away, and separate organization buckets
 * for the apps that keep a limiter each. The HTTP answers (429, Retry-After) are tested by the apps.
 */
import { randomUUID } from 'node:crypto';
import { type DatabaseHandle, openDatabase } from '@roster/db';
import { createOrganization } from '@roster/directory/organizations';
import type {} from '@roster/testkit/vitest-global-setup';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RateLimiter, type RateLimits, refusalDetail } from './rate-limiter.js';

/** A fixed clock, 3.2 s into a 10-second window, so no window ends in the middle of a test. */
const now = () => 1_700_000_003_200;
const ONE_A_SECOND: RateLimits = { perCredential: 1, perOrganization: 0, windowSeconds: 10 };

describe.each(['postgres', 'pglite'] as const)('shared counts (%s)', (kind) => {
  const open = () =>
    openDatabase(
      kind === 'postgres' ? { url: inject('databaseUrl') } : { url: undefined, dataDir: 'memory://' },
    );
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => handle?.close());
  const newOrgId = async () =>
    (await createOrganization(handle.db, { slug: `r-${randomUUID().slice(0, 8)}` })).id;

  it('lets two processes see each other’s requests after a sync, and keeps counting when the database is away', async () => {
    const orgId = await newOrgId();
    const a = new RateLimiter(handle.db, ONE_A_SECOND, { now });
    const b = new RateLimiter(handle.db, ONE_A_SECOND, { now });
    for (let i = 0; i < 8; i++) expect(a.take(orgId, 'api_key:k')).toBeUndefined();
    await a.sync();
    // b has not heard of a's 8 yet: its first request passes, and its sync brings the total (9).
    expect(b.take(orgId, 'api_key:k')).toBeUndefined();
    await b.sync();
    expect(b.take(orgId, 'api_key:k')).toBeUndefined();
    expect(b.take(orgId, 'api_key:k')).toMatchObject({ scope: 'credential', retryAfterSeconds: 7 });
    // A limiter whose database fails keeps its own counts and reports the failure.
    const errors: unknown[] = [];
    const away = await open();
    await away.close();
    const broken = new RateLimiter(away.db, ONE_A_SECOND, {
      now,
      onSyncError: (error) => errors.push(error),
    });
    for (let i = 0; i < 10; i++) broken.take(orgId, 'api_key:k');
    await broken.sync();
    expect(errors).toHaveLength(1);
    expect(broken.take(orgId, 'api_key:k')).toMatchObject({ scope: 'credential' });
  });

  it('never rejects a sync (it runs from a timer), even when deleting past windows fails and no one listens', async () => {
    const orgId = await newOrgId();
    const noDeletes = handle.db.withPlugin({
      transformQuery: ({ node }) => {
        if (node.kind === 'DeleteQueryNode') throw new Error('delete refused');
        return node;
      },
      transformResult: async ({ result }) => result,
    });
    const errors: unknown[] = [];
    const reported = new RateLimiter(noDeletes, ONE_A_SECOND, {
      now,
      onSyncError: (error) => errors.push(error),
    });
    reported.take(orgId, 'api_key:k');
    await reported.sync();
    expect(errors).toMatchObject([{ message: 'delete refused' }]);
    const unheard = new RateLimiter(noDeletes, ONE_A_SECOND, { now });
    unheard.take(orgId, 'api_key:k');
    await expect(unheard.sync()).resolves.toBeUndefined();
  });
});

describe('organization buckets', () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openDatabase({ url: inject('databaseUrl') });
  });
  afterAll(async () => handle?.close());

  it('keep the limiters of two apps apart: one using up its organization limit leaves the other untouched', async () => {
    const { id: orgId } = await createOrganization(handle.db, { slug: `r-${randomUUID().slice(0, 8)}` });
    const limits: RateLimits = { perCredential: 0, perOrganization: 1, windowSeconds: 10 };
    const scim = new RateLimiter(handle.db, limits, { now });
    const portal = new RateLimiter(handle.db, limits, { now, organizationBucket: 'portal' });
    const scimPeer = new RateLimiter(handle.db, limits, { now });
    for (let i = 0; i < 10; i++) scim.take(orgId, `api_key:${i}`);
    await scim.sync();
    expect(portal.take(orgId, 'session:s')).toBeUndefined();
    await portal.sync();
    // A second SCIM process shares the first one's organization count; the portal's did not add to it.
    expect(scimPeer.take(orgId, 'api_key:x')).toBeUndefined();
    await scimPeer.sync();
    const refused = scimPeer.take(orgId, 'api_key:x');
    expect(refused).toMatchObject({ scope: 'organization', limit: 1 });
    expect(refusalDetail(refused ?? { scope: 'credential', limit: 0, retryAfterSeconds: 0 })).toBe(
      'Too many requests: this organization may make 1 requests a second on average. Retry after 7 seconds.',
    );
    for (let i = 0; i < 8; i++) expect(portal.take(orgId, 'session:s')).toBeUndefined();
  });
});
