/** Groups management over HTTP on real PostgreSQL: RBAC, CRUD, membership, roles through groups, ownership, tenancy. */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { insertScimGroup, setProvisioning, type TestOrg, usePortal } from './harness.js';

const portal = usePortal();

async function rbacOrg(): Promise<TestOrg> {
  const org = await portal().newOrg();
  expect((await org.manager.call('PATCH', `/orgs/${org.slug}`, { rbacEnabled: true })).status).toBe(200);
  return org;
}

async function createGroup(
  org: TestOrg,
  displayName: string,
  role: 'manager' | null = null,
): Promise<string> {
  const res = await org.manager.call('POST', `/orgs/${org.slug}/groups`, { displayName, role });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function events(org: TestOrg, action: string) {
  const res = await org.manager.call('GET', `/orgs/${org.slug}/audit-events?action=${action}`);
  return res.body.events as { target: { id: string }; changes: unknown }[];
}

describe('groups need RBAC', () => {
  it('answers every group operation with 409 rbac_disabled while RBAC is off', async () => {
    const org = await portal().newOrg();
    const id = randomUUID();
    for (const [method, path, body] of [
      ['GET', '/groups', undefined],
      ['POST', '/groups', { displayName: 'Admins' }],
      ['GET', `/groups/${id}`, undefined],
      ['PATCH', `/groups/${id}`, { role: 'manager' }],
      ['DELETE', `/groups/${id}`, undefined],
      ['GET', `/groups/${id}/members`, undefined],
      ['POST', `/groups/${id}/members`, { memberIds: [org.manager.id] }],
      ['DELETE', `/groups/${id}/members/${org.manager.id}`, undefined],
    ] as const) {
      const res = await org.manager.call(method, `/orgs/${org.slug}${path}`, body);
      expect(res.status, `${method} ${path}`).toBe(409);
      expect(res.body.error.code).toBe('rbac_disabled');
      expect(res.body.error.message).toMatch(/enable RBAC on the organization/);
    }
  });

  it('refuses to disable RBAC while groups sync is on', async () => {
    const org = await rbacOrg();
    await setProvisioning(portal().handle, org.id, { scimEnabled: true, syncGroups: true });
    const res = await org.manager.call('PATCH', `/orgs/${org.slug}`, { rbacEnabled: false });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('rbac_required_by_group_sync');
    expect(res.body.error.message).toMatch(/groups sync off first/);
    expect((await org.manager.call('GET', `/orgs/${org.slug}`)).body.rbacEnabled).toBe(true);

    await setProvisioning(portal().handle, org.id, { scimEnabled: true, syncGroups: false });
    expect((await org.manager.call('PATCH', `/orgs/${org.slug}`, { rbacEnabled: false })).status).toBe(200);
  });
});

describe('groups', () => {
  it('are created, read, listed by name, renamed, given a role and deleted, each change recorded', async () => {
    const org = await rbacOrg();
    const base = `/orgs/${org.slug}/groups`;
    const created = await org.manager.call('POST', base, { displayName: 'Support' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      displayName: 'Support',
      role: null,
      managedBy: 'portal',
      readOnly: false,
    });
    const id = created.body.id;
    expect((await org.manager.call('GET', `${base}/${id}`)).body).toEqual(created.body);
    await createGroup(org, 'admins', 'manager');
    await createGroup(org, 'Billing');

    const first = await org.manager.call('GET', `${base}?limit=2`);
    expect(first.body.items.map((g: { displayName: string }) => g.displayName)).toEqual([
      'admins',
      'Billing',
    ]);
    const rest = await org.manager.call('GET', `${base}?limit=2&cursor=${first.body.nextCursor}`);
    expect(rest.body).toMatchObject({ items: [{ displayName: 'Support' }], nextCursor: null });

    const renamed = await org.manager.call('PATCH', `${base}/${id}`, {
      displayName: 'Helpdesk',
      role: 'manager',
    });
    expect(renamed.body).toMatchObject({ displayName: 'Helpdesk', role: 'manager' });
    const data = await portal()
      .handle.db.selectFrom('groups')
      .select('data')
      .where('org_id', '=', org.id)
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(data.data).toEqual({ displayName: 'Helpdesk' });
    expect((await org.manager.call('PATCH', `${base}/${id}`, { role: null })).body.role).toBeNull();

    expect((await org.manager.call('DELETE', `${base}/${id}`)).status).toBe(204);
    expect((await org.manager.call('GET', `${base}/${id}`)).status).toBe(404);
    expect((await org.manager.call('DELETE', `${base}/${id}`)).status).toBe(404);

    expect(await events(org, 'group.created')).toHaveLength(3);
    expect((await events(org, 'group.updated')).map((e) => e.changes)).toEqual([
      { role: { from: 'manager', to: null } },
      { displayName: { from: 'Support', to: 'Helpdesk' }, role: { from: null, to: 'manager' } },
    ]);
    expect(await events(org, 'group.deleted')).toMatchObject([
      { target: { id }, changes: { displayName: 'Helpdesk' } },
    ]);
  });

  it('refuses a name already taken, in any case, with 409 group_already_exists', async () => {
    const org = await rbacOrg();
    await createGroup(org, 'Engineering');
    const other = await createGroup(org, 'Sales');
    const taken = await org.manager.call('POST', `/orgs/${org.slug}/groups`, { displayName: 'ENGINEERING' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('group_already_exists');
    const renamed = await org.manager.call('PATCH', `/orgs/${org.slug}/groups/${other}`, {
      displayName: 'engineering',
    });
    expect(renamed.body.error.code).toBe('group_already_exists');
  });

  it('refuses bad input with 400', async () => {
    const org = await rbacOrg();
    const id = await createGroup(org, 'Ops');
    for (const [method, path, body] of [
      ['POST', '/groups', {}],
      ['POST', '/groups', { displayName: 'x', role: 'basic' }],
      ['POST', '/groups', { displayName: ' ' }],
      ['PATCH', `/groups/${id}`, { members: [] }],
      ['GET', '/groups/not-a-uuid', undefined],
      ['GET', '/groups?cursor=zzz', undefined],
      ['POST', `/groups/${id}/members`, { memberIds: [] }],
      ['POST', `/groups/${id}/members`, { memberIds: ['nope'] }],
      ['DELETE', `/groups/${id}/members/nope`, undefined],
    ] as const) {
      const res = await org.manager.call(method, `/orgs/${org.slug}${path}`, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
  });
});

describe('group membership', () => {
  it('adds members idempotently, without touching existing rows, lists and removes them', async () => {
    const org = await rbacOrg();
    const id = await createGroup(org, 'Team');
    const named = await org.manager.call('POST', `/orgs/${org.slug}/members`, {
      email: 'lena@example.com',
      displayName: 'Lena K',
    });
    const plain = await org.addMember('basic');
    const url = `/orgs/${org.slug}/groups/${id}/members`;

    const added = await org.manager.call('POST', url, {
      memberIds: [named.body.id, named.body.id.toUpperCase()],
    });
    expect(added.body).toEqual({ added: [named.body.id] });
    const before = await sql<{ member_id: string; xmin: string; display: string }>`
      select member_id, xmin::text, display from group_members where org_id = ${org.id} and group_id = ${id}`.execute(
      portal().handle.db,
    );
    expect(before.rows.map((r) => r.display)).toEqual(['Lena K']);

    expect((await org.manager.call('POST', url, { memberIds: [named.body.id, plain.id] })).body).toEqual({
      added: [plain.id],
    });
    const after = await sql<{ member_id: string; xmin: string; display: string }>`
      select member_id, xmin::text, display from group_members where org_id = ${org.id} and group_id = ${id}`.execute(
      portal().handle.db,
    );
    // The row already there was neither rewritten nor updated.
    expect(after.rows.find((r) => r.member_id === named.body.id)?.xmin).toBe(before.rows[0]?.xmin);
    expect(after.rows.find((r) => r.member_id === plain.id)?.display).toMatch(/^basic\./);

    const page = await org.manager.call('GET', `${url}?limit=1`);
    expect(page.body.items.map((m: { id: string }) => m.id)).toEqual([plain.id]);
    const next = await org.manager.call('GET', `${url}?limit=1&cursor=${page.body.nextCursor}`);
    expect(next.body).toMatchObject({
      items: [{ id: named.body.id, displayName: 'Lena K' }],
      nextCursor: null,
    });

    expect((await org.manager.call('DELETE', `${url}/${plain.id}`)).status).toBe(204);
    expect((await org.manager.call('DELETE', `${url}/${plain.id}`)).status).toBe(404);
    expect((await org.manager.call('GET', url)).body.items.map((m: { id: string }) => m.id)).toEqual([
      named.body.id,
    ]);
    expect((await events(org, 'group.members_added')).map((e) => e.changes)).toEqual([
      { memberIds: [plain.id] },
      { memberIds: [named.body.id] },
    ]);
    expect(await events(org, 'group.member_removed')).toMatchObject([
      { target: { id }, changes: { memberId: plain.id } },
    ]);
  });

  it('adds nothing when an id is not a member of the organization', async () => {
    const org = await rbacOrg();
    const other = await portal().newOrg();
    const id = await createGroup(org, 'Team');
    const mine = await org.addMember('basic');
    for (const stranger of [other.manager.id, randomUUID()]) {
      const res = await org.manager.call('POST', `/orgs/${org.slug}/groups/${id}/members`, {
        memberIds: [mine.id, stranger],
      });
      expect(res.status).toBe(404);
      expect(res.body.error.message).toContain(stranger);
    }
    expect((await org.manager.call('GET', `/orgs/${org.slug}/groups/${id}/members`)).body.items).toEqual([]);
  });

  it('goes with a removed member', async () => {
    const org = await rbacOrg();
    const id = await createGroup(org, 'Team');
    const member = await org.addMember('basic');
    await org.manager.call('POST', `/orgs/${org.slug}/groups/${id}/members`, { memberIds: [member.id] });
    expect((await org.manager.call('DELETE', `/orgs/${org.slug}/members/${member.id}`)).status).toBe(204);
    expect((await org.manager.call('GET', `/orgs/${org.slug}/groups/${id}/members`)).body.items).toEqual([]);
  });
});

describe('roles through groups', () => {
  it('make a basic member a manager while they are in a manager group and RBAC is on', async () => {
    const org = await rbacOrg();
    const member = await org.addMember('basic');
    const admins = await createGroup(org, 'Admins', 'manager');
    const managerOnly = `/orgs/${org.slug}`;
    const view = () => org.manager.call('GET', `/orgs/${org.slug}/members/${member.id}`);
    expect((await member.call('GET', managerOnly)).status).toBe(403);

    await org.manager.call('POST', `/orgs/${org.slug}/groups/${admins}/members`, { memberIds: [member.id] });
    expect((await member.call('GET', managerOnly)).status).toBe(200);
    expect((await view()).body).toMatchObject({ role: 'basic', effectiveRole: 'manager' });

    expect((await org.manager.call('PATCH', managerOnly, { rbacEnabled: false })).status).toBe(200);
    expect((await member.call('GET', managerOnly)).status).toBe(403);
    expect((await view()).body.effectiveRole).toBe('basic');
    await org.manager.call('PATCH', managerOnly, { rbacEnabled: true });
    expect((await member.call('GET', managerOnly)).status).toBe(200);

    await org.manager.call('PATCH', `/orgs/${org.slug}/groups/${admins}`, { role: null });
    expect((await member.call('GET', managerOnly)).status).toBe(403);
  });

  it('count for the last manager: no change may take the role from the only one left', async () => {
    const org = await rbacOrg();
    const member = await org.addMember('basic');
    const admins = await createGroup(org, 'Admins', 'manager');
    await org.manager.call('POST', `/orgs/${org.slug}/groups/${admins}/members`, { memberIds: [member.id] });
    // The direct manager steps down: the group's member is now the only manager.
    const demoted = await org.manager.call('PATCH', `/orgs/${org.slug}/members/${org.manager.id}`, {
      role: 'basic',
    });
    expect(demoted.status).toBe(200);

    for (const [method, path, body] of [
      ['DELETE', `/groups/${admins}/members/${member.id}`, undefined],
      ['PATCH', `/groups/${admins}`, { role: null }],
      ['DELETE', `/groups/${admins}`, undefined],
      ['PATCH', `/members/${member.id}`, { status: 'deactivated' }],
      ['DELETE', `/members/${member.id}`, undefined],
      ['PATCH', '', { rbacEnabled: false }],
    ] as const) {
      const res = await member.call(method, `/orgs/${org.slug}${path}`, body);
      expect(res.status, `${method} ${path}`).toBe(409);
      expect(res.body.error.code).toBe('last_manager');
    }
    expect((await member.call('GET', `/orgs/${org.slug}/groups/${admins}/members`)).body.items).toHaveLength(
      1,
    );
  });
});

describe('groups owned by the identity provider', () => {
  it('are read-only while SCIM group sync is on, and handed back when it is off', async () => {
    const org = await rbacOrg();
    const id = await insertScimGroup(portal().handle, org.id, 'Synced');
    const member = await org.addMember('basic');
    const url = `/orgs/${org.slug}/groups/${id}`;

    await setProvisioning(portal().handle, org.id, { scimEnabled: true, syncGroups: true });
    expect((await org.manager.call('GET', url)).body).toMatchObject({ managedBy: 'scim', readOnly: true });
    for (const [method, path, body] of [
      ['PATCH', '', { displayName: 'Renamed' }],
      ['DELETE', '', undefined],
      ['POST', '/members', { memberIds: [member.id] }],
      ['DELETE', `/members/${member.id}`, undefined],
    ] as const) {
      const res = await org.manager.call(method, `${url}${path}`, body);
      expect(res.status, `${method} ${path}`).toBe(409);
      expect(res.body.error.code).toBe('managed_by_identity_provider');
      expect(res.body.error.message).toMatch(/identity provider/);
    }

    // SCIM still on, group sync off: groups are the portal's again.
    await setProvisioning(portal().handle, org.id, { scimEnabled: true, syncGroups: false });
    expect((await org.manager.call('GET', url)).body.readOnly).toBe(false);
    expect((await org.manager.call('POST', `${url}/members`, { memberIds: [member.id] })).status).toBe(200);
    expect((await org.manager.call('PATCH', url, { role: 'manager' })).body).toMatchObject({
      managedBy: 'scim',
      role: 'manager',
    });
  });
});

describe('tenancy', () => {
  it("never shows or changes another organization's groups", async () => {
    const a = await rbacOrg();
    const b = await rbacOrg();
    const theirs = await createGroup(b, 'Theirs');
    const mine = await createGroup(a, 'Mine');
    for (const [method, path, body] of [
      ['GET', `/groups/${theirs}`, undefined],
      ['PATCH', `/groups/${theirs}`, { displayName: 'Taken' }],
      ['DELETE', `/groups/${theirs}`, undefined],
      ['GET', `/groups/${theirs}/members`, undefined],
      ['POST', `/groups/${theirs}/members`, { memberIds: [a.manager.id] }],
      ['DELETE', `/groups/${theirs}/members/${b.manager.id}`, undefined],
    ] as const) {
      const res = await a.manager.call(method, `/orgs/${a.slug}${path}`, body);
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect(
      (await a.manager.call('GET', `/orgs/${a.slug}/groups`)).body.items.map((g: { id: string }) => g.id),
    ).toEqual([mine]);
    expect((await b.manager.call('GET', `/orgs/${b.slug}/groups/${theirs}`)).body.displayName).toBe('Theirs');
  });
});

describe('groups list search', () => {
  it('finds groups by part of their name, ignoring case, and by who manages them, paging through the matches', async () => {
    const org = await rbacOrg();
    for (const name of ['Engineering', 'Sales engineers', 'Support', '100%_real'])
      await createGroup(org, name);
    await insertScimGroup(portal().handle, org.id, 'Field Engineering');
    const base = `/orgs/${org.slug}/groups`;
    const names = async (query: string) => {
      const res = await org.manager.call('GET', `${base}?${query}`);
      expect(res.status).toBe(200);
      return res.body.items.map((g: { displayName: string }) => g.displayName);
    };
    expect(await names('q=ENGINEER')).toEqual(['Engineering', 'Field Engineering', 'Sales engineers']);
    expect(await names('q=engineer&managedBy=scim')).toEqual(['Field Engineering']);
    expect(await names('q=engineer&managedBy=portal')).toEqual(['Engineering', 'Sales engineers']);
    // LIKE's wildcards are matched as typed.
    expect(await names(`q=${encodeURIComponent('%_')}`)).toEqual(['100%_real']);
    const first = await org.manager.call('GET', `${base}?q=engineer&limit=2`);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect(await names(`q=engineer&limit=2&cursor=${first.body.nextCursor}`)).toEqual(['Sales engineers']);
    expect((await org.manager.call('GET', `${base}?managedBy=idp`)).status).toBe(400);
  });
});
