/**
 * Provisioning events from the portal, and the pull feed (docs/events.md): every committed change
 * a manager makes to members, groups, memberships and the identity configuration has its event,
 * with the manager as actor and no secret in it; the feed pages through them in sequence order
 * with a `next` cursor, to managers only, refusing bad cursors with the portal's error body.
 */
import { describe, expect, it } from 'vitest';
import { type Response, type TestOrg, usePortal } from './harness.js';

const portal = usePortal();

const OIDC = {
  issuer: 'https://login.example.com/tenant-1/v2.0',
  clientId: 'roster-portal',
  clientSecret: 'oidc-client-secret-events-5e1f',
};

interface FeedEvent {
  id: string;
  sequence: number;
  type: string;
  occurredAt: string;
  actor: { type: string; id: string; label?: string };
  data: Record<string, unknown>;
}

const call = (org: TestOrg, method: string, path: string, body?: unknown) =>
  org.manager.call(method, `/orgs/${org.slug}${path}`, body);

/** Every event after `after`, read through the feed a page at a time. */
async function feed(org: TestOrg, after = 0, limit = 100): Promise<FeedEvent[]> {
  const events: FeedEvent[] = [];
  let cursor = after;
  for (;;) {
    const res = await call(org, 'GET', `/events?after=${cursor}&limit=${limit}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    events.push(...res.body.events);
    expect(res.body.next).toBe(events.at(-1)?.sequence ?? cursor);
    if (!res.body.hasMore) return events;
    cursor = res.body.next;
  }
}

const ok = (res: Response, status = 200) => expect(res.status, JSON.stringify(res.body)).toBe(status);

describe('provisioning events from the portal', () => {
  it('a member’s invitation, role change, deactivation, reactivation and removal each have their event', async () => {
    const org = await portal().newOrg();
    const invited = await call(org, 'POST', '/members', { email: 'lena@example.com', displayName: 'Lena' });
    ok(invited, 201);
    const id = invited.body.id as string;
    ok(await call(org, 'PATCH', `/members/${id}`, { role: 'manager' }));
    ok(await call(org, 'PATCH', `/members/${id}`, { status: 'deactivated' }));
    ok(await call(org, 'PATCH', `/members/${id}`, { status: 'active' }));
    // No change: no event.
    ok(await call(org, 'PATCH', `/members/${id}`, { status: 'active' }));
    ok(await call(org, 'DELETE', `/members/${id}`), 204);
    const events = await feed(org);
    expect(events.map((e) => e.type)).toEqual([
      'member.created',
      'member.role_changed',
      'member.deactivated',
      'member.reactivated',
      'member.deleted',
    ]);
    expect(events.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5]);
    for (const event of events) expect(event.actor).toEqual({ type: 'member', id: org.manager.id });
    expect(events[0]?.data).toMatchObject({
      id,
      userName: 'lena@example.com',
      displayName: 'Lena',
      active: true,
      role: 'basic',
      managedBy: 'portal',
    });
    expect(events[1]?.data).toMatchObject({ id, role: 'manager' });
    expect(events[2]?.data).toMatchObject({ id, active: false });
    expect(events[4]?.data).toEqual({ id });
  });

  it('a group’s creation, update, membership changes and deletion each have their event', async () => {
    const org = await portal().newOrg();
    ok(await call(org, 'PATCH', '', { rbacEnabled: true }));
    const [a, b] = [await org.addMember('basic'), await org.addMember('basic')];
    const created = await call(org, 'POST', '/groups', { displayName: 'Support' });
    ok(created, 201);
    const id = created.body.id as string;
    ok(await call(org, 'PATCH', `/groups/${id}`, { displayName: 'Help desk', role: 'manager' }));
    ok(await call(org, 'POST', `/groups/${id}/members`, { memberIds: [a.id, b.id] }));
    ok(await call(org, 'DELETE', `/groups/${id}/members/${a.id}`), 204);
    ok(await call(org, 'DELETE', `/groups/${id}`), 204);
    const events = await feed(org);
    expect(events.map((e) => e.type)).toEqual([
      'group.created',
      'group.updated',
      'group.member_added',
      'group.member_added',
      'group.member_removed',
      'group.deleted',
    ]);
    expect(events[0]?.data).toMatchObject({ id, displayName: 'Support', role: null, managedBy: 'portal' });
    expect(events[1]?.data).toMatchObject({ id, displayName: 'Help desk', role: 'manager' });
    expect(
      events
        .slice(2, 4)
        .map((e) => (e.data.member as { id: string }).id)
        .sort(),
    ).toEqual([a.id, b.id].sort());
    expect(events[4]?.data).toEqual({ group: { id, displayName: 'Help desk' }, member: { id: a.id } });
    expect(events[5]?.data).toEqual({ id });
  });

  it('SSO and provisioning changes have their events, without a secret', async () => {
    const org = await portal().newOrg({ plan: 'enterprise' });
    ok(await call(org, 'PUT', '/identity/sso', { enabled: true, oidc: OIDC }));
    // The same settings again: no event.
    ok(await call(org, 'PUT', '/identity/sso', { enabled: true, oidc: OIDC }));
    ok(await call(org, 'POST', '/api-keys', { kind: 'system', name: 'Entra ID' }), 201);
    ok(
      await call(org, 'PUT', '/identity/provisioning', {
        mode: 'identity_provider',
        scimEnabled: true,
        authMethod: 'http_header',
        provisionExistingUsers: true,
        syncGroups: false,
      }),
    );
    const events = await feed(org);
    expect(events.map((e) => e.type)).toEqual(['identity.sso_updated', 'identity.provisioning_updated']);
    expect(events[0]?.data).toMatchObject({
      enabled: true,
      protocol: 'oidc',
      issuer: OIDC.issuer,
      clientId: OIDC.clientId,
    });
    expect(events[1]?.data).toMatchObject({
      mode: 'identity_provider',
      scimEnabled: true,
      authMethod: 'http_header',
      provisionExistingUsers: true,
      syncGroups: false,
    });
    expect(JSON.stringify(events)).not.toContain(OIDC.clientSecret);
  });

  it('a refused change (the last manager’s demotion) has no event', async () => {
    const org = await portal().newOrg();
    const res = await call(org, 'PATCH', `/members/${org.manager.id}`, { role: 'basic' });
    expect(res.body.error.code).toBe('last_manager');
    expect(await feed(org)).toEqual([]);
  });
});

describe('the events feed', () => {
  it('pages in sequence order with `next` and `hasMore`, and an empty page keeps the cursor', async () => {
    const org = await portal().newOrg();
    for (let i = 0; i < 7; i++) ok(await call(org, 'POST', '/members', { email: `m${i}@example.com` }), 201);
    const first = await call(org, 'GET', '/events?limit=3');
    ok(first);
    expect(first.body.events.map((e: FeedEvent) => e.sequence)).toEqual([1, 2, 3]);
    expect(first.body).toMatchObject({ next: 3, hasMore: true });
    const last = await call(org, 'GET', '/events?after=6&limit=3');
    expect(last.body.events.map((e: FeedEvent) => e.sequence)).toEqual([7]);
    expect(last.body).toMatchObject({ next: 7, hasMore: false });
    expect((await call(org, 'GET', '/events?after=7')).body).toEqual({ events: [], next: 7, hasMore: false });
    const all = await feed(org, 0, 2);
    expect(all.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(all.map((e) => e.id)).size).toBe(7);
    expect(Number.isNaN(Date.parse(all[0]?.occurredAt ?? ''))).toBe(false);
  });

  it('is for managers only: a basic member gets 403', async () => {
    const org = await portal().newOrg();
    const basic = await org.addMember('basic');
    const res = await basic.call('GET', `/orgs/${org.slug}/events`);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBeTypeOf('string');
  });

  it('refuses a bad cursor or limit with a 400 and the portal’s error body', async () => {
    const org = await portal().newOrg();
    for (const query of [
      'after=-1',
      'after=abc',
      'after=1.5',
      'limit=0',
      'limit=1001',
      'after=99999999999999999999',
    ]) {
      const res = await call(org, 'GET', `/events?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code, query).toBeTypeOf('string');
    }
  });

  it('is in the OpenAPI document, for managers', async () => {
    const res = await portal().request('GET', '/openapi.json');
    const operation = res.body.paths['/api/v1/orgs/{org}/events']?.get;
    expect(operation).toMatchObject({ operationId: 'listEvents', 'x-roster-access': 'manager' });
    expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual(['org', 'after', 'limit']);
  });
});
