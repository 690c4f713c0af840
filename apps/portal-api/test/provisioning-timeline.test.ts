/** The provisioning timeline: requests and failures per bucket from the per-minute counts, per organization. */
import { randomUUID } from 'node:crypto';
import { type ActivityEntry, insertActivity } from '@roster/activity/rows';
import { describe, expect, it } from 'vitest';
import { type TestOrg, usePortal } from './harness.js';

describe('provisioning timeline', () => {
  const portal = usePortal();
  const entry = (org: TestOrg, minutesAgo: number, status: number, key = 'key1'): ActivityEntry => ({
    at: new Date(Date.now() - minutesAgo * 60_000),
    orgId: org.id,
    orgSlug: org.slug,
    requestId: randomUUID(),
    credential: { type: 'api_key', id: key },
    idp: 'entra',
    method: 'POST',
    resourceType: 'Users',
    status,
    durationMs: 3,
  });

  it('sums requests and failures into 48 buckets, oldest first, empty ones included', async () => {
    const org = await portal().newOrg();
    const other = await portal().newOrg();
    await insertActivity(portal().handle.db, [
      entry(org, 5, 201),
      entry(org, 5, 409),
      entry(org, 6, 200, 'key2'),
      entry(org, 200, 500),
      entry(org, 60 * 30, 201), // before the day
      entry(other, 5, 201),
    ]);
    const res = await org.manager.call('GET', `/orgs/${org.slug}/provisioning/health/timeline`);
    expect(res.status).toBe(200);
    expect(res.body.bucketSeconds).toBe(1800);
    expect(res.body.buckets.length).toBeGreaterThanOrEqual(48);
    expect(res.body.buckets.length).toBeLessThanOrEqual(49);
    const starts = res.body.buckets.map((b: { start: string }) => Date.parse(b.start));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    const total = (key: 'requests' | 'failures') =>
      res.body.buckets.reduce((sum: number, b: Record<string, number>) => sum + (b[key] ?? 0), 0);
    expect(total('requests')).toBe(4);
    expect(total('failures')).toBe(2);

    const one = await org.manager.call(
      'GET',
      `/orgs/${org.slug}/provisioning/health/timeline?hours=1&credential=api_key:key2`,
    );
    expect(one.body.bucketSeconds).toBe(75);
    expect(one.body.buckets.reduce((sum: number, b: { requests: number }) => sum + b.requests, 0)).toBe(1);
  });

  it('refuses bad parameters with 400 and basic members with 403', async () => {
    const org = await portal().newOrg();
    for (const query of ['hours=0', 'hours=169', 'credential=nope']) {
      const res = await org.manager.call('GET', `/orgs/${org.slug}/provisioning/health/timeline?${query}`);
      expect(res.status, query).toBe(400);
    }
    const basic = await org.addMember('basic');
    expect((await basic.call('GET', `/orgs/${org.slug}/provisioning/health/timeline`)).status).toBe(403);
  });
});
