/**
 * The Ping Identity simulator (PingOne `p1`, PingFederate `pf`) against a nock SCIM target:
 * lookup and create (docs/reference/ping.md#user-lookup, #user-create), update and disable by GET then PUT
 * (#user-update, #user-disable), group lookup, create and membership (ping.md#groups), and a refused token
 * fetched again (ping.md#oauth-token-request).
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CORE_GROUP, CORE_USER } from '../../src/entra/mapping.js';
import { PATCH_OP } from '../../src/entra/patch-body.js';
import { IdpSource, type SourceUser } from '../../src/idp-source/idp-source.js';
import { PingProvisioner } from '../../src/ping/ping-provisioner.js';
import { PING_PROFILES, type PingProfile, type PingProfileId } from '../../src/ping/profiles.js';
import { type Credentials, clientCredentials, staticBearer } from '../../src/wire/credentials.js';
import { ScimClient } from '../../src/wire/scim-client.js';
import { FakeTarget, HOST, scimError } from './fake-target.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

function setup(
  id: PingProfileId,
  options: { profile?: Partial<PingProfile>; credentials?: Credentials } = {},
) {
  const target = new FakeTarget();
  const source = new IdpSource('t');
  const client = new ScimClient({
    baseUrl: HOST,
    credentials: options.credentials ?? staticBearer('secret'),
    spaceEncoding: '%20',
    throttleRetries: 0,
  });
  // A copy: useRemoveAction changes the profile.
  const sim = new PingProvisioner(source, client, { ...PING_PROFILES[id], ...options.profile });
  return { target, source, client, sim };
}

const alice = (source: IdpSource, change: Partial<SourceUser> = {}) =>
  source.addUser({
    userName: 'alice@example.com',
    givenName: 'Alice',
    familyName: 'Smith',
    email: 'alice@example.com',
    ...change,
  });

const addUser = (source: IdpSource, name: string) => source.addUser({ userName: `${name}@example.com` });

const P1_LOOKUP = '/Users?filter=username%20Eq%20%22alice%40example.com%22';
const PF_LOOKUP = '/Users?filter=userName%20eq%20%22alice%40example.com%22';

const CREATED_ALICE = {
  schemas: [CORE_USER],
  userName: 'alice@example.com',
  name: { givenName: 'Alice', familyName: 'Smith' },
  emails: [{ type: 'work', value: 'alice@example.com', primary: true }],
  active: true,
};

describe('users', () => {
  it('p1 looks the user up with `username Eq "…"` encoded with %20, then POSTs it', async () => {
    const { target, source, sim } = setup('p1');
    const user = alice(source);
    const result = await sim.cycle();
    expect(result.failures).toEqual([]);
    expect(target.lines()).toEqual([`GET ${P1_LOOKUP}`, 'POST /Users']);
    expect(target.requests[1]?.body).toEqual(CREATED_ALICE);
    expect(sim.userId(user.key)).toBe('u-1');
  });

  it('pf looks the user up with `userName eq "…"`', async () => {
    const { target, source, sim } = setup('pf');
    alice(source);
    await sim.cycle();
    expect(target.lines()[0]).toBe(`GET ${PF_LOOKUP}`);
  });

  it('marks the work phone primary too', async () => {
    const { target, source, sim } = setup('p1');
    alice(source, { phone: '+1 555 0100' });
    await sim.cycle();
    expect(target.requests[1]?.body?.phoneNumbers).toEqual([
      { type: 'work', value: '+1 555 0100', primary: true },
    ]);
  });

  it('updates a matched user by GET then PUT of the merged resource, keeping target-only values, without meta', async () => {
    const { target, source, sim } = setup('p1');
    const user = alice(source);
    target.addUser({
      schemas: [CORE_USER],
      id: 't-1',
      userName: 'alice@example.com',
      name: { givenName: 'Al', familyName: 'Smith', formatted: 'Al Smith' },
      emails: [
        { type: 'home', value: 'alice@home.example', primary: false },
        { type: 'work', value: 'old@example.com', primary: true },
      ],
      nickName: 'Ally',
      active: true,
      meta: { resourceType: 'User', created: '2024-01-01T00:00:00Z', location: `${HOST}/Users/t-1` },
    });
    const result = await sim.cycle();
    expect(result.failures).toEqual([]);
    expect(target.lines()).toEqual([`GET ${P1_LOOKUP}`, 'GET /Users/t-1', 'PUT /Users/t-1']);
    const body = target.requests[2]?.body;
    expect(body).toEqual({
      schemas: [CORE_USER],
      id: 't-1',
      userName: 'alice@example.com',
      name: { givenName: 'Alice', familyName: 'Smith', formatted: 'Al Smith' },
      emails: [
        { type: 'home', value: 'alice@home.example', primary: false },
        { type: 'work', value: 'alice@example.com', primary: true },
      ],
      nickName: 'Ally',
      active: true,
    });
    expect(body).not.toHaveProperty('meta');
    expect(sim.userId(user.key)).toBe('t-1');
    expect(sim.log.map((e) => e.action)).toEqual(['Match', 'Update']);
  });

  it('re-activates a matched inactive user with the PUT', async () => {
    const { target, source, sim } = setup('p1');
    alice(source);
    target.addUser({ ...CREATED_ALICE, id: 't-1', active: false });
    await sim.cycle();
    expect(target.lines().at(-1)).toBe('PUT /Users/t-1');
    expect(target.requests.at(-1)?.body?.active).toBe(true);
  });

  it('sends no PUT when the target already holds the values', async () => {
    const { target, source, sim } = setup('p1');
    alice(source);
    target.addUser({ ...CREATED_ALICE, id: 't-1' });
    const result = await sim.cycle();
    expect(target.lines()).toEqual([`GET ${P1_LOOKUP}`, 'GET /Users/t-1']);
    expect(result.writes).toBe(0);
  });

  it('addresses a linked user by its id on later cycles, without a lookup', async () => {
    const { target, source, sim } = setup('p1');
    const user = alice(source);
    await sim.cycle();
    source.updateUser(user, { familyName: 'Jones' });
    const before = target.requests.length;
    await sim.cycle();
    expect(target.lines(before)).toEqual(['GET /Users/u-1', 'PUT /Users/u-1']);
    expect(target.requests.at(-1)?.body?.name).toEqual({ givenName: 'Alice', familyName: 'Jones' });
  });

  it('disables by PUT of the resource with active false', async () => {
    const { target, source, sim } = setup('p1');
    const user = alice(source);
    await sim.cycle();
    source.updateUser(user, { enabled: false });
    const before = target.requests.length;
    const result = await sim.cycle();
    expect(result.failures).toEqual([]);
    expect(target.lines(before)).toEqual(['GET /Users/u-1', 'PUT /Users/u-1']);
    expect(target.requests.at(-1)?.body).toEqual({ ...CREATED_ALICE, id: 'u-1', active: false });
    expect(sim.log.at(-1)).toMatchObject({ action: 'Disable', status: 'Success', targetId: 'u-1' });
    expect(sim.expectedUsers()).toEqual([
      expect.objectContaining({
        id: 'u-1',
        present: true,
        attributes: { userName: 'alice@example.com', active: false },
      }),
    ]);
  });

  it('does not provision a user that is disabled at the source and was never linked', async () => {
    const { target, source, sim } = setup('p1');
    alice(source, { enabled: false });
    await sim.cycle();
    expect(target.requests).toEqual([]);
  });

  it('DELETEs an unassigned user when the Remove Action is Delete', async () => {
    const { target, source, sim } = setup('p1');
    const user = alice(source);
    await sim.cycle();
    sim.useRemoveAction('Delete');
    source.updateUser(user, { assigned: false });
    const before = target.requests.length;
    await sim.cycle();
    expect(target.lines(before)).toEqual(['DELETE /Users/u-1']);
    expect(sim.userId(user.key)).toBeUndefined();
    expect(sim.expectedUsers()).toEqual([expect.objectContaining({ id: 'u-1', present: false })]);
  });

  it('counts a failed create as Failed with the target detail and waits for a full resync', async () => {
    const { target, source, sim } = setup('p1');
    const user = alice(source);
    target.override = (req) =>
      req.method === 'POST' ? [409, scimError(409, 'userName is already taken', 'uniqueness')] : undefined;
    const first = await sim.cycle();
    expect(first.failures).toEqual([
      expect.objectContaining({
        action: 'Create',
        errorCode: 'Failed',
        reason: 'userName is already taken',
        request: 'POST /Users → 409',
      }),
    ]);
    const before = target.requests.length;
    await sim.cycle();
    expect(target.requests.length).toBe(before);
    target.override = undefined;
    const full = await sim.cycle({ full: true });
    expect(full.failures).toEqual([]);
    expect(sim.userId(user.key)).toBeDefined();
  });
});

describe('groups', () => {
  it('pf lists /Groups?startIndex=1&count=1000 to find a group, and creates it with its members', async () => {
    const { target, source, sim } = setup('pf');
    const user = alice(source);
    source.addGroup('Engineering', [user]);
    const result = await sim.cycle();
    expect(result.failures).toEqual([]);
    expect(target.lines(2)).toEqual(['GET /Groups?startIndex=1&count=1000', 'POST /Groups']);
    expect(target.requests.at(-1)?.body).toEqual({
      schemas: [CORE_GROUP],
      displayName: 'Engineering',
      members: [{ value: 'u-1' }],
    });
  });

  it('pf pages through the groups once per cycle and matches by displayName', async () => {
    const { target, source, sim } = setup('pf', { profile: { groupPageSize: 2 } });
    const user = alice(source);
    const engineering = source.addGroup('Engineering', [user]);
    source.addGroup('Sales', [user]);
    target.addGroup({ id: 'grp-a', displayName: 'Alpha' });
    target.addGroup({ id: 'grp-b', displayName: 'Beta' });
    target.addGroup({ id: 'grp-e', displayName: 'Engineering', members: [{ value: 'stale' }] });
    const result = await sim.cycle();
    expect(result.failures).toEqual([]);
    expect(target.lines(2)).toEqual([
      'GET /Groups?startIndex=1&count=2',
      'GET /Groups?startIndex=3&count=2',
      'GET /Groups/grp-e',
      'PUT /Groups/grp-e',
      'POST /Groups',
    ]);
    expect(target.requests[5]?.body).toEqual({
      schemas: [CORE_GROUP],
      displayName: 'Engineering',
      members: [{ value: 'u-1' }],
    });
    expect(sim.groupId(engineering.key)).toBe('grp-e');
    expect(sim.expectedGroups()[0]).toMatchObject({ id: 'grp-e', members: ['u-1'], removed: ['stale'] });
  });

  it('p1 looks a group up with a displayName filter encoded with %20', async () => {
    const { target, source, sim } = setup('p1');
    source.addGroup('Platform Team');
    await sim.cycle();
    expect(target.lines()).toEqual([
      'GET /Groups?filter=displayName%20eq%20%22Platform%20Team%22',
      'POST /Groups',
    ]);
    expect(target.requests[1]?.body).toEqual({
      schemas: [CORE_GROUP],
      displayName: 'Platform Team',
      members: [],
    });
  });

  it('p1 changes membership and the name by PATCH: add with a value array, remove one filtered op each', async () => {
    const { target, source, sim } = setup('p1');
    const a = addUser(source, 'a');
    const b = addUser(source, 'b');
    const group = source.addGroup('Engineering', [a]);
    await sim.cycle();
    expect(sim.groupId(group.key)).toBe('g-3');
    source.addMembers(group, [b]);
    source.removeMembers(group, [a]);
    source.updateGroup(group, { displayName: 'Platform' });
    const before = target.requests.length;
    const result = await sim.cycle();
    expect(result.failures).toEqual([]);
    expect(target.lines(before)).toEqual(['GET /Groups/g-3', 'PATCH /Groups/g-3']);
    expect(target.requests.at(-1)?.body).toEqual({
      schemas: [PATCH_OP],
      Operations: [
        { op: 'replace', path: 'displayName', value: 'Platform' },
        { op: 'add', path: 'members', value: [{ value: 'u-2' }] },
        { op: 'remove', path: 'members[value eq "u-1"]' },
      ],
    });
    expect(sim.expectedGroups()[0]).toMatchObject({ members: ['u-2'], removed: ['u-1'] });
  });

  it('pf changes membership by PUT of the whole group', async () => {
    const { target, source, sim } = setup('pf');
    const a = addUser(source, 'a');
    const b = addUser(source, 'b');
    const group = source.addGroup('Engineering', [a]);
    await sim.cycle();
    source.addMembers(group, [b]);
    source.removeMembers(group, [a]);
    const before = target.requests.length;
    await sim.cycle();
    expect(target.lines(before)).toEqual(['GET /Groups/g-3', 'PUT /Groups/g-3']);
    expect(target.requests.at(-1)?.body).toEqual({
      schemas: [CORE_GROUP],
      displayName: 'Engineering',
      members: [{ value: 'u-2' }],
    });
  });

  it('sends nothing for a linked group whose members and name are unchanged', async () => {
    const { target, source, sim } = setup('p1');
    const a = addUser(source, 'a');
    source.addGroup('Engineering', [a]);
    await sim.cycle();
    const before = target.requests.length;
    await sim.cycle({ full: true });
    expect(target.lines(before).filter((l) => l.includes('/Groups'))).toEqual(['GET /Groups/g-2']);
  });

  it('DELETEs a group that leaves the scope', async () => {
    const { target, source, sim } = setup('p1');
    const group = source.addGroup('Engineering');
    await sim.cycle();
    source.updateGroup(group, { assigned: false });
    const before = target.requests.length;
    await sim.cycle();
    expect(target.lines(before)).toEqual(['DELETE /Groups/g-1']);
    expect(sim.expectedGroups()[0]).toMatchObject({ id: 'g-1', present: false });
  });
});

describe('OAuth token refused (docs/reference/ping.md#oauth-token-request)', () => {
  const AUTH = 'http://auth.test';

  function tokenServer(times: number) {
    let issued = 0;
    nock(AUTH).get('/.well-known/oauth-authorization-server/oauth/acme').reply(404);
    nock(AUTH)
      .post('/oauth/acme/token')
      .times(times)
      .reply(() => {
        issued += 1;
        return [200, { access_token: `tok-${issued}`, token_type: 'Bearer', expires_in: 3600 }];
      });
  }

  const credentials = () =>
    clientCredentials({
      clientId: 'ping',
      clientSecret: 'secret',
      tokenUrl: `${AUTH}/oauth/acme/token`,
      clientAuthentication: 'client_secret_basic',
    });

  it('fetches a new token once on a 401 and goes on', async () => {
    tokenServer(2);
    const creds = credentials();
    const { target, source, client, sim } = setup('p1', { credentials: creds });
    alice(source);
    target.override = (req) =>
      req.authorization === 'Bearer tok-2' ? undefined : [401, scimError(401, 'The token has expired')];
    const result = await sim.cycle();
    expect(result.failures).toEqual([]);
    expect(result.stoppedBecause).toBeUndefined();
    expect(creds.tokensFetched).toBe(2);
    expect(client.stats.unauthorized).toBe(1);
    expect(target.requests.map((r) => [r.method, r.authorization])).toEqual([
      ['GET', 'Bearer tok-1'],
      ['GET', 'Bearer tok-2'],
      ['POST', 'Bearer tok-2'],
    ]);
  });

  it('stops the cycle when the new token is refused too', async () => {
    tokenServer(2);
    const creds = credentials();
    const { target, source, sim } = setup('p1', { credentials: creds });
    alice(source);
    addUser(source, 'bob');
    target.override = () => [401, scimError(401, 'invalid_token')];
    const result = await sim.cycle();
    expect(result.stoppedBecause).toBe('Unauthorized: invalid_token');
    expect(creds.tokensFetched).toBe(2);
    expect(target.requests).toHaveLength(2);
  });
});

describe('Test Connection', () => {
  it('sends an authenticated lookup and passes on a 2xx', async () => {
    const { target, sim } = setup('p1');
    const entries = await sim.testConnection();
    expect(entries).toEqual([expect.objectContaining({ action: 'TestConnection', status: 'Success' })]);
    expect(target.requests[0]?.uri).toMatch(
      /^\/Users\?filter=username%20Eq%20%22connection-test-\d+%40example\.com%22$/,
    );
    expect(target.requests[0]?.authorization).toBe('Bearer secret');
  });

  it('fails with the target detail on an error', async () => {
    const { target, sim } = setup('p1');
    target.override = () => [400, scimError(400, 'Unsupported filter', 'invalidFilter')];
    const entries = await sim.testConnection();
    expect(entries).toEqual([
      expect.objectContaining({ status: 'Failure', errorCode: 'Failed', reason: 'Unsupported filter' }),
    ]);
  });
});

it('labels the profile with its group update method', () => {
  expect(setup('p1').sim.label).toBe('PingOne (SCIM Outbound), groups by PATCH');
  expect(setup('pf').sim.label).toBe('PingFederate (SCIM Provisioner), groups by PUT');
});
