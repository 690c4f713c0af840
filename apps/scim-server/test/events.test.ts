/**
 * Provisioning events from SCIM writes (docs/events.md): every committed change of a user, a
 * group or a membership has its event, with the credential as actor and the new state (or the id
 * of what was deleted); a PATCH adding many members makes one event per membership, numbered
 * consecutively; a write that changes nothing makes none; and a write refused after its events
 * were appended (the last-manager rule checks after the change) leaves none.
 */
import { readEvents } from '@roster/events';
import { describe, expect, it } from 'vitest';
import type { Org } from './harness.js';
import {
  configure,
  createGroup,
  createUser,
  createUsers,
  DATABASES,
  expectScimError,
  GROUP_SCHEMA,
  patchBody,
  portalGroup,
  portalMember,
  USER_SCHEMA,
  upn,
  useHarness,
} from './helpers.js';

const MANAGER_ROLE = [{ primary: true, type: 'WindowsAzureActiveDirectoryRole', value: 'manager' }];

describe.each(DATABASES)('provisioning events from SCIM (%s)', (kind) => {
  const harness = useHarness(kind);
  const db = () => harness().db;
  const keyId = async (org: Org) =>
    (await db().selectFrom('api_keys').select('id').where('org_id', '=', org.id).executeTakeFirstOrThrow())
      .id;

  /** The organization's events after `after`, as [type, data] pairs; checks they are numbered on from `after`. */
  async function eventsAfter(org: Org, after: number) {
    const events = await readEvents(db(), org.id, after, 1000);
    expect(events.map((e) => e.sequence)).toEqual(events.map((_, i) => after + i + 1));
    return events;
  }

  it('a user’s create, update, deactivation, reactivation, role change and delete each have their event', async () => {
    const org = await harness().newOrg();
    const actor = { type: 'api_key', id: await keyId(org), label: 'test key' };
    // Another manager, so that Ada may be made one and then deleted.
    await createUser(org, { userName: upn('keeper'), roles: MANAGER_ROLE });
    const user = await createUser(org, { userName: upn('ada'), displayName: 'Ada' });
    const [, created] = await eventsAfter(org, 0);
    expect(created).toMatchObject({
      orgId: org.id,
      sequence: 2,
      type: 'member.created',
      actor,
      data: { id: user.id, userName: user.userName, displayName: 'Ada', active: true, managedBy: 'scim' },
    });

    const patch = async (...ops: Record<string, unknown>[]) =>
      (await org.request('PATCH', `/Users/${user.id}`, patchBody(...ops))).status < 300;
    expect(await patch({ op: 'replace', path: 'displayName', value: 'Ada L.' })).toBe(true);
    expect(await patch({ op: 'replace', path: 'active', value: false })).toBe(true);
    expect(await patch({ op: 'replace', path: 'active', value: true })).toBe(true);
    expect(await patch({ op: 'add', path: 'roles', value: MANAGER_ROLE })).toBe(true);
    // Nothing changes: no event.
    expect(await patch({ op: 'replace', path: 'displayName', value: 'Ada L.' })).toBe(true);
    expect((await org.request('DELETE', `/Users/${user.id}`)).status).toBe(204);

    const events = await eventsAfter(org, 2);
    expect(events.map((e) => e.type)).toEqual([
      'member.updated',
      'member.deactivated',
      'member.reactivated',
      // Its `roles` attribute changed too.
      'member.updated',
      'member.role_changed',
      'member.deleted',
    ]);
    expect(events[0]?.data).toMatchObject({ id: user.id, displayName: 'Ada L.', active: true });
    expect(events[1]?.data).toMatchObject({ id: user.id, active: false });
    expect(events[4]?.data).toMatchObject({ id: user.id, role: 'manager' });
    expect(events[5]?.data).toEqual({ id: user.id });
    for (const event of events) expect(event.actor).toEqual(actor);
  });

  it('a PUT that deactivates makes member.deactivated; an identical PUT makes nothing', async () => {
    const org = await harness().newOrg();
    const userName = upn('put');
    const user = await createUser(org, { userName, active: true });
    const body = { schemas: [USER_SCHEMA], userName, active: false };
    expect((await org.request('PUT', `/Users/${user.id}`, body)).status).toBe(200);
    expect((await org.request('PUT', `/Users/${user.id}`, body)).status).toBe(200);
    expect((await eventsAfter(org, 1)).map((e) => e.type)).toEqual(['member.deactivated']);
  });

  it('a group’s create, update, membership changes and delete each have their events, one per membership', async () => {
    const org = await harness().newOrg();
    const users = await createUsers(org, 60);
    const start = users.length;
    const group = await createGroup(org, 'Engineering', users.slice(0, 2));
    const created = await eventsAfter(org, start);
    expect(created.map((e) => e.type)).toEqual(['group.created', 'group.member_added', 'group.member_added']);
    expect(created[0]?.data).toMatchObject({ id: group.id, displayName: 'Engineering', managedBy: 'scim' });
    const memberOf = (data: Record<string, unknown>) => (data.member as { id: string }).id;
    expect(
      created
        .slice(1)
        .map((e) => memberOf(e.data))
        .sort(),
    ).toEqual(users.slice(0, 2).sort());
    expect(created[1]?.data).toEqual({
      group: { id: group.id, displayName: 'Engineering' },
      member: { id: memberOf(created[1]?.data ?? {}) },
    });

    // Entra's bulk-ish PATCH: 50 members in one request, one event each, numbered consecutively
    // (one transaction, one statement). A member already in the group and an unknown id make none.
    const add = users.slice(1, 52).map((value) => ({ value }));
    add.push({ value: '00000000-0000-4000-8000-000000000000' });
    const res = await org.request(
      'PATCH',
      `/Groups/${group.id}`,
      patchBody({ op: 'add', path: 'members', value: add }),
    );
    expect(res.status, res.text).toBeLessThan(300);
    const added = await eventsAfter(org, start + 3);
    expect(added).toHaveLength(50);
    expect(added.every((e) => e.type === 'group.member_added')).toBe(true);
    expect(added.map((e) => (e.data.member as { id: string }).id).sort()).toEqual(users.slice(2, 52).sort());
    expect(new Set(added.map((e) => e.occurredAt.getTime())).size).toBe(1);

    const removed = await org.request(
      'PATCH',
      `/Groups/${group.id}`,
      patchBody({ op: 'remove', path: `members[value eq "${users[0]}"]` }),
    );
    expect(removed.status, removed.text).toBeLessThan(300);
    // A PUT renaming the group with the same members: group.updated, no membership churn.
    const sameMembers = users.slice(1, 52).map((value) => ({ value }));
    const put = await org.request('PUT', `/Groups/${group.id}`, {
      schemas: [GROUP_SCHEMA],
      displayName: 'R&D',
      members: sameMembers,
    });
    expect(put.status, put.text).toBe(200);
    expect((await org.request('DELETE', `/Groups/${group.id}`)).status).toBe(204);
    const rest = await eventsAfter(org, start + 53);
    expect(rest.map((e) => e.type)).toEqual(['group.member_removed', 'group.updated', 'group.deleted']);
    expect(rest[0]?.data).toEqual({
      group: { id: group.id, displayName: 'Engineering' },
      member: { id: users[0] },
    });
    expect(rest[1]?.data).toMatchObject({ id: group.id, displayName: 'R&D' });
    expect(rest[2]?.data).toEqual({ id: group.id });
  });

  it('adoption of a portal member and a portal group by the identity provider is member.updated and group.updated', async () => {
    const org = await harness().newOrg();
    await configure(db(), org, { provisionExistingUsers: true, syncGroups: true });
    const userName = upn('portal');
    const memberId = await portalMember(db(), org, userName);
    const groupId = await portalGroup(db(), org, 'Sales', []);
    const adopted = await org.request('POST', '/Users', {
      schemas: [USER_SCHEMA],
      userName,
      displayName: 'P',
    });
    expect(adopted.status, adopted.text).toBe(201);
    const group = await org.request('POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: 'Sales',
      members: [{ value: memberId }],
    });
    expect(group.status, group.text).toBe(201);
    const events = await eventsAfter(org, 0);
    expect(events.map((e) => [e.type, e.data.id ?? (e.data.member as { id: string }).id])).toEqual([
      ['member.updated', memberId],
      ['group.updated', groupId],
      ['group.member_added', memberId],
    ]);
    expect(events[0]?.data).toMatchObject({ managedBy: 'scim', displayName: 'P' });
    expect(events[1]?.data).toMatchObject({ managedBy: 'scim' });
  });

  it('a write refused after its events were appended (the last manager’s deactivation) leaves no event', async () => {
    const org = await harness().newOrg();
    const boss = await createUser(org, { userName: upn('boss'), roles: MANAGER_ROLE });
    const before = await eventsAfter(org, 0);
    const res = await org.request(
      'PATCH',
      `/Users/${boss.id}`,
      patchBody({ op: 'replace', path: 'active', value: false }),
    );
    expectScimError(res, 403);
    expect(await eventsAfter(org, 0)).toEqual(before);
    // The numbering goes on without a gap.
    await createUser(org, { userName: upn('next') });
    expect((await eventsAfter(org, 0)).map((e) => e.sequence)).toEqual([1, 2]);
  });

  it('shows each organization its own events only', async () => {
    const [a, b] = [await harness().newOrg(), await harness().newOrg()];
    await createUser(a, { userName: upn('a') });
    await createUser(b, { userName: upn('b') });
    const [ea, eb] = [await eventsAfter(a, 0), await eventsAfter(b, 0)];
    expect(ea.map((e) => [e.sequence, e.orgId])).toEqual([[1, a.id]]);
    expect(eb.map((e) => [e.sequence, e.orgId])).toEqual([[1, b.id]]);
  });
});
