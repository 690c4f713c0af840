import { describe, expect, it } from 'vitest';
import type { Org } from './harness.js';
import {
  configure,
  createUser,
  expectScimError,
  GROUP_SCHEMA,
  patchBody,
  portalGroup,
  portalMember,
  USER_SCHEMA,
  upn,
  useHarness,
} from './helpers.js';

describe('what provisioning does (postgres)', () => {
  const harness = useHarness('postgres');
  const db = () => harness().db;

  const member = (org: Org, id: string) =>
    db()
      .selectFrom('members')
      .selectAll()
      .where('org_id', '=', org.id)
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  const audit = (org: Org, action?: string) => {
    let query = db().selectFrom('audit_events').selectAll().where('org_id', '=', org.id);
    if (action) query = query.where('action', '=', action);
    return query.orderBy('seq').execute();
  };

  describe('roles', () => {
    it('makes a member basic by default and manager when roles says so, in every shape Entra sends', async () => {
      const org = await harness().newOrg();
      const plain = await createUser(org, { schemas: [USER_SCHEMA], userName: upn() });
      expect((await member(org, plain.id)).role).toBe('basic');

      for (const roles of [
        [{ primary: true, type: 'WindowsAzureActiveDirectoryRole', value: 'Manager' }],
        [{ primary: 'True', value: 'manager' }],
        [
          {
            primary: false,
            value: '{"id":"06b07648-ecfe-4a0b-9ff1-4d4e9e9f1a11","value":"manager","displayName":"Manager"}',
          },
        ],
      ]) {
        const created = await createUser(org, { schemas: [USER_SCHEMA], userName: upn(), roles });
        expect((await member(org, created.id)).role, JSON.stringify(roles)).toBe('manager');
        // Kept in the resource (booleans normalised).
        expect((created.roles as { value: string }[]).map((r) => r.value)).toEqual(roles.map((r) => r.value));
      }
    });

    it('changes the role when roles changes, and leaves it when a change does not touch roles', async () => {
      const org = await harness().newOrg();
      // Another manager, so that the IdP may demote this one (last-manager.test.ts: never the last).
      await portalMember(db(), org, upn('admin'), 'manager');
      const created = await createUser(org, {
        schemas: [USER_SCHEMA],
        userName: upn(),
        roles: [{ value: 'manager', primary: true }],
      });
      const patch = (...ops: Record<string, unknown>[]) =>
        org.request('PATCH', `/Users/${created.id}`, patchBody(...ops));

      expect((await patch({ op: 'replace', path: 'displayName', value: 'Ada' })).status).toBe(204);
      expect((await member(org, created.id)).role).toBe('manager');

      expect(
        (await patch({ op: 'replace', path: 'roles', value: [{ value: 'basic', primary: true }] })).status,
      ).toBe(204);
      expect((await member(org, created.id)).role).toBe('basic');

      expect((await patch({ op: 'add', path: 'roles', value: [{ value: 'manager' }] })).status).toBe(204);
      expect((await member(org, created.id)).role).toBe('manager');

      // Entra's SingleAppRoleAssignment PATCH: the primary role's value.
      expect((await patch({ op: 'replace', path: 'roles', value: [] })).status).toBe(204);
      expect((await member(org, created.id)).role).toBe('basic');
      expect(
        (await patch({ op: 'Add', path: 'roles[primary eq "True"].value', value: 'manager' })).status,
      ).toBe(204);
      expect((await member(org, created.id)).role).toBe('manager');

      // An app role Roster does not know gives no role.
      expect((await patch({ op: 'replace', path: 'roles', value: [{ value: 'Reader' }] })).status).toBe(204);
      expect((await member(org, created.id)).role).toBe('basic');
    });
  });

  describe('provision existing users', () => {
    it('off: SCIM sees only its own members, and a create of a portal member is a 409 naming the setting', async () => {
      const org = await harness().newOrg();
      const userName = upn('portal');
      const id = await portalMember(db(), org, userName, 'manager');

      expectScimError(await org.request('GET', `/Users/${id}`), 404);
      const lookup = await org.request(
        'GET',
        `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`,
      );
      expect(lookup.body.totalResults).toBe(0);
      expect((await org.request('GET', '/Users')).body.totalResults).toBe(0);
      expectScimError(await org.request('DELETE', `/Users/${id}`), 404);

      const create = await org.request('POST', '/Users', {
        schemas: [USER_SCHEMA],
        userName: userName.toUpperCase(),
      });
      expectScimError(create, 409, 'uniqueness');
      expect(create.body.detail).toMatch(/Provision existing users/);
      const row = await member(org, id);
      expect(row).toMatchObject({ managed_by: 'portal', role: 'manager', user_name: userName });
      expect(await audit(org)).toEqual([]);
    });

    it('on: SCIM sees every member, and a create adopts the portal member', async () => {
      const org = await harness().newOrg();
      await configure(db(), org, { provisionExistingUsers: true });
      const userName = upn('portal');
      const id = await portalMember(db(), org, userName, 'manager');
      const groupId = await portalGroup(db(), org, 'Portal team', [id]);

      expect((await org.request('GET', `/Users/${id}`)).status).toBe(200);
      const adopted = await org.request('POST', '/Users', {
        schemas: [USER_SCHEMA],
        userName,
        externalId: 'entra-object-id-1',
        name: { givenName: 'Ada', familyName: 'Lovelace' },
      });
      expect(adopted.status, JSON.stringify(adopted.body)).toBe(201);
      expect(adopted.body.id).toBe(id);
      expect(adopted.body.externalId).toBe('entra-object-id-1');
      // Unlike a new user's, an adopted member's groups are read for the response.
      expect(adopted.body.groups).toMatchObject([{ value: groupId, display: 'Portal team' }]);
      // Without roles in the request, the member keeps the role the admin gave.
      expect(await member(org, id)).toMatchObject({
        managed_by: 'scim',
        role: 'manager',
        external_id: 'entra-object-id-1',
      });
      const [event] = await audit(org, 'scim.member.adopted');
      expect(event).toMatchObject({ target_type: 'member', target_id: id });

      // Adopted once: a second create is an ordinary conflict.
      expectScimError(
        await org.request('POST', '/Users', { schemas: [USER_SCHEMA], userName }),
        409,
        'uniqueness',
      );
    });

    it('on: a PATCH or PUT of a portal member adopts it, as a create would (Entra and Ping look up, then update)', async () => {
      const org = await harness().newOrg();
      await configure(db(), org, { provisionExistingUsers: true });
      const patched = await portalMember(db(), org, upn('patched'), 'manager');
      const res = await org.request(
        'PATCH',
        `/Users/${patched}`,
        patchBody({ op: 'replace', path: 'externalId', value: 'entra-object-id-2' }),
      );
      expect(res.status, res.text).toBe(204);
      expect(await member(org, patched)).toMatchObject({
        managed_by: 'scim',
        role: 'manager',
        external_id: 'entra-object-id-2',
      });
      const userName = upn('replaced');
      const replaced = await portalMember(db(), org, userName);
      const put = await org.request('PUT', `/Users/${replaced}`, { schemas: [USER_SCHEMA], userName });
      expect(put.status, put.text).toBe(200);
      expect(await member(org, replaced)).toMatchObject({ managed_by: 'scim' });
      expect((await audit(org, 'scim.member.adopted')).map((e) => e.target_id)).toEqual([patched, replaced]);
      expect(await audit(org, 'scim.member.updated')).toEqual([]);
    });
  });

  describe('group sync', () => {
    it('off: /Groups is 403 naming the setting, discovery leaves Group out, users show no groups', async () => {
      const org = await harness().newOrg();
      const user = await createUser(org, { schemas: [USER_SCHEMA], userName: upn() });
      const group = await org.request('POST', '/Groups', {
        schemas: [GROUP_SCHEMA],
        displayName: 'Engineering',
        members: [{ value: user.id }],
      });
      expect(group.status).toBe(201);
      await configure(db(), org, { syncGroups: false });

      for (const [method, path] of [
        ['GET', '/Groups'],
        ['GET', `/Groups/${group.body.id}`],
        ['POST', '/Groups'],
        ['PATCH', `/Groups/${group.body.id}`],
        ['DELETE', `/Groups/${group.body.id}`],
        // The gate is middleware on every /Groups route: it answers before the query or the body is
        // parsed, so a request the IdP could not have made either way still names the setting.
        ['GET', `/Groups?filter=${encodeURIComponent('displayName zz "x"')}`],
        ['PUT', '/Groups/not-a-uuid'],
      ] as const) {
        const res = await org.request(
          method,
          path,
          method === 'GET' || method === 'DELETE' ? undefined : { schemas: [GROUP_SCHEMA], displayName: 'X' },
        );
        expectScimError(res, 403);
        expect(res.body.detail).toMatch(/Sync SCIM groups/);
      }
      const types = await org.request('GET', '/ResourceTypes');
      expect(types.body.Resources.map((t: { name: string }) => t.name)).toEqual(['User']);
      expectScimError(await org.request('GET', '/ResourceTypes/Group'), 404);
      const schemas = await org.request('GET', '/Schemas');
      expect(schemas.body.Resources.map((s: { id: string }) => s.id)).not.toContain(GROUP_SCHEMA);
      expect((await org.request('GET', `/Users/${user.id}`)).body.groups).toBeUndefined();
      // Nothing was deleted while refused.
      expect(
        await db().selectFrom('groups').select('id').where('org_id', '=', org.id).execute(),
      ).toHaveLength(1);
    });

    it('on: a created group whose displayName matches a portal group adopts it, keeping its role', async () => {
      const org = await harness().newOrg();
      const stays = await portalMember(db(), org, upn('stays'));
      const groupId = await portalGroup(db(), org, 'Admins', [stays], 'manager');
      const user = await createUser(org, { schemas: [USER_SCHEMA], userName: upn() });

      const created = await org.request('POST', '/Groups', {
        schemas: [GROUP_SCHEMA],
        displayName: 'admins',
        externalId: 'g-1',
        members: [{ value: user.id }],
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.id).toBe(groupId);
      const row = await db()
        .selectFrom('groups')
        .selectAll()
        .where('org_id', '=', org.id)
        .where('id', '=', groupId)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        managed_by: 'scim',
        role: 'manager',
        display_name: 'admins',
        external_id: 'g-1',
      });
      // The IdP's membership replaces the memberships it sees; the portal member it cannot see
      // (without "Provision existing users") stays.
      const members = await db()
        .selectFrom('group_members')
        .select('member_id')
        .where('org_id', '=', org.id)
        .where('group_id', '=', groupId)
        .execute();
      expect(members.map((m) => m.member_id).sort()).toEqual([stays, user.id].sort());
      expect(await audit(org, 'scim.group.adopted')).toHaveLength(1);

      expectScimError(
        await org.request('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Admins' }),
        409,
        'uniqueness',
      );
    });

    it('on: a PATCH or PUT of a portal group adopts it, keeping its role', async () => {
      const org = await harness().newOrg();
      const user = await createUser(org, { schemas: [USER_SCHEMA], userName: upn() });
      const patched = await portalGroup(db(), org, 'Patched', [], 'manager');
      const res = await org.request(
        'PATCH',
        `/Groups/${patched}`,
        patchBody({ op: 'add', path: 'members', value: [{ value: user.id }] }),
      );
      expect(res.status, res.text).toBe(204);
      const replaced = await portalGroup(db(), org, 'Replaced', [], 'manager');
      const put = await org.request('PUT', `/Groups/${replaced}`, {
        schemas: [GROUP_SCHEMA],
        displayName: 'Replaced',
      });
      expect(put.status, put.text).toBe(200);
      const rows = await db()
        .selectFrom('groups')
        .select(['id', 'managed_by', 'role'])
        .where('org_id', '=', org.id)
        .orderBy('display_name')
        .execute();
      expect(rows).toEqual([
        { id: patched, managed_by: 'scim', role: 'manager' },
        { id: replaced, managed_by: 'scim', role: 'manager' },
      ]);
      expect((await audit(org, 'scim.group.adopted')).map((e) => e.target_id)).toEqual([patched, replaced]);
      expect(await audit(org, 'scim.group.updated')).toEqual([]);
    });

    it('adds only members the IdP can see', async () => {
      const org = await harness().newOrg();
      const hidden = await portalMember(db(), org, upn('hidden'));
      const user = await createUser(org, { schemas: [USER_SCHEMA], userName: upn() });
      const group = await org.request('POST', '/Groups', {
        schemas: [GROUP_SCHEMA],
        displayName: 'Sales',
        members: [{ value: user.id }, { value: hidden }],
      });
      expect(group.status).toBe(201);
      const members = await db()
        .selectFrom('group_members')
        .select('member_id')
        .where('org_id', '=', org.id)
        .where('group_id', '=', group.body.id)
        .execute();
      expect(members.map((m) => m.member_id)).toEqual([user.id]);
    });
  });

  describe('sign-in email', () => {
    it('refuses a member with neither an email userName nor a work or primary email, and writes nothing', async () => {
      const org = await harness().newOrg();
      for (const body of [
        { schemas: [USER_SCHEMA], userName: 'ada.lovelace' },
        {
          schemas: [USER_SCHEMA],
          userName: 'ada.lovelace',
          emails: [{ value: 'ada@home.example', type: 'home' }],
        },
        {
          schemas: [USER_SCHEMA],
          userName: 'ada.lovelace',
          emails: [{ value: ' ', type: 'work' }],
        },
      ]) {
        const res = await org.request('POST', '/Users', body);
        expectScimError(res, 400, 'invalidValue');
        expect(res.body.detail).toMatch(/email to sign in/);
      }
      expect((await org.request('GET', '/Users')).body.totalResults).toBe(0);
    });

    it('accepts a non-email userName with a work or primary email, and refuses a change that removes it', async () => {
      const org = await harness().newOrg();
      const work = await createUser(org, {
        schemas: [USER_SCHEMA],
        userName: 'ada',
        emails: [{ value: 'ada@contoso.com', type: 'work' }],
      });
      await createUser(org, {
        schemas: [USER_SCHEMA],
        userName: 'grace',
        emails: [{ value: 'grace@contoso.com', primary: true }],
      });
      const res = await org.request(
        'PATCH',
        `/Users/${work.id}`,
        patchBody({ op: 'remove', path: 'emails' }),
      );
      expectScimError(res, 400, 'invalidValue');
      expect((await org.request('GET', `/Users/${work.id}`)).body.emails).toEqual([
        { value: 'ada@contoso.com', type: 'work' },
      ]);
    });
  });

  describe('audit', () => {
    it('records every change with the credential and the identity provider', async () => {
      const org = await harness().newOrg();
      const ua = { 'User-Agent': 'Azure AD SCIM Client' };
      const created = await org.request(
        'POST',
        '/Users',
        { schemas: [USER_SCHEMA], userName: upn(), active: true },
        ua,
      );
      const id = created.body.id;
      await org.request(
        'PATCH',
        `/Users/${id}`,
        patchBody({ op: 'replace', path: 'active', value: false }),
        ua,
      );
      // A no-op change records nothing.
      await org.request(
        'PATCH',
        `/Users/${id}`,
        patchBody({ op: 'replace', path: 'active', value: false }),
        ua,
      );
      const group = await org.request('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Ops' }, ua);
      await org.request(
        'PATCH',
        `/Groups/${group.body.id}`,
        patchBody({ op: 'add', path: 'members', value: [{ value: id }] }),
        ua,
      );
      await org.request('DELETE', `/Groups/${group.body.id}`, undefined, ua);
      await org.request('DELETE', `/Users/${id}`, undefined, ua);

      const events = await audit(org);
      expect(events.map((e) => e.action)).toEqual([
        'scim.member.created',
        'scim.member.updated',
        'scim.group.created',
        'scim.group.updated',
        'scim.group.deleted',
        'scim.member.deleted',
      ]);
      const keyId = org.token.slice(4, 20);
      for (const event of events)
        expect(event).toMatchObject({ actor_type: 'api_key', actor_id: keyId, idp: 'entra' });
      expect(events[1]?.changes).toEqual({ attributes: ['active'], active: { from: true, to: false } });
      expect(events[3]?.changes).toMatchObject({ membersAdded: 1, membersRemoved: 0 });
      // The trail outlives the member.
      expect(events[5]).toMatchObject({ target_type: 'member', target_id: id });
    });
  });
});
