/**
 * The Entra ID simulator against a nock SCIM target: request shapes (docs/reference/entra.md),
 * the provisioning-log codes of its failures (entra.md#status-codes-and-provisioning-log-codes), retry on the
 * next cycle and quarantine.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ENTRA_CODES, EntraProvisioner } from '../../src/entra/entra-provisioner.js';
import {
  ADSCIM_GROUP,
  CORE_GROUP,
  CORE_USER,
  ENTERPRISE,
  MANAGER_PATH,
  userCreateBody,
} from '../../src/entra/mapping.js';
import type { EntraMode } from '../../src/entra/patch-body.js';
import { PATCH_OP } from '../../src/entra/patch-body.js';
import { IdpSource, type SourceUser } from '../../src/idp-source/idp-source.js';
import { type Credentials, staticBearer } from '../../src/wire/credentials.js';
import { ScimClient } from '../../src/wire/scim-client.js';
import { FakeTarget, HOST, list, type Req, rotatingCredentials, scimError } from './fake-target.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

/** Entra's per-cycle and Test Connection user probe: a random GUID, '+' for spaces. */
const USER_PROBE = /^\/Users\?filter=userName\+eq\+%22([0-9a-f-]{36})%22$/;
const GROUP_PROBE = /^\/Groups\?excludedAttributes=members&filter=displayName\+eq\+%22([0-9a-f-]{36})%22$/;

const lookupUri = (userName: string) => `/Users?filter=userName+eq+%22${encodeURIComponent(userName)}%22`;
const groupLookupUri = (name: string) =>
  `/Groups?excludedAttributes=members&filter=displayName+eq+%22${encodeURIComponent(name).replace(/%20/g, '+')}%22`;

function setup(
  options: { mode?: EntraMode; memberBatchSize?: number; credentials?: Credentials; timeoutMs?: number } = {},
) {
  const target = new FakeTarget();
  const source = new IdpSource('t');
  const client = new ScimClient({
    baseUrl: HOST,
    credentials: options.credentials ?? staticBearer('secret'),
    spaceEncoding: '+',
    throttleRetries: 0,
    timeoutMs: options.timeoutMs ?? 2000,
  });
  const sim = new EntraProvisioner(source, client, {
    mode: options.mode ?? 'default',
    ...(options.memberBatchSize ? { memberBatchSize: options.memberBatchSize } : {}),
  });
  return { target, source, client, sim };
}

const addUser = (source: IdpSource, name: string, change: Partial<SourceUser> = {}) =>
  source.addUser({ userName: `${name}@example.com`, ...change });

const isPost = (path: string) => (req: Req) => req.method === 'POST' && req.path === path;

describe('request shapes', () => {
  it('looks a user up before creating it, and POSTs the create body of entra.md#user-create', async () => {
    const { target, source, sim } = setup();
    const alice = addUser(source, 'alice');
    const result = await sim.cycle();
    expect(result.failures).toEqual([]);
    const lines = target.lines();
    expect(lines[0]).toMatch(/^GET /);
    expect(lines[0]?.slice(4)).toMatch(USER_PROBE);
    expect(lines.slice(1)).toEqual([`GET ${lookupUri('alice@example.com')}`, 'POST /Users']);
    expect(lines[1]).toBe('GET /Users?filter=userName+eq+%22alice%40example.com%22');
    const body = target.requests[2]?.body;
    expect(body).toEqual(userCreateBody(alice));
    expect(body?.schemas).toEqual([CORE_USER, ENTERPRISE]);
    expect(body?.roles).toEqual([]);
    expect(body?.meta).toEqual({ resourceType: 'User' });
    expect(body?.active).toBe(true);
    expect(sim.userId(alice.key)).toBe('u-1');
    expect(sim.log.at(-1)).toMatchObject({
      action: 'Create',
      status: 'Success',
      targetId: 'u-1',
      source: alice.userName,
    });
  });

  it('creates groups without members, then adds the members by PATCH in batches of memberBatchSize', async () => {
    const { target, source, sim } = setup({ memberBatchSize: 2 });
    const users = ['a', 'b', 'c'].map((n) => addUser(source, n));
    const group = source.addGroup('Engineering', users);
    const result = await sim.cycle();
    expect(result.failures).toEqual([]);
    const lines = target.lines(1 + 2 * users.length);
    expect(lines).toEqual([
      `GET ${groupLookupUri('Engineering')}`,
      'POST /Groups',
      'PATCH /Groups/g-4',
      'PATCH /Groups/g-4',
    ]);
    const [post, first, second] = target.requests.slice(-3);
    expect(post?.body).toEqual({
      schemas: [CORE_GROUP, ADSCIM_GROUP],
      displayName: 'Engineering',
      externalId: group.key,
      meta: { resourceType: 'Group' },
    });
    expect(first?.body).toEqual({
      schemas: [PATCH_OP],
      Operations: [{ op: 'Add', path: 'members', value: [{ value: 'u-1' }, { value: 'u-2' }] }],
    });
    expect(second?.body).toEqual({
      schemas: [PATCH_OP],
      Operations: [{ op: 'Add', path: 'members', value: [{ value: 'u-3' }] }],
    });
    expect(result.writes).toBe(6);
    expect(sim.expectedGroups()).toEqual([
      expect.objectContaining({ id: 'g-4', present: true, members: ['u-1', 'u-2', 'u-3'], removed: [] }),
    ]);
  });

  it('handles only the probe in an incremental cycle without changes', async () => {
    const { target, source, sim } = setup();
    addUser(source, 'alice');
    await sim.cycle();
    const before = target.requests.length;
    const result = await sim.cycle();
    expect(target.lines(before)).toHaveLength(1);
    expect(target.lines(before)[0]?.slice(4)).toMatch(USER_PROBE);
    expect(result).toMatchObject({ requests: 1, writes: 0, failures: [] });
  });

  it('reads a linked user and PATCHes only what differs', async () => {
    const { target, source, sim } = setup();
    const alice = addUser(source, 'alice');
    await sim.cycle();
    source.updateUser(alice, { jobTitle: 'Principal Engineer' });
    const before = target.requests.length;
    const result = await sim.cycle();
    expect(result.failures).toEqual([]);
    expect(target.lines(before + 1)).toEqual(['GET /Users/u-1', 'PATCH /Users/u-1']);
    expect(target.requests.at(-1)?.body).toEqual({
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'title', value: 'Principal Engineer' }],
    });
  });

  it('matches an existing user by lookup and sends no PATCH when nothing differs', async () => {
    const { target, source, sim } = setup();
    const alice = addUser(source, 'alice');
    target.addUser({ ...userCreateBody(alice), id: 'existing' });
    const result = await sim.cycle();
    expect(result).toMatchObject({ failures: [], writes: 0 });
    expect(sim.userId(alice.key)).toBe('existing');
    expect(sim.log.at(-1)).toMatchObject({ action: 'Match', status: 'Success', targetId: 'existing' });
  });

  it.each([
    { mode: 'default', sent: 'the string False', op: { op: 'Replace', path: 'active', value: 'False' } },
    {
      mode: 'aadOptscim062020',
      sent: 'a boolean false',
      op: { op: 'replace', path: 'active', value: false },
    },
  ] as const)('disables with active $sent in $mode mode', async ({ mode, op }) => {
    const { target, source, sim } = setup({ mode });
    const alice = addUser(source, 'alice');
    await sim.cycle();
    source.updateUser(alice, { enabled: false });
    const before = target.requests.length;
    await sim.cycle();
    expect(target.lines(before + 1)).toEqual(['GET /Users/u-1', 'PATCH /Users/u-1']);
    expect(target.requests.at(-1)?.body).toEqual({ schemas: [PATCH_OP], Operations: [op] });
  });

  it('writes the manager in a second pass, once both users exist', async () => {
    const { target, source, sim } = setup();
    // Alice comes first: her manager does not exist in the target yet when she is created.
    const alice = addUser(source, 'alice');
    const boss = addUser(source, 'boss');
    source.updateUser(alice, { managerKey: boss.key });
    await sim.cycle();
    expect(target.lines(1).filter((l) => !l.startsWith('GET'))).toEqual([
      'POST /Users',
      'POST /Users',
      'PATCH /Users/u-1',
    ]);
    expect(target.requests.at(-1)?.body).toEqual({
      schemas: [PATCH_OP],
      Operations: [{ op: 'Add', path: MANAGER_PATH, value: 'u-2' }],
    });
    expect(sim.userId(alice.key)).toBe('u-1');
    expect(sim.userId(boss.key)).toBe('u-2');
  });

  it.each([
    {
      mode: 'default',
      how: 'with a value array',
      operations: [{ op: 'Remove', path: 'members', value: [{ value: 'u-1' }, { value: 'u-2' }] }],
    },
    {
      mode: 'aadOptscim062020',
      how: 'one filtered op per member',
      operations: [
        { op: 'remove', path: 'members[value eq "u-1"]' },
        { op: 'remove', path: 'members[value eq "u-2"]' },
      ],
    },
  ] as const)('removes members $how in $mode mode', async ({ mode, operations }) => {
    const { target, source, sim } = setup({ mode });
    const users = ['a', 'b', 'c'].map((n) => addUser(source, n));
    const group = source.addGroup('Engineering', users);
    await sim.cycle();
    source.removeMembers(group, users.slice(0, 2));
    const before = target.requests.length;
    const result = await sim.cycle();
    expect(result.failures).toEqual([]);
    expect(target.lines(before + 1)).toEqual([
      'GET /Groups/g-4?excludedAttributes=members',
      'PATCH /Groups/g-4',
    ]);
    expect(target.requests.at(-1)?.body).toEqual({ schemas: [PATCH_OP], Operations: operations });
    expect(sim.expectedGroups()[0]).toMatchObject({ members: ['u-3'], removed: ['u-1', 'u-2'] });
  });
});

describe('failures and their provisioning-log codes', () => {
  it('logs a 409 on create as EntryConflict with the SCIM detail, and retries the user next cycle', async () => {
    const { target, source, sim } = setup();
    const alice = addUser(source, 'alice');
    target.override = (req) => {
      if (!isPost('/Users')(req)) return undefined;
      // The user exists, but the target's filter missed it.
      target.addUser({ ...userCreateBody(alice), id: 'already-there' });
      return [409, scimError(409, 'userName alice@example.com is already taken', 'uniqueness')];
    };
    const first = await sim.cycle();
    expect(first.failures).toEqual([
      expect.objectContaining({
        action: 'Create',
        objectType: 'User',
        source: 'alice@example.com',
        status: 'Failure',
        errorCode: 'EntryConflict',
        reason: 'userName alice@example.com is already taken',
        request: 'POST /Users → 409',
      }),
    ]);
    expect(sim.userId(alice.key)).toBeUndefined();

    target.override = undefined;
    const before = target.requests.length;
    const second = await sim.cycle();
    expect(second.failures).toEqual([]);
    expect(target.lines(before + 1)).toEqual([`GET ${lookupUri('alice@example.com')}`]);
    expect(sim.userId(alice.key)).toBe('already-there');
    expect(sim.log.at(-1)).toMatchObject({
      cycle: 2,
      action: 'Match',
      status: 'Success',
      targetId: 'already-there',
    });
  });

  it('logs a 500 as InternalServerError', async () => {
    const { target, source, sim } = setup();
    addUser(source, 'alice');
    target.override = (req) =>
      isPost('/Users')(req) ? [500, scimError(500, 'database unavailable')] : undefined;
    const result = await sim.cycle();
    expect(result.failures).toEqual([
      expect.objectContaining({
        action: 'Create',
        errorCode: 'InternalServerError',
        reason: 'database unavailable',
      }),
    ]);
  });

  it('uses the status line as the reason when the error has no detail', async () => {
    const { target, source, sim } = setup();
    addUser(source, 'alice');
    target.override = (req) => (isPost('/Users')(req) ? [503, 'Service Unavailable'] : undefined);
    const result = await sim.cycle();
    expect(result.failures[0]).toMatchObject({ errorCode: 'InternalServerError', reason: 'HTTP 503' });
  });

  it('logs a 404 on a linked user as InvalidAnchor', async () => {
    const { target, source, sim } = setup();
    const alice = addUser(source, 'alice');
    await sim.cycle();
    target.users.clear();
    source.updateUser(alice, { jobTitle: 'Boss' });
    const result = await sim.cycle();
    expect(result.failures).toEqual([
      expect.objectContaining({
        action: 'Lookup',
        targetId: 'u-1',
        errorCode: 'InvalidAnchor',
        request: 'GET /Users/u-1 → 404',
      }),
    ]);
  });

  it('logs two lookup results as DuplicateTargetEntries and creates nothing', async () => {
    const { target, source, sim } = setup();
    addUser(source, 'alice');
    target.addUser({ userName: 'alice@example.com' });
    target.addUser({ userName: 'ALICE@example.com' });
    const result = await sim.cycle();
    expect(result.failures).toEqual([
      expect.objectContaining({ action: 'Lookup', errorCode: 'DuplicateTargetEntries' }),
    ]);
    expect(result.failures[0]?.reason).toContain('2 objects match');
    expect(target.requests.some((r) => r.method === 'POST')).toBe(false);
  });

  it('logs a create response without id as SystemForCrossDomainIdentityManagementServiceIncompatible', async () => {
    const { target, source, sim } = setup();
    const alice = addUser(source, 'alice');
    target.override = (req) => (isPost('/Users')(req) ? [201, { userName: 'alice@example.com' }] : undefined);
    const result = await sim.cycle();
    expect(result.failures).toEqual([
      expect.objectContaining({
        action: 'Create',
        errorCode: 'SystemForCrossDomainIdentityManagementServiceIncompatible',
        reason: 'The create response has no id.',
      }),
    ]);
    expect(sim.userId(alice.key)).toBeUndefined();
    expect(source.takeChanges().has(alice.key)).toBe(true);
  });

  it('logs a lookup that does not answer a ListResponse as ServiceIncompatible', async () => {
    const { target, source, sim } = setup();
    addUser(source, 'alice');
    target.override = (req) =>
      req.method === 'GET' && req.uri === lookupUri('alice@example.com')
        ? [200, { userName: 'x' }]
        : undefined;
    const result = await sim.cycle();
    expect(result.failures[0]).toMatchObject({
      action: 'Lookup',
      errorCode: ENTRA_CODES.incompatible,
      reason: 'A query must answer a ListResponse.',
    });
  });

  it('logs a 429 that is not retried as TooManyRequests', async () => {
    const { target, source, sim } = setup();
    addUser(source, 'alice');
    target.override = (req) =>
      isPost('/Users')(req) ? [429, scimError(429, 'slow down'), { 'Retry-After': '0' }] : undefined;
    const result = await sim.cycle();
    expect(result.failures[0]).toMatchObject({ errorCode: 'TooManyRequests', reason: 'slow down' });
  });

  it('stops the cycle with EncounteredQuarantineException when a 401 persists after renewal', async () => {
    const credentials = rotatingCredentials();
    const { target, source, sim, client } = setup({ credentials });
    const alice = addUser(source, 'alice');
    const group = source.addGroup('Engineering', [alice]);
    target.override = (req) =>
      req.uri === lookupUri('alice@example.com')
        ? [401, scimError(401, 'The token is not valid')]
        : undefined;
    const result = await sim.cycle();
    expect(result.stoppedBecause).toMatch(/^EncounteredQuarantineException/);
    expect(result.stoppedBecause).toContain('The token is not valid');
    expect(result.failures).toEqual([
      expect.objectContaining({ action: 'Lookup', errorCode: 'Unauthorized' }),
    ]);
    expect(credentials.renewals).toBe(1);
    expect(client.stats.unauthorized).toBe(2);
    expect(target.requests.some((r) => r.method === 'POST' || r.path.startsWith('/Groups'))).toBe(false);
    // Everything the cycle was to handle is handled again next time.
    const changes = source.takeChanges();
    expect(changes.has(alice.key) && changes.has(group.key)).toBe(true);
  });

  it('stops the cycle when the probe at its start answers 401', async () => {
    const { target, source, sim } = setup();
    addUser(source, 'alice');
    target.override = (req) => (USER_PROBE.test(req.uri) ? [401, scimError(401, 'expired')] : undefined);
    const result = await sim.cycle();
    expect(result.stoppedBecause).toBe('EncounteredQuarantineException: expired');
    expect(target.requests).toHaveLength(1);
  });

  it('logs a network error as WebExceptionProtocolError', async () => {
    nock(HOST).post('/Users').replyWithError('socket hang up');
    const { source, sim } = setup();
    const alice = addUser(source, 'alice');
    const result = await sim.cycle();
    expect(result.failures).toEqual([
      expect.objectContaining({
        action: 'Create',
        errorCode: 'WebExceptionProtocolError',
        reason: 'socket hang up',
        request: 'POST /Users',
      }),
    ]);
    expect(result.stoppedBecause).toBeUndefined();
    expect(source.takeChanges().has(alice.key)).toBe(true);
  });

  it('logs a request that outlasts the timeout as Timeout', async () => {
    nock(HOST).post('/Users').delay(2000).reply(201, { id: 'late' });
    const { source, sim } = setup({ timeoutMs: 100 });
    addUser(source, 'alice');
    const result = await sim.cycle();
    expect(result.failures[0]).toMatchObject({ action: 'Create', errorCode: 'Timeout' });
  });

  it('goes on with the next user after a failed one', async () => {
    const { target, source, sim } = setup();
    addUser(source, 'alice');
    const bob = addUser(source, 'bob');
    target.override = (req) =>
      isPost('/Users')(req) && req.body?.userName === 'alice@example.com'
        ? [500, scimError(500, 'boom')]
        : undefined;
    const result = await sim.cycle();
    expect(result.failures).toHaveLength(1);
    expect(sim.userId(bob.key)).toBeDefined();
  });
});

describe('Test Connection', () => {
  const emptyList = list([]);

  it('probes users and groups with random filter values and accepts 200 totalResults 0', async () => {
    const { target, sim } = setup();
    target.override = () => [200, emptyList];
    const entries = await sim.testConnection();
    expect(entries).toEqual([
      expect.objectContaining({ action: 'TestConnection', objectType: 'User', status: 'Success' }),
      expect.objectContaining({ action: 'TestConnection', objectType: 'Group', status: 'Success' }),
    ]);
    const [users, groups] = target.requests;
    expect(users?.method).toBe('GET');
    expect(users?.uri).toMatch(USER_PROBE);
    expect(groups?.uri).toMatch(GROUP_PROBE);
    expect(USER_PROBE.exec(users?.uri ?? '')?.[1]).not.toBe(GROUP_PROBE.exec(groups?.uri ?? '')?.[1]);

    await sim.testConnection();
    expect(target.requests[2]?.uri).toMatch(USER_PROBE);
    expect(target.requests[2]?.uri).not.toBe(users?.uri);
  });

  it('fails on a 404 for the probe, with the target detail', async () => {
    const { target, sim } = setup();
    target.override = (req) =>
      req.path === '/Users' ? [404, scimError(404, 'No such user')] : [200, emptyList];
    const [users, groups] = await sim.testConnection();
    expect(users).toMatchObject({ objectType: 'User', status: 'Failure', reason: 'No such user' });
    expect(users?.errorCode).toBe(ENTRA_CODES.status(404, false));
    expect(users?.request).toMatch(/→ 404$/);
    expect(groups).toMatchObject({ objectType: 'Group', status: 'Success' });
  });

  it('fails when a random value matches something', async () => {
    const { target, sim } = setup();
    target.override = () => [200, list([{ id: 'x', userName: 'someone' }])];
    const [users] = await sim.testConnection();
    expect(users).toMatchObject({
      status: 'Failure',
      errorCode: 'SystemForCrossDomainIdentityManagementServiceIncompatible',
    });
  });

  it('fails with Unauthorized on a 401', async () => {
    const { target, sim } = setup();
    target.override = () => [401, scimError(401, 'bad token')];
    const entries = await sim.testConnection();
    expect(entries.map((e) => [e.status, e.errorCode])).toEqual([
      ['Failure', 'Unauthorized'],
      ['Failure', 'Unauthorized'],
    ]);
  });

  it('fails with WebExceptionProtocolError when the target cannot be reached', async () => {
    nock(HOST)
      .get(() => true)
      .times(2)
      .replyWithError('connect ECONNREFUSED');
    const { sim } = setup();
    const entries = await sim.testConnection();
    expect(entries.map((e) => [e.status, e.errorCode, e.reason])).toEqual([
      ['Failure', 'WebExceptionProtocolError', 'connect ECONNREFUSED'],
      ['Failure', 'WebExceptionProtocolError', 'connect ECONNREFUSED'],
    ]);
  });
});

describe('ENTRA_CODES', () => {
  it('names HTTP answers as Entra logs them (entra.md#status-codes-and-provisioning-log-codes)', () => {
    expect(ENTRA_CODES.status(404, true)).toBe('InvalidAnchor');
    expect(ENTRA_CODES.status(409, false)).toBe('EntryConflict');
    expect(ENTRA_CODES.status(429, false)).toBe('TooManyRequests');
    expect(ENTRA_CODES.status(401, true)).toBe('Unauthorized');
    expect(ENTRA_CODES.status(403, false)).toBe('InsufficientRights');
    expect(ENTRA_CODES.status(405, false)).toBe('MethodNotAllowed');
    expect(ENTRA_CODES.status(422, false)).toBe('UnprocessableEntity');
    expect(ENTRA_CODES.status(501, false)).toBe('NotImplemented');
    expect(ENTRA_CODES.status(500, false)).toBe('InternalServerError');
    expect(ENTRA_CODES.status(503, true)).toBe('InternalServerError');
    expect(ENTRA_CODES.status(400, false)).toBe('SystemForCrossDomainIdentityManagementBadRequest');
    expect(ENTRA_CODES.duplicate).toBe('DuplicateTargetEntries');
    expect(ENTRA_CODES.network).toBe('WebExceptionProtocolError');
  });
});
