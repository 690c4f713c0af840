/** Authentication, access, the organization, API keys and the audit trail, over HTTP on real PostgreSQL. */
import { describe, expect, it } from 'vitest';
import { usePortal } from './harness.js';

const portal = usePortal();

describe('authentication and access', () => {
  it('refuses a missing, malformed or unknown key with 401 and a challenge', async () => {
    const org = await portal().newOrg();
    for (const token of [
      undefined,
      'nonsense',
      'rsk_0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    ]) {
      const res = await portal().request('GET', `/orgs/${org.slug}`, token);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it("never lets one organization's key into another organization", async () => {
    const a = await portal().newOrg();
    const b = await portal().newOrg();
    for (const path of [
      `/orgs/${b.slug}`,
      `/orgs/${b.slug}/api-keys`,
      `/orgs/${b.slug}/audit-events`,
      `/orgs/${b.slug}/members/me`,
    ]) {
      expect((await a.manager.call('GET', path)).status, path).toBe(401);
    }
    expect((await a.manager.call('PATCH', `/orgs/${b.slug}`, { name: 'taken over' })).status).toBe(401);
    expect((await b.manager.call('GET', `/orgs/${b.slug}`)).body.name).not.toBe('taken over');
  });

  it('lets basic members read only their own profile', async () => {
    const org = await portal().newOrg();
    const basic = await org.addMember('basic');
    const me = await basic.call('GET', `/orgs/${org.slug}/members/me`);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: basic.id, role: 'basic', status: 'active', managedBy: 'portal' });
    for (const [method, path] of [
      ['GET', `/orgs/${org.slug}`],
      ['PATCH', `/orgs/${org.slug}`],
      ['GET', `/orgs/${org.slug}/api-keys`],
      ['POST', `/orgs/${org.slug}/api-keys`],
      ['GET', `/orgs/${org.slug}/audit-events`],
    ] as const) {
      const res = await basic.call(
        method,
        path,
        method === 'GET' ? undefined : { name: 'x', kind: 'system' },
      );
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
  });

  it("refuses a deactivated member's key at once", async () => {
    const org = await portal().newOrg();
    const member = await org.addMember('manager', { active: false });
    expect((await member.call('GET', `/orgs/${org.slug}/members/me`)).status).toBe(401);
  });

  it('refuses system keys: the portal API acts for a member', async () => {
    const org = await portal().newOrg();
    const created = await org.manager.call('POST', `/orgs/${org.slug}/api-keys`, {
      kind: 'system',
      name: 'Entra',
    });
    const res = await portal().request('GET', `/orgs/${org.slug}`, created.body.token);
    expect(res.status).toBe(403);
  });
});

describe('organization', () => {
  it('reads the plan and updates the name and RBAC, recording what changed', async () => {
    const org = await portal().newOrg({ plan: 'team' });
    expect((await org.manager.call('GET', `/orgs/${org.slug}`)).body).toMatchObject({
      slug: org.slug,
      plan: 'team',
      rbacEnabled: false,
    });
    const updated = await org.manager.call('PATCH', `/orgs/${org.slug}`, {
      name: 'Acme',
      rbacEnabled: true,
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Acme', plan: 'team', rbacEnabled: true });
    const audit = await org.manager.call('GET', `/orgs/${org.slug}/audit-events?action=organization.updated`);
    expect(audit.body.events).toHaveLength(1);
    expect(audit.body.events[0]).toMatchObject({
      actor: { type: 'member', id: org.manager.id },
      target: { type: 'organization', id: org.id },
      changes: { name: { from: org.slug, to: 'Acme' }, rbacEnabled: { from: false, to: true } },
    });
  });

  it('refuses a manager changing the plan with 403 plan_set_by_operator, changing nothing', async () => {
    const org = await portal().newOrg({ plan: 'team' });
    for (const body of [
      { plan: 'enterprise' },
      { plan: 'enterprise', rbacEnabled: true },
      { plan: 'team' },
    ]) {
      const res = await org.manager.call('PATCH', `/orgs/${org.slug}`, body);
      expect(res.status, JSON.stringify(body)).toBe(403);
      expect(res.body.error.code).toBe('plan_set_by_operator');
      expect(res.body.error.message).toMatch(/operator/);
    }
    expect((await org.manager.call('GET', `/orgs/${org.slug}`)).body).toMatchObject({
      plan: 'team',
      rbacEnabled: false,
    });
    const audit = await org.manager.call('GET', `/orgs/${org.slug}/audit-events?action=organization.updated`);
    expect(audit.body.events).toHaveLength(0);
  });

  it('rejects unknown fields and bad values with 400 details, changing nothing', async () => {
    const org = await portal().newOrg({ plan: 'team' });
    for (const body of [{ name: '' }, { rbacEnabled: 'yes' }, { owner: 'me' }, '{"plan":']) {
      const res = await org.manager.call('PATCH', `/orgs/${org.slug}`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    expect((await org.manager.call('GET', `/orgs/${org.slug}`)).body.plan).toBe('team');
  });
});

describe('API keys', () => {
  it('shows a new key once, lists it masked with times, and revokes it at once', async () => {
    const org = await portal().newOrg();
    const created = await org.manager.call('POST', `/orgs/${org.slug}/api-keys`, {
      kind: 'personal',
      name: 'laptop',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'personal', scopes: ['portal'], memberId: org.manager.id });
    expect(created.body.token).toMatch(/^rsk_[0-9a-f]{16}\./);
    expect((await portal().request('GET', `/orgs/${org.slug}/members/me`, created.body.token)).status).toBe(
      200,
    );

    // Recording use is not awaited by the request (bookkeeping never slows it), so poll briefly.
    let listed: { lastUsedAt: string | null } | undefined;
    let list = await org.manager.call('GET', `/orgs/${org.slug}/api-keys`);
    for (let i = 0; i < 20 && !listed?.lastUsedAt; i += 1) {
      list = await org.manager.call('GET', `/orgs/${org.slug}/api-keys`);
      listed = list.body.apiKeys.find((k: { id: string }) => k.id === created.body.id);
      if (!listed?.lastUsedAt) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(listed).toMatchObject({ name: 'laptop', maskedKey: `rsk_${created.body.id}.…`, revokedAt: null });
    expect(Date.parse(listed?.lastUsedAt ?? '')).toBeGreaterThan(Date.parse(created.body.createdAt) - 1000);
    expect(JSON.stringify(list.body)).not.toContain(created.body.token.split('.')[1]);

    expect((await org.manager.call('DELETE', `/orgs/${org.slug}/api-keys/${created.body.id}`)).status).toBe(
      204,
    );
    expect((await portal().request('GET', `/orgs/${org.slug}/members/me`, created.body.token)).status).toBe(
      401,
    );
    const after = await org.manager.call('GET', `/orgs/${org.slug}/api-keys`);
    expect(after.body.apiKeys.find((k: { id: string }) => k.id === created.body.id).revokedAt).not.toBeNull();
  });

  it('makes system keys with the scim scope by default and refuses mismatched scopes', async () => {
    const org = await portal().newOrg();
    const system = await org.manager.call('POST', `/orgs/${org.slug}/api-keys`, {
      kind: 'system',
      name: 'Entra ID',
    });
    expect(system.body).toMatchObject({ kind: 'system', scopes: ['scim'], memberId: null });
    for (const body of [
      { kind: 'system', name: 'x', scopes: ['portal'] },
      { kind: 'personal', name: 'x', scopes: ['scim'] },
      { kind: 'robot', name: 'x' },
      { kind: 'system', name: '' },
    ]) {
      const res = await org.manager.call('POST', `/orgs/${org.slug}/api-keys`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.details.length).toBeGreaterThan(0);
    }
  });

  it("answers 404 for another organization's key or an unknown one, 400 for a malformed id", async () => {
    const a = await portal().newOrg();
    const b = await portal().newOrg();
    const key = await a.manager.call('POST', `/orgs/${a.slug}/api-keys`, { kind: 'system', name: 'k' });
    expect((await b.manager.call('DELETE', `/orgs/${b.slug}/api-keys/${key.body.id}`)).status).toBe(404);
    expect((await a.manager.call('DELETE', `/orgs/${a.slug}/api-keys/0000000000000000`)).status).toBe(404);
    expect((await a.manager.call('DELETE', `/orgs/${a.slug}/api-keys/not-a-key`)).status).toBe(400);
    const list = await a.manager.call('GET', `/orgs/${a.slug}/api-keys`);
    expect(list.body.apiKeys.find((k: { id: string }) => k.id === key.body.id).revokedAt).toBeNull();
  });
});

describe('audit trail', () => {
  it('filters by action, actor and target, and pages with a cursor', async () => {
    const org = await portal().newOrg();
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      ids.push(
        (await org.manager.call('POST', `/orgs/${org.slug}/api-keys`, { kind: 'system', name: `k${i}` })).body
          .id,
      );
    }
    await org.manager.call('DELETE', `/orgs/${org.slug}/api-keys/${ids[0]}`);
    const created = await org.manager.call(
      'GET',
      `/orgs/${org.slug}/audit-events?action=api_key.created&limit=3`,
    );
    expect(created.body.events.map((e: { target: { id: string } }) => e.target.id)).toEqual([
      ids[4],
      ids[3],
      ids[2],
    ]);
    const next = await org.manager.call(
      'GET',
      `/orgs/${org.slug}/audit-events?action=api_key.created&limit=3&cursor=${created.body.nextCursor}`,
    );
    expect(next.body.events.map((e: { target: { id: string } }) => e.target.id)).toEqual([ids[1], ids[0]]);
    expect(next.body.nextCursor).toBeNull();
    // A page that ends at the last event says so: no empty page after it.
    const whole = await org.manager.call(
      'GET',
      `/orgs/${org.slug}/audit-events?action=api_key.created&limit=5`,
    );
    expect(whole.body.events).toHaveLength(5);
    expect(whole.body.nextCursor).toBeNull();
    const byTarget = await org.manager.call(
      'GET',
      `/orgs/${org.slug}/audit-events?targetType=api_key&targetId=${ids[0]}`,
    );
    expect(byTarget.body.events.map((e: { action: string }) => e.action)).toEqual([
      'api_key.revoked',
      'api_key.created',
    ]);
    const byActor = await org.manager.call('GET', `/orgs/${org.slug}/audit-events?actor=${org.manager.id}`);
    expect(byActor.body.events).toHaveLength(6);
    const future = await org.manager.call('GET', `/orgs/${org.slug}/audit-events?from=2999-01-01T00:00:00Z`);
    expect(future.body.events).toEqual([]);
    expect((await org.manager.call('GET', `/orgs/${org.slug}/audit-events?limit=0`)).status).toBe(400);
  });
});

describe('errors', () => {
  it('answers unknown endpoints and wrong methods with the portal error body', async () => {
    const org = await portal().newOrg();
    const unknown = await org.manager.call('GET', `/orgs/${org.slug}/nothing-here`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    const wrong = await org.manager.call('PUT', `/orgs/${org.slug}/api-keys`, {});
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, POST');
  });
});
