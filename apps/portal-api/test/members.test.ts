/** Members management over HTTP on real PostgreSQL: list, invite, role, status, removal, ownership, tenancy. */
import { randomUUID } from 'node:crypto';
import { createApiKey } from '@roster/directory/api-keys';
import { recordAuditEvent } from '@roster/directory/audit';
import { updateOrganization } from '@roster/directory/organizations';
import { describe, expect, it } from 'vitest';
import {
  insertScimGroup,
  insertScimMember,
  type Member,
  setProvisioning,
  type TestOrg,
  usePortal,
} from './harness.js';

const portal = usePortal();

const invite = (org: TestOrg, body: Record<string, unknown>) =>
  org.manager.call('POST', `/orgs/${org.slug}/members`, body);

async function events(org: TestOrg, action: string) {
  const res = await org.manager.call('GET', `/orgs/${org.slug}/audit-events?action=${action}`);
  return res.body.events as { actor: { id: string }; target: { id: string }; changes: unknown }[];
}

async function memberData(orgId: string, memberId: string) {
  const row = await portal()
    .handle.db.selectFrom('members')
    .select(['data', 'active', 'role'])
    .where('org_id', '=', orgId)
    .where('id', '=', memberId)
    .executeTakeFirst();
  return row;
}

describe('listing members', () => {
  it('pages through every member by userName with an opaque cursor', async () => {
    const org = await portal().newOrg();
    for (const email of ['dora@example.com', 'Bob@example.com', 'alice@example.com', 'carol@example.com']) {
      expect((await invite(org, { email })).status).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `limit=2&cursor=${cursor}` : 'limit=2';
      const res = await org.manager.call('GET', `/orgs/${org.slug}/members?${query}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((m: { userName: string }) => m.userName));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor);
    // Five members (the manager's userName starts with "manager.") in case-insensitive order.
    expect(pages).toBe(3);
    expect(seen).toHaveLength(5);
    expect(seen.slice(0, 4)).toEqual([
      'alice@example.com',
      'Bob@example.com',
      'carol@example.com',
      'dora@example.com',
    ]);
    expect(seen[4]).toMatch(/^manager\./);
  });

  it('filters by status, role, managedBy and q (userName, displayName or email, any case)', async () => {
    const org = await portal().newOrg();
    const ann = (await invite(org, { email: 'ann@corp.example', displayName: 'Ann Lee', role: 'manager' }))
      .body;
    const ben = (await invite(org, { email: 'ben@corp.example', displayName: 'Ben 100%' })).body;
    await org.manager.call('PATCH', `/orgs/${org.slug}/members/${ben.id}`, { status: 'deactivated' });
    const scimId = await insertScimMember(portal().handle, org.id, 'zed@idp.example');

    const ids = async (query: string) => {
      const res = await org.manager.call('GET', `/orgs/${org.slug}/members?${query}`);
      expect(res.status, query).toBe(200);
      return res.body.items.map((m: { id: string }) => m.id);
    };
    expect(await ids('status=deactivated')).toEqual([ben.id]);
    expect(await ids('role=manager')).toEqual([ann.id, org.manager.id]);
    expect(await ids('managedBy=scim')).toEqual([scimId]);
    expect(await ids('q=LEE')).toEqual([ann.id]);
    expect(await ids('q=corp.EX')).toEqual([ann.id, ben.id]);
    expect(await ids('q=idp')).toEqual([scimId]);
    // LIKE wildcards are matched literally.
    expect(await ids(`q=${encodeURIComponent('100%')}`)).toEqual([ben.id]);
    expect(await ids(`q=${encodeURIComponent('_')}`)).toEqual([]);
    expect(await ids('status=active&role=basic&managedBy=portal')).toEqual([]);
  });

  it('answers bad list parameters with 400', async () => {
    const org = await portal().newOrg();
    for (const query of [
      'limit=0',
      'limit=201',
      'limit=ten',
      'cursor=not-a-cursor',
      `cursor=${Buffer.from('["a","not-a-uuid"]').toString('base64url')}`,
      'status=gone',
      'role=owner',
      'managedBy=ldap',
      'q=',
      `q=${encodeURIComponent('a\u0000b')}`,
    ]) {
      const res = await org.manager.call('GET', `/orgs/${org.slug}/members?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
  });
});

describe('inviting', () => {
  it('creates a portal-managed basic member from an email, with a SCIM document, and records it', async () => {
    const org = await portal().newOrg();
    const res = await invite(org, { email: 'Nina@Example.com', givenName: 'Nina', familyName: 'Park' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      userName: 'Nina@Example.com',
      displayName: null,
      givenName: 'Nina',
      familyName: 'Park',
      emails: ['Nina@Example.com'],
      role: 'basic',
      effectiveRole: 'basic',
      status: 'active',
      managedBy: 'portal',
      readOnly: false,
    });
    expect((await memberData(org.id, res.body.id))?.data).toEqual({
      userName: 'Nina@Example.com',
      name: { givenName: 'Nina', familyName: 'Park' },
      emails: [{ value: 'Nina@Example.com', type: 'work', primary: true }],
      active: true,
    });
    expect((await org.manager.call('GET', `/orgs/${org.slug}/members/${res.body.id}`)).body).toEqual(
      res.body,
    );
    expect(await events(org, 'member.created')).toMatchObject([
      {
        actor: { id: org.manager.id },
        target: { id: res.body.id },
        changes: { userName: 'Nina@Example.com', role: 'basic' },
      },
    ]);
  });

  it('refuses a userName already taken, in any case, with 409 member_already_exists', async () => {
    const org = await portal().newOrg();
    expect((await invite(org, { email: 'sam@example.com', role: 'manager' })).status).toBe(201);
    const again = await invite(org, { email: 'SAM@example.com' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('member_already_exists');
    expect(await events(org, 'member.created')).toHaveLength(1);
  });

  it('refuses bad invitations with 400', async () => {
    const org = await portal().newOrg();
    for (const body of [
      {},
      { email: 'not-an-email' },
      { email: 'a@example.com', role: 'owner' },
      { email: 'a@example.com', displayName: '' },
      { email: 'a@example.com', displayName: 'a\u0000b' },
      { email: 'a@example.com', userName: 'x' },
    ]) {
      const res = await invite(org, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    // Nested deeper than any portal request: refused for its depth, before anything walks it.
    for (const depth of [40, 1000]) {
      const res = await invite(org, {
        email: 'a@example.com',
        note: JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`),
      });
      expect(res.status, `depth ${depth}`).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.message).toMatch(/nests deeper than 32 levels/);
    }
  });
});

describe('changing a member', () => {
  it('changes the role, and records from/to', async () => {
    const org = await portal().newOrg();
    const member = await org.addMember('basic');
    const res = await org.manager.call('PATCH', `/orgs/${org.slug}/members/${member.id}`, {
      role: 'manager',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ role: 'manager', effectiveRole: 'manager' });
    expect((await member.call('GET', `/orgs/${org.slug}`)).status).toBe(200);
    expect(await events(org, 'member.updated')).toMatchObject([
      { target: { id: member.id }, changes: { role: { from: 'basic', to: 'manager' } } },
    ]);
    // A save that changes nothing records nothing.
    await org.manager.call('PATCH', `/orgs/${org.slug}/members/${member.id}`, { role: 'manager' });
    expect(await events(org, 'member.updated')).toHaveLength(1);
  });

  it("deactivates through the SCIM document, stopping the member's keys at once; reactivation restores them", async () => {
    const org = await portal().newOrg();
    const member = await org.addMember('basic');
    const me = `/orgs/${org.slug}/members/me`;
    expect((await member.call('GET', me)).status).toBe(200);

    const off = await org.manager.call('PATCH', `/orgs/${org.slug}/members/${member.id}`, {
      status: 'deactivated',
    });
    expect(off.body.status).toBe('deactivated');
    expect((await memberData(org.id, member.id))?.data.active).toBe(false);
    expect((await member.call('GET', me)).status).toBe(401);

    const on = await org.manager.call('PATCH', `/orgs/${org.slug}/members/${member.id}`, {
      status: 'active',
    });
    expect(on.body.status).toBe('active');
    expect((await member.call('GET', me)).status).toBe(200);
    expect((await events(org, 'member.updated')).map((e) => e.changes)).toEqual([
      { status: { from: 'deactivated', to: 'active' } },
      { status: { from: 'active', to: 'deactivated' } },
    ]);
  });

  it('refuses bad changes with 400', async () => {
    const org = await portal().newOrg();
    const member = await org.addMember('basic');
    for (const [id, body] of [
      [member.id, { role: 'owner' }],
      [member.id, { status: 'suspended' }],
      [member.id, { userName: 'x@example.com' }],
      ['not-a-uuid', { role: 'basic' }],
    ] as const) {
      const res = await org.manager.call('PATCH', `/orgs/${org.slug}/members/${id}`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });
});

describe('removing a member', () => {
  it('deletes the member with their keys, keeps the event, and answers 404 afterwards', async () => {
    const org = await portal().newOrg();
    const member = await org.addMember('manager');
    const res = await org.manager.call('DELETE', `/orgs/${org.slug}/members/${member.id}`);
    expect(res.status).toBe(204);
    expect((await org.manager.call('GET', `/orgs/${org.slug}/members/${member.id}`)).status).toBe(404);
    expect((await org.manager.call('DELETE', `/orgs/${org.slug}/members/${member.id}`)).status).toBe(404);
    expect((await member.call('GET', `/orgs/${org.slug}/members/me`)).status).toBe(401);
    const keys = await portal()
      .handle.db.selectFrom('api_keys')
      .select('id')
      .where('org_id', '=', org.id)
      .where('member_id', '=', member.id)
      .execute();
    expect(keys).toEqual([]);
    expect(await events(org, 'member.deleted')).toMatchObject([
      { target: { id: member.id }, changes: { userName: expect.stringMatching(/^manager\./) } },
    ]);
  });
});

describe('the last active manager', () => {
  it('cannot be demoted, deactivated or removed; with another manager they can', async () => {
    const org = await portal().newOrg();
    const self = `/orgs/${org.slug}/members/${org.manager.id}`;
    for (const [method, body] of [
      ['PATCH', { role: 'basic' }],
      ['PATCH', { status: 'deactivated' }],
      ['DELETE', undefined],
    ] as const) {
      const res = await org.manager.call(method, self, body);
      expect(res.status, `${method} ${JSON.stringify(body)}`).toBe(409);
      expect(res.body.error.code).toBe('last_manager');
    }
    // A deactivated manager does not count.
    await org.addMember('manager', { active: false });
    expect((await org.manager.call('PATCH', self, { role: 'basic' })).body.error.code).toBe('last_manager');
    expect((await org.manager.call('GET', self)).body).toMatchObject({ role: 'manager', status: 'active' });
    expect(await events(org, 'member.updated')).toEqual([]);

    await org.addMember('manager');
    expect((await org.manager.call('PATCH', self, { role: 'basic' })).status).toBe(200);
  });
});

describe('members owned by the identity provider', () => {
  it('are read-only while SCIM is on, and handed back when it is switched off', async () => {
    const org = await portal().newOrg();
    const scimId = await insertScimMember(portal().handle, org.id);
    const portalMember = await org.addMember('basic');
    const url = `/orgs/${org.slug}/members/${scimId}`;
    expect((await org.manager.call('GET', url)).body).toMatchObject({ managedBy: 'scim', readOnly: false });

    await setProvisioning(portal().handle, org.id, { scimEnabled: true });
    expect((await org.manager.call('GET', url)).body).toMatchObject({ managedBy: 'scim', readOnly: true });
    for (const [method, body] of [
      ['PATCH', { role: 'manager' }],
      ['PATCH', { status: 'deactivated' }],
      ['DELETE', undefined],
    ] as const) {
      const res = await org.manager.call(method, url, body);
      expect(res.status, `${method} ${JSON.stringify(body)}`).toBe(409);
      expect(res.body.error.code).toBe('managed_by_identity_provider');
      expect(res.body.error.message).toMatch(/identity provider/);
    }
    // Portal-managed members stay the portal's.
    const other = await org.manager.call('PATCH', `/orgs/${org.slug}/members/${portalMember.id}`, {
      role: 'manager',
    });
    expect(other.body).toMatchObject({ readOnly: false, role: 'manager' });

    await setProvisioning(portal().handle, org.id, { scimEnabled: false });
    expect((await org.manager.call('GET', url)).body).toMatchObject({ managedBy: 'scim', readOnly: false });
    const changed = await org.manager.call('PATCH', url, { status: 'deactivated' });
    expect(changed.body).toMatchObject({ managedBy: 'scim', status: 'deactivated' });
  });
});

describe('tenancy', () => {
  it("never shows or changes another organization's members", async () => {
    const a = await portal().newOrg();
    const b = await portal().newOrg();
    const theirs: Member = await b.addMember('basic');
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { role: 'manager' }],
      ['DELETE', undefined],
    ] as const) {
      const res = await a.manager.call(method, `/orgs/${a.slug}/members/${theirs.id}`, body);
      expect(res.status, method).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await a.manager.call('GET', `/orgs/${a.slug}/members/${randomUUID()}`)).status).toBe(404);
    const list = await a.manager.call('GET', `/orgs/${a.slug}/members`);
    expect(list.body.items.map((m: { id: string }) => m.id)).toEqual([a.manager.id]);
    expect((await b.manager.call('GET', `/orgs/${b.slug}/members/${theirs.id}`)).body.role).toBe('basic');
  });
});

describe('who provisioned a member or group', () => {
  it('names the identity provider and the credential of its latest SCIM change; none for portal rows', async () => {
    const org = await portal().newOrg();
    const { db } = portal().handle;
    const { row: key } = await createApiKey(db, {
      orgId: org.id,
      kind: 'system',
      name: 'Entra ID provisioning',
      scopes: ['scim'],
    });
    const scimId = await insertScimMember(portal().handle, org.id, 'alice@example.com');
    const scimEvent = (
      action: string,
      actor: { type: 'api_key' | 'oauth_client'; id: string },
      idp: string,
    ) => recordAuditEvent(db, { orgId: org.id, actor, idp, action, target: { type: 'member', id: scimId } });
    await scimEvent('scim.member.created', { type: 'oauth_client', id: 'old-client' }, 'ping');
    await scimEvent('scim.member.updated', { type: 'api_key', id: key.id }, 'entra');
    // A portal change after them is no provisioning change.
    await recordAuditEvent(db, {
      orgId: org.id,
      actor: { type: 'member', id: org.manager.id },
      action: 'member.updated',
      target: { type: 'member', id: scimId },
    });

    const member = await org.manager.call('GET', `/orgs/${org.slug}/members/${scimId}`);
    expect(member.body.provisionedBy).toEqual({
      idp: 'entra',
      credential: { type: 'api_key', id: key.id, name: 'Entra ID provisioning' },
      at: expect.any(String),
    });
    const list = await org.manager.call('GET', `/orgs/${org.slug}/members`);
    const byName = Object.fromEntries(
      list.body.items.map((m: { userName: string; provisionedBy: unknown }) => [m.userName, m.provisionedBy]),
    );
    expect(byName['alice@example.com']).toEqual(member.body.provisionedBy);
    expect(Object.values(byName).filter((value) => value === null)).toHaveLength(1);

    // A group, through an OAuth client (no key name).
    await updateOrganization(db, org.id, { rbacEnabled: true });
    const groupId = await insertScimGroup(portal().handle, org.id, 'Engineering');
    await recordAuditEvent(db, {
      orgId: org.id,
      actor: { type: 'oauth_client', id: 'client-1' },
      idp: 'ping',
      action: 'scim.group.created',
      target: { type: 'group', id: groupId },
    });
    const group = await org.manager.call('GET', `/orgs/${org.slug}/groups/${groupId}`);
    expect(group.body.provisionedBy).toMatchObject({
      idp: 'ping',
      credential: { type: 'oauth_client', id: 'client-1', name: null },
    });
    const created = await org.manager.call('POST', `/orgs/${org.slug}/groups`, { displayName: 'Portal' });
    expect(created.body.provisionedBy).toBeNull();
  });
});
