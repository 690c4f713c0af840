/**
 * Tenant isolation: an organization's key works only on its own base URL, and nothing of one
 * organization can be read, changed, referenced or found through another's. PostgreSQL only.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Org, send } from './harness.js';
import {
  createGroup,
  createUser,
  ENTERPRISE,
  expectList,
  expectScimError,
  GROUP_SCHEMA,
  getOk,
  memberIds,
  patchBody,
  pctEncoded,
  rand,
  SEARCH_REQUEST,
  USER_SCHEMA,
  upn,
  useHarness,
} from './helpers.js';

describe('tenant isolation (postgres)', () => {
  const harness = useHarness('postgres');
  let a: Org;
  let b: Org;
  // biome-ignore lint/suspicious/noExplicitAny: SCIM JSON
  let aUser: any;
  // biome-ignore lint/suspicious/noExplicitAny: SCIM JSON
  let aGroup: any;
  // biome-ignore lint/suspicious/noExplicitAny: SCIM JSON
  let bUser: any;
  // biome-ignore lint/suspicious/noExplicitAny: SCIM JSON
  let bGroup: any;

  beforeAll(async () => {
    a = await harness().newOrg();
    b = await harness().newOrg();
    aUser = await createUser(a, {
      userName: upn('a-user'),
      externalId: `ext-${rand()}`,
      emails: [{ type: 'work', value: `a.${rand()}@a.example` }],
      [ENTERPRISE]: { department: 'A dept' },
    });
    aGroup = await createGroup(a, `A group ${rand()}`, [aUser.id]);
    bUser = await createUser(b, { userName: upn('b-user') });
    bGroup = await createGroup(b, `B group ${rand()}`, [bUser.id]);
  });

  /** Every endpoint and method of a SCIM base URL, with bodies that would succeed if authorised. */
  function everyRequest(ids: { user: string; group: string }): [string, string, unknown?][] {
    return [
      ['GET', '/Users'],
      ['GET', `/Users?filter=${pctEncoded('userName eq "x"')}`],
      ['POST', '/Users', { schemas: [USER_SCHEMA], userName: upn('intruder') }],
      ['POST', '/Users/.search', { schemas: [SEARCH_REQUEST] }],
      ['GET', `/Users/${ids.user}`],
      ['PUT', `/Users/${ids.user}`, { schemas: [USER_SCHEMA], userName: upn('intruder') }],
      ['PATCH', `/Users/${ids.user}`, patchBody({ op: 'replace', path: 'active', value: false })],
      ['DELETE', `/Users/${ids.user}`],
      ['GET', '/Groups'],
      ['POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: `Intruders ${rand()}` }],
      ['POST', '/Groups/.search', { schemas: [SEARCH_REQUEST] }],
      ['GET', `/Groups/${ids.group}`],
      ['PUT', `/Groups/${ids.group}`, { schemas: [GROUP_SCHEMA], displayName: `Intruders ${rand()}` }],
      ['PATCH', `/Groups/${ids.group}`, patchBody({ op: 'remove', path: 'members' })],
      ['DELETE', `/Groups/${ids.group}`],
      ['GET', '/ServiceProviderConfig'],
      ['GET', '/ResourceTypes'],
      ['GET', '/ResourceTypes/User'],
      ['GET', '/Schemas'],
      ['GET', `/Schemas/${USER_SCHEMA}`],
      ['GET', '/NoSuchEndpoint'],
    ];
  }

  it("a key of org A gets 401 (with WWW-Authenticate) on org B's base URL for every endpoint and method", async () => {
    const before = {
      user: await getOk(b, `/Users/${bUser.id}`),
      group: await getOk(b, `/Groups/${bGroup.id}`),
    };
    for (const [method, path, body] of everyRequest({ user: bUser.id, group: bGroup.id })) {
      const res = await send(`${b.base}${path}`, method, a.token, body);
      expectScimError(res, 401);
      expect(res.headers.get('www-authenticate'), `${method} ${path}`).toMatch(/^Bearer/);
    }
    // The same refusal for an organization that does not exist: nothing reveals which ones do.
    const ghost = await send(`${b.base}-ghost/Users`, 'GET', a.token);
    expectScimError(ghost, 401);
    // Nothing changed in B.
    expect(await getOk(b, `/Users/${bUser.id}`)).toEqual(before.user);
    expect(await getOk(b, `/Groups/${bGroup.id}`)).toEqual(before.group);
    expect(expectList(await b.request('GET', '/Users')).totalResults).toBe(1);
    expect(expectList(await b.request('GET', '/Groups')).totalResults).toBe(1);
  });

  it("ids of A's users and groups are 404 through B's URL (GET, PUT, PATCH, DELETE) and unchanged afterwards", async () => {
    const before = {
      user: await getOk(a, `/Users/${aUser.id}`),
      group: await getOk(a, `/Groups/${aGroup.id}`),
    };
    const attempts: [string, string, unknown?][] = [
      ['GET', `/Users/${aUser.id}`],
      ['PUT', `/Users/${aUser.id}`, { schemas: [USER_SCHEMA], userName: upn('hijack'), active: false }],
      ['PATCH', `/Users/${aUser.id}`, patchBody({ op: 'replace', path: 'active', value: false })],
      ['DELETE', `/Users/${aUser.id}`],
      ['GET', `/Groups/${aGroup.id}`],
      ['PUT', `/Groups/${aGroup.id}`, { schemas: [GROUP_SCHEMA], displayName: 'hijacked', members: [] }],
      ['PATCH', `/Groups/${aGroup.id}`, patchBody({ op: 'remove', path: 'members' })],
      ['DELETE', `/Groups/${aGroup.id}`],
    ];
    for (const [method, path, body] of attempts) {
      expectScimError(await b.request(method, path, body), 404);
      // With If-Match as well: the lookup is scoped before any precondition is checked.
      expectScimError(await b.request(method, path, body, { 'If-Match': before.user.meta.version }), 404);
    }
    expect(await getOk(a, `/Users/${aUser.id}`)).toEqual(before.user);
    expect(await getOk(a, `/Groups/${aGroup.id}`)).toEqual(before.group);
  });

  it("B's filters, lists and searches never return A's resources", async () => {
    const userFilters = [
      `userName eq "${aUser.userName}"`,
      `id eq "${aUser.id}"`,
      `externalId eq "${aUser.externalId}"`,
      `emails eq "${aUser.emails[0].value}"`,
      `emails[type eq "work"].value eq "${aUser.emails[0].value}"`,
      `${ENTERPRISE}:department eq "A dept"`,
      `groups eq "${aGroup.id}"`,
      'userName pr',
    ];
    for (const filter of userFilters) {
      const list = expectList(await b.request('GET', `/Users?filter=${pctEncoded(filter)}`));
      expect(
        list.Resources.map((r) => r.id),
        filter,
      ).not.toContain(aUser.id);
    }
    const groupFilters = [
      `displayName eq "${aGroup.displayName}"`,
      `id eq "${aGroup.id}"`,
      `members eq "${aUser.id}"`,
      `members[value eq "${aUser.id}"]`,
      'displayName pr',
    ];
    for (const filter of groupFilters) {
      const list = expectList(await b.request('GET', `/Groups?filter=${pctEncoded(filter)}`));
      expect(
        list.Resources.map((r) => r.id),
        filter,
      ).not.toContain(aGroup.id);
    }
    const users = expectList(await b.request('GET', '/Users?count=1000'));
    expect(users.Resources.map((r) => r.id)).toEqual([bUser.id]);
    const groups = expectList(await b.request('GET', '/Groups?count=1000'));
    expect(groups.Resources.map((r) => r.id)).toEqual([bGroup.id]);
    const search = expectList(
      await b.request('POST', '/Users/.search', {
        schemas: [SEARCH_REQUEST],
        filter: `userName eq "${aUser.userName}"`,
      }),
    );
    expect(search.totalResults).toBe(0);
    // B's group lists only B's members, B's user only B's groups.
    expect(await memberIds(b, bGroup.id)).toEqual([bUser.id]);
    expect((await getOk(b, `/Users/${bUser.id}`)).groups.map((g: { value: string }) => g.value)).toEqual([
      bGroup.id,
    ]);
  });

  it("adding A's user id as a member of B's group does not create a membership", async () => {
    const patch = await b.request(
      'PATCH',
      `/Groups/${bGroup.id}`,
      patchBody({ op: 'add', path: 'members', value: [{ value: aUser.id }] }),
    );
    expect(patch.status).toBeLessThan(500);
    expect(await memberIds(b, bGroup.id)).toEqual([bUser.id]);

    const created = await b.request('POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: `Cross ${rand()}`,
      members: [{ value: aUser.id }, { value: bUser.id }],
    });
    expect(created.status, created.text).toBe(201);
    expect(await memberIds(b, created.body.id)).toEqual([bUser.id]);

    const put = await b.request('PUT', `/Groups/${created.body.id}`, {
      schemas: [GROUP_SCHEMA],
      displayName: created.body.displayName,
      members: [{ value: aUser.id }],
    });
    expect(put.status, put.text).toBe(200);
    expect(await memberIds(b, created.body.id)).toEqual([]);

    // A's user does not list B's groups, and B cannot find groups by A's member.
    const user = await getOk(a, `/Users/${aUser.id}`);
    expect(user.groups.map((g: { value: string }) => g.value)).toEqual([aGroup.id]);
    const byMember = expectList(
      await b.request('GET', `/Groups?filter=${pctEncoded(`members eq "${aUser.id}"`)}`),
    );
    expect(byMember.totalResults).toBe(0);

    // A's group cannot take B's user either.
    await a.request(
      'PATCH',
      `/Groups/${aGroup.id}`,
      patchBody({ op: 'add', path: 'members', value: [{ value: bUser.id }] }),
    );
    expect(await memberIds(a, aGroup.id)).toEqual([aUser.id]);
  });

  it('the same userName (and group displayName) may exist in both organizations', async () => {
    const userName = upn('shared');
    const inA = await createUser(a, { userName });
    const inB = await createUser(b, { userName: userName.toUpperCase() });
    expect(inA.id).not.toBe(inB.id);
    const displayName = `Shared ${rand()}`;
    const groupA = await createGroup(a, displayName);
    const groupB = await createGroup(b, displayName);
    for (const [org, userId, groupId] of [
      [a, inA.id, groupA.id],
      [b, inB.id, groupB.id],
    ] as const) {
      const users = expectList(
        await org.request('GET', `/Users?filter=${pctEncoded(`userName eq "${userName}"`)}`),
      );
      expect(users.Resources.map((r) => r.id)).toEqual([userId]);
      const groups = expectList(
        await org.request('GET', `/Groups?filter=${pctEncoded(`displayName eq "${displayName}"`)}`),
      );
      expect(groups.Resources.map((r) => r.id)).toEqual([groupId]);
    }
    // Uniqueness still holds within each organization.
    expectScimError(
      await b.request('POST', '/Users', { schemas: [USER_SCHEMA], userName }),
      409,
      'uniqueness',
    );
    // Deleting in one leaves the other.
    expect((await b.request('DELETE', `/Users/${inB.id}`)).status).toBe(204);
    await getOk(a, `/Users/${inA.id}`);
  });
});
