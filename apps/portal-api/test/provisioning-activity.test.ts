/**
 * The provisioning activity list: newest first, cursor-paged, filtered; managers only;
 * one organization never sees another's requests.
 */
import { randomUUID } from 'node:crypto';
import { type ActivityEntry, insertActivity } from '@roster/activity/rows';
import { describe, expect, it } from 'vitest';
import { type TestOrg, usePortal } from './harness.js';

describe('provisioning activity', () => {
  const portal = usePortal();
  const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
  const entry = (org: TestOrg, status: number, extra: Partial<ActivityEntry> = {}): ActivityEntry => ({
    at: at(1),
    orgId: org.id,
    orgSlug: org.slug,
    requestId: randomUUID(),
    credential: { type: 'api_key', id: 'key1' },
    idp: 'entra',
    method: 'POST',
    resourceType: 'Users',
    status,
    durationMs: 4,
    ...extra,
  });

  it('lists requests newest first, page by page, with each filter', async () => {
    const org = await portal().newOrg({ plan: 'enterprise' });
    const conflict = entry(org, 409, {
      scimType: 'uniqueness',
      detail: 'A user with this userName already exists',
    });
    await insertActivity(portal().handle.db, [
      ...Array.from({ length: 5 }, () => entry(org, 201)),
      conflict,
      entry(org, 401, { credential: undefined, idp: 'ping', at: at(90), method: 'GET' }),
      entry(org, 200, { credential: { type: 'oauth_client', id: 'client1' }, resourceType: 'Groups' }),
    ]);
    const list = (query: string) =>
      org.manager.call('GET', `/orgs/${org.slug}/provisioning/activity${query}`);

    const first = await list('?limit=3');
    expect(first.status).toBe(200);
    expect(first.body.activity).toHaveLength(3);
    expect(first.body.activity[0]).toMatchObject({ resourceType: 'Groups', outcome: 'succeeded' });
    const seen = [...first.body.activity];
    let cursor = first.body.nextCursor;
    while (cursor) {
      const page = await list(`?limit=3&cursor=${cursor}`);
      seen.push(...page.body.activity);
      cursor = page.body.nextCursor;
    }
    expect(seen).toHaveLength(8);
    expect(new Set(seen.map((a) => a.id)).size).toBe(8);

    const failed = await list('?outcome=failed');
    expect(failed.body.activity.map((a: { status: number }) => a.status)).toEqual([401, 409]);
    expect((await list('?outcome=succeeded')).body.activity).toHaveLength(6);
    expect((await list('?status=409')).body.activity).toMatchObject([
      { scimType: 'uniqueness', requestId: conflict.requestId, credential: { type: 'api_key', id: 'key1' } },
    ]);
    expect((await list('?resourceType=Groups')).body.activity).toHaveLength(1);
    expect((await list('?credential=oauth_client:client1')).body.activity).toHaveLength(1);
    expect((await list('?idp=ping')).body.activity).toMatchObject([{ status: 401, credential: null }]);
    expect((await list(`?requestId=${conflict.requestId}`)).body.activity).toHaveLength(1);
    expect((await list(`?to=${encodeURIComponent(at(60).toISOString())}`)).body.activity).toHaveLength(1);
    expect((await list(`?from=${encodeURIComponent(at(60).toISOString())}`)).body.activity).toHaveLength(7);
  });

  it('refuses bad filters with 400, basic members with 403, and never shows another organization’s requests', async () => {
    const a = await portal().newOrg({ plan: 'enterprise' });
    const b = await portal().newOrg({ plan: 'enterprise' });
    await insertActivity(portal().handle.db, [entry(b, 201), entry(b, 409)]);
    const path = (org: TestOrg, query = '') => `/orgs/${org.slug}/provisioning/activity${query}`;
    expect((await a.manager.call('GET', path(a))).body.activity).toEqual([]);
    expect((await a.manager.call('GET', path(b))).status).toBe(401);
    for (const query of ['?outcome=maybe', '?status=abc', '?credential=x', '?cursor=zz', '?from=yesterday']) {
      const res = await a.manager.call('GET', path(a, query));
      expect(res.status, query).toBe(400);
    }
    const basic = await b.addMember('basic');
    expect((await basic.call('GET', path(b))).status).toBe(403);
    expect((await b.manager.call('GET', path(b))).body.activity).toHaveLength(2);
  });
});
