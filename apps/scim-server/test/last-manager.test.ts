/**
 * No SCIM write may lock an organization out: every write that would leave the
 * organization without an active manager is a 403 that changes nothing and is audited, whatever
 * its path (a user's deactivation, demotion, replacement or deletion; a group's member
 * replacement, removal or deletion; adoption), and two requests each removing one of two
 * managers do not both pass. Removals and adoption leave memberships the client cannot see.
 */

import { parseApiKey } from '@roster/auth/api-keys';
import { createPortalKey, findKeyCredential } from '@roster/directory/api-keys';
import { describe, expect, it } from 'vitest';
import type { Org, ScimResponse } from './harness.js';
import {
  configure,
  createUser,
  DATABASES,
  expectScimError,
  GROUP_SCHEMA,
  orgState,
  patchBody,
  portalGroup,
  portalMember,
  USER_SCHEMA,
  upn,
  useHarness,
} from './helpers.js';

const MANAGER_ROLE = [{ primary: true, type: 'WindowsAzureActiveDirectoryRole', value: 'manager' }];

describe.each(DATABASES)('no SCIM write leaves the organization without an active manager (%s)', (kind) => {
  const harness = useHarness(kind);
  const db = () => harness().db;

  const audit = (org: Org) =>
    db().selectFrom('audit_events').selectAll().where('org_id', '=', org.id).orderBy('seq').execute();

  /** The organization's state, without the audit count (a refusal adds one event). */
  async function rows(org: Org) {
    const { auditEvents: _count, ...state } = await orgState(db(), org.id);
    return state;
  }

  /**
   * Runs a write that must be refused: 403 with the SCIM error body naming the rule and what to
   * do, nothing changed, and one audit event recording the refusal.
   */
  async function expectRefused(
    org: Org,
    write: () => Promise<ScimResponse>,
    target: { type: 'member' | 'group'; id: string },
    refused: string,
  ) {
    const before = await rows(org);
    const eventsBefore = (await audit(org)).length;
    const res = await write();
    expectScimError(res, 403);
    expect(res.body.scimType).toBeUndefined();
    expect(res.body.detail).toMatch(/would leave the organization without an active manager/);
    expect(res.body.detail).toMatch(/make another member a manager in the portal first/);
    expect(await rows(org)).toEqual(before);
    const events = await audit(org);
    expect(events).toHaveLength(eventsBefore + 1);
    expect(events.at(-1)).toMatchObject({
      action: `scim.${target.type}.refused`,
      target_type: target.type,
      target_id: target.id,
      actor_type: 'api_key',
      changes: { rule: 'keep_an_active_manager', refused },
    });
  }

  /** A member the IdP provisioned as a manager (its own role). */
  const scimManager = (org: Org) => createUser(org, { userName: upn('boss'), roles: MANAGER_ROLE });

  describe('users', () => {
    it('PATCH active "False" (as Entra sends it) of the only manager, an adopted portal member, is refused; their key keeps working', async () => {
      const org = await harness().newOrg();
      await configure(db(), org, { provisionExistingUsers: true });
      const manager = await portalMember(db(), org, upn('admin'), 'manager');
      const key = await createPortalKey(db(), org.id, manager, 'admin key');
      await expectRefused(
        org,
        () =>
          org.request(
            'PATCH',
            `/Users/${manager}`,
            patchBody({ op: 'Replace', path: 'active', value: 'False' }),
          ),
        { type: 'member', id: manager },
        'scim.member.adopted',
      );
      // Still portal-managed (the adoption was rolled back too), and their portal key still resolves to an active manager.
      const parsed = parseApiKey(key);
      if (!parsed) throw new Error('unparsable key');
      const credential = await findKeyCredential(db(), org.slug, parsed.id);
      expect(credential?.member).toMatchObject({ id: manager, active: true, role: 'manager' });
    });

    it('PATCH roles [] and a PUT without the manager role, of the only manager, are refused', async () => {
      const org = await harness().newOrg();
      const manager = await scimManager(org);
      const target = { type: 'member' as const, id: manager.id };
      await expectRefused(
        org,
        () =>
          org.request(
            'PATCH',
            `/Users/${manager.id}`,
            patchBody({ op: 'replace', path: 'roles', value: [] }),
          ),
        target,
        'scim.member.updated',
      );
      await expectRefused(
        org,
        () =>
          org.request('PUT', `/Users/${manager.id}`, {
            schemas: [USER_SCHEMA],
            userName: manager.userName,
            active: true,
            roles: [{ value: 'basic' }],
          }),
        target,
        'scim.member.updated',
      );
      // A PUT that keeps the role, and a change of anything else, pass.
      const put = await org.request('PUT', `/Users/${manager.id}`, {
        schemas: [USER_SCHEMA],
        userName: manager.userName,
        displayName: 'Still the boss',
        roles: MANAGER_ROLE,
      });
      expect(put.status, put.text).toBe(200);
    });

    it('DELETE of the only manager is refused', async () => {
      const org = await harness().newOrg();
      const manager = await scimManager(org);
      await expectRefused(
        org,
        () => org.request('DELETE', `/Users/${manager.id}`),
        { type: 'member', id: manager.id },
        'scim.member.deleted',
      );
    });

    it('a POST that adopts the only manager as inactive or basic is refused', async () => {
      const org = await harness().newOrg();
      await configure(db(), org, { provisionExistingUsers: true });
      const userName = upn('admin');
      const manager = await portalMember(db(), org, userName, 'manager');
      for (const body of [
        { userName, active: false },
        { userName, roles: [{ value: 'basic' }] },
      ]) {
        await expectRefused(
          org,
          () => org.request('POST', '/Users', { schemas: [USER_SCHEMA], ...body }),
          { type: 'member', id: manager },
          'scim.member.adopted',
        );
      }
    });

    it('the only manager through a group cannot be deactivated or deleted either', async () => {
      const org = await harness().newOrg();
      const user = await createUser(org, { userName: upn('lead') });
      await portalGroup(db(), org, 'Admins', [user.id], 'manager');
      const target = { type: 'member' as const, id: user.id };
      await expectRefused(
        org,
        () =>
          org.request(
            'PATCH',
            `/Users/${user.id}`,
            patchBody({ op: 'replace', path: 'active', value: false }),
          ),
        target,
        'scim.member.updated',
      );
      await expectRefused(
        org,
        () => org.request('DELETE', `/Users/${user.id}`),
        target,
        'scim.member.deleted',
      );
    });

    it('passes when another active manager remains, and then refuses the last one', async () => {
      const org = await harness().newOrg();
      const first = await scimManager(org);
      const second = await scimManager(org);
      const off = await org.request(
        'PATCH',
        `/Users/${first.id}`,
        patchBody({ op: 'Replace', path: 'active', value: 'False' }),
      );
      expect(off.status, off.text).toBe(204);
      await expectRefused(
        org,
        () => org.request('DELETE', `/Users/${second.id}`),
        { type: 'member', id: second.id },
        'scim.member.deleted',
      );
      // The deactivated manager no longer counts, and is free to go.
      expect((await org.request('DELETE', `/Users/${first.id}`)).status).toBe(204);
    });

    it('does not hold up an organization that has no active manager to lose', async () => {
      const org = await harness().newOrg();
      const user = await createUser(org, { userName: upn() });
      const off = await org.request(
        'PATCH',
        `/Users/${user.id}`,
        patchBody({ op: 'replace', path: 'active', value: false }),
      );
      expect(off.status, off.text).toBe(204);
      expect((await org.request('DELETE', `/Users/${user.id}`)).status).toBe(204);
    });
  });

  describe('groups', () => {
    /** A group with the manager role, synced from the IdP, whose one member is the only manager. */
    async function managerGroup(org: Org) {
      const user = await createUser(org, { userName: upn('lead') });
      const groupId = await portalGroup(db(), org, `Admins ${user.id.slice(0, 8)}`, [user.id], 'manager');
      // The IdP's first write adopts the group; its role stays.
      const adopt = await org.request(
        'PATCH',
        `/Groups/${groupId}`,
        patchBody({ op: 'replace', path: 'externalId', value: 'admins' }),
      );
      expect(adopt.status, adopt.text).toBe(204);
      // Another member, deactivated: putting them in the group in the manager's place makes no manager.
      const other = await createUser(org, { userName: upn('other'), active: false });
      return { groupId, manager: user.id, other: other.id, target: { type: 'group' as const, id: groupId } };
    }

    it('PATCH replace members and remove all members are refused', async () => {
      const org = await harness().newOrg();
      const { groupId, other, target } = await managerGroup(org);
      await expectRefused(
        org,
        () =>
          org.request(
            'PATCH',
            `/Groups/${groupId}`,
            patchBody({ op: 'Replace', path: 'members', value: [{ value: other }] }),
          ),
        target,
        'scim.group.updated',
      );
      await expectRefused(
        org,
        () => org.request('PATCH', `/Groups/${groupId}`, patchBody({ op: 'remove', path: 'members' })),
        target,
        'scim.group.updated',
      );
    });

    it('PATCH remove of the manager and PUT without them are refused', async () => {
      const org = await harness().newOrg();
      const { groupId, manager, other, target } = await managerGroup(org);
      await expectRefused(
        org,
        () =>
          org.request(
            'PATCH',
            `/Groups/${groupId}`,
            patchBody({ op: 'remove', path: `members[value eq "${manager}"]` }),
          ),
        target,
        'scim.group.updated',
      );
      await expectRefused(
        org,
        () =>
          org.request('PUT', `/Groups/${groupId}`, {
            schemas: [GROUP_SCHEMA],
            displayName: 'Admins',
            members: [{ value: other }],
          }),
        target,
        'scim.group.updated',
      );
      // Adding members to the group, or renaming it, passes.
      const add = await org.request(
        'PATCH',
        `/Groups/${groupId}`,
        patchBody({ op: 'add', path: 'members', value: [{ value: other }] }),
      );
      expect(add.status, add.text).toBe(204);
    });

    it('DELETE of the group that carries the manager role is refused', async () => {
      const org = await harness().newOrg();
      const { groupId, target } = await managerGroup(org);
      await expectRefused(
        org,
        () => org.request('DELETE', `/Groups/${groupId}`),
        target,
        'scim.group.deleted',
      );
    });

    it('passes when the new members take the role over, or another active manager remains', async () => {
      const org = await harness().newOrg();
      const { groupId } = await managerGroup(org);
      const successor = await createUser(org, { userName: upn('successor') });
      const handOver = await org.request(
        'PATCH',
        `/Groups/${groupId}`,
        patchBody({ op: 'replace', path: 'members', value: [{ value: successor.id }] }),
      );
      expect(handOver.status, handOver.text).toBe(204);
      await scimManager(org);
      expect((await org.request('DELETE', `/Groups/${groupId}`)).status).toBe(204);
    });

    it('adoption by POST that would drop the only manager (a member the IdP sees) is refused', async () => {
      const org = await harness().newOrg();
      await configure(db(), org, { provisionExistingUsers: true });
      const manager = await portalMember(db(), org, upn('admin'));
      const groupId = await portalGroup(db(), org, 'Admins', [manager], 'manager');
      const user = await createUser(org, { userName: upn(), active: false });
      await expectRefused(
        org,
        () =>
          org.request('POST', '/Groups', {
            schemas: [GROUP_SCHEMA],
            displayName: 'Admins',
            members: [{ value: user.id }],
          }),
        { type: 'group', id: groupId },
        'scim.group.adopted',
      );
    });
  });

  describe('memberships the client cannot see', () => {
    it('adoption, PUT, replace and remove all leave portal members in the group (without "Provision existing users")', async () => {
      const org = await harness().newOrg();
      const admin = await portalMember(db(), org, upn('admin'));
      const groupId = await portalGroup(db(), org, 'Admins', [admin], 'manager');
      const user = await createUser(org, { userName: upn() });
      const members = async () =>
        (
          await db()
            .selectFrom('group_members')
            .select('member_id')
            .where('org_id', '=', org.id)
            .where('group_id', '=', groupId)
            .orderBy('member_id')
            .execute()
        ).map((m) => m.member_id);

      const adopted = await org.request('POST', '/Groups', {
        schemas: [GROUP_SCHEMA],
        displayName: 'Admins',
        members: [{ value: user.id }],
      });
      expect(adopted.status, adopted.text).toBe(201);
      expect(adopted.body.id).toBe(groupId);
      expect(await members()).toEqual([admin, user.id].sort());

      for (const write of [
        () =>
          org.request('PUT', `/Groups/${groupId}`, {
            schemas: [GROUP_SCHEMA],
            displayName: 'Admins',
            members: [],
          }),
        () =>
          org.request(
            'PATCH',
            `/Groups/${groupId}`,
            patchBody({ op: 'replace', path: 'members', value: [{ value: user.id }] }),
          ),
        () => org.request('PATCH', `/Groups/${groupId}`, patchBody({ op: 'remove', path: 'members' })),
        () =>
          org.request(
            'PATCH',
            `/Groups/${groupId}`,
            patchBody({ op: 'remove', path: 'members', value: [{ value: admin }] }),
          ),
        () =>
          org.request(
            'PATCH',
            `/Groups/${groupId}`,
            patchBody({ op: 'remove', path: 'members[type eq "User"]' }),
          ),
      ]) {
        const res = await write();
        expect(res.status, res.text).toBeLessThan(300);
        expect(await members()).toContain(admin);
      }
      expect(await members()).toEqual([admin]);
    });
  });
});

describe('two requests each removing one of two managers (postgres)', () => {
  const harness = useHarness('postgres');

  it('never both pass', async () => {
    for (let round = 0; round < 8; round += 1) {
      const org = await harness().newOrg();
      const managers = await Promise.all(
        [0, 1].map(() => createUser(org, { userName: upn('boss'), roles: MANAGER_ROLE })),
      );
      const results = await Promise.all(
        managers.map((m, i) =>
          i === 0
            ? org.request(
                'PATCH',
                `/Users/${m.id}`,
                patchBody({ op: 'Replace', path: 'active', value: 'False' }),
              )
            : org.request('DELETE', `/Users/${m.id}`),
        ),
      );
      expect(results.map((r) => r.status).sort(), results.map((r) => r.text).join(' ')).toEqual([204, 403]);
      const active = await harness()
        .db.selectFrom('members')
        .select('id')
        .where('org_id', '=', org.id)
        .where('active', '=', true)
        .where('role', '=', 'manager')
        .execute();
      expect(active).toHaveLength(1);
    }
  });

  it('never both pass when one is a group write and the other a user write', async () => {
    for (let round = 0; round < 8; round += 1) {
      const org = await harness().newOrg();
      const throughGroup = await createUser(org, { userName: upn('lead') });
      const groupId = await portalGroup(harness().db, org, 'Admins', [throughGroup.id], 'manager');
      const direct = await createUser(org, { userName: upn('boss'), roles: MANAGER_ROLE });
      const results = await Promise.all([
        org.request(
          'PATCH',
          `/Groups/${groupId}`,
          patchBody({ op: 'remove', path: 'members', value: [{ value: throughGroup.id }] }),
        ),
        org.request(
          'PATCH',
          `/Users/${direct.id}`,
          patchBody({ op: 'replace', path: 'active', value: false }),
        ),
      ]);
      expect(results.map((r) => r.status).sort(), results.map((r) => r.text).join(' ')).toEqual([204, 403]);
    }
  });
});
