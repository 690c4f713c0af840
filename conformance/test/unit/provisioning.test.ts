/**
 * What both simulators share: comparing the target with the mapping, one object's requests and
 * their failures, the cycle recorder and per-object error isolation.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  differences,
  type ErrorCodes,
  eachObject,
  ObjectFailure,
  ObjectRequests,
  Unauthorized,
} from '../../src/provisioning/object-requests.js';
import {
  batches,
  CycleRecorder,
  type LogEntry,
  listOf,
  reasonOf,
  wireFailure,
} from '../../src/provisioning/provisioner.js';
import { staticBearer } from '../../src/wire/credentials.js';
import { ScimClient } from '../../src/wire/scim-client.js';

const HOST = 'http://scim.test';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const CODES: ErrorCodes = {
  status: (status, linked) => `S${status}${linked ? '-linked' : ''}`,
  incompatible: 'Incompatible',
  duplicate: 'Duplicate',
  timeout: 'Slow',
  network: 'Wire',
};

function setup() {
  const client = new ScimClient({ baseUrl: HOST, credentials: staticBearer('t'), throttleRetries: 0 });
  const log: LogEntry[] = [];
  const recorder = new CycleRecorder(7, client, log);
  return { client, log, recorder, requests: new ObjectRequests(client, CODES) };
}

const ENTRY = { objectType: 'User' as const, source: 'alice@example.com' };
const headers = (status: number) => ({ status, headers: new Headers(), body: undefined });

describe('differences', () => {
  const current = {
    userName: 'alice@example.com',
    active: 'True',
    title: 'Engineer',
    emails: [{ type: 'work', value: 'alice@example.com' }],
  };

  it('lists the mapped paths whose values the target does not hold, with Add or Replace', () => {
    expect(
      differences(current, {
        userName: 'alice@example.com',
        active: true,
        title: 'Principal',
        'emails[type eq "work"].value': 'alice@example.com',
        'name.givenName': 'Alice',
      }),
    ).toEqual([
      { path: 'title', value: 'Principal', present: true },
      { path: 'name.givenName', value: 'Alice', present: false },
    ]);
  });

  it('sees a changed boolean and a changed case', () => {
    expect(differences(current, { active: false, userName: 'Alice@example.com' })).toEqual([
      { path: 'active', value: false, present: true },
      { path: 'userName', value: 'Alice@example.com', present: true },
    ]);
  });

  it('is empty when everything matches', () => {
    expect(differences(current, { userName: 'alice@example.com', active: true })).toEqual([]);
  });
});

describe('helpers', () => {
  it('batches a list', () => {
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(batches([1, 2], 5)).toEqual([[1, 2]]);
    expect(batches([], 3)).toEqual([]);
  });

  it('takes the SCIM detail as the reason, else the status', () => {
    expect(reasonOf({ ...headers(409), body: { detail: 'taken' } })).toBe('taken');
    expect(reasonOf({ ...headers(500), body: { detail: '' } })).toBe('HTTP 500');
    expect(reasonOf(headers(404))).toBe('HTTP 404');
  });

  it('reads a ListResponse', () => {
    expect(listOf({ Resources: [{ id: '1' }] })).toEqual([{ id: '1' }]);
    expect(listOf({ totalResults: 0 })).toEqual([]);
    expect(listOf(undefined)).toEqual([]);
  });

  it('tells a timeout from a network failure', () => {
    expect(wireFailure(new DOMException('The operation was aborted due to timeout', 'TimeoutError'))).toEqual(
      {
        code: 'Timeout',
        reason: 'The operation was aborted due to timeout',
      },
    );
    expect(wireFailure(new DOMException('aborted', 'AbortError')).code).toBe('Timeout');
    const refused = new TypeError('fetch failed', {
      cause: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:443' },
    });
    expect(wireFailure(refused)).toEqual({ code: 'Network', reason: 'connect ECONNREFUSED 127.0.0.1:443' });
    expect(wireFailure(new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } }))).toEqual({
      code: 'Network',
      reason: 'ENOTFOUND',
    });
    expect(wireFailure('weird')).toEqual({ code: 'Network', reason: 'weird' });
  });
});

describe('CycleRecorder', () => {
  it('records entries with the cycle number, keeps failures and counts the cycle requests', async () => {
    const { client, log, recorder } = setup();
    nock(HOST).get('/Users/1').reply(200, { id: '1' }).patch('/Users/1').reply(204);
    await client.request('GET', '/Users/1');
    await client.request('PATCH', '/Users/1', { body: {} });
    recorder.record({ ...ENTRY, action: 'Update', status: 'Success' });
    const failure = recorder.record({ ...ENTRY, action: 'Create', status: 'Failure', errorCode: 'X' });
    expect(failure.cycle).toBe(7);
    expect(log).toHaveLength(2);
    expect(recorder.failures).toEqual([failure]);
    expect(recorder.result()).toEqual({ cycle: 7, requests: 2, writes: 1, failures: [failure] });
    expect(recorder.result('stopped').stoppedBecause).toBe('stopped');
  });

  it('counts only the requests made after it started', async () => {
    const { client, log } = setup();
    nock(HOST).get('/Users/1').times(2).reply(200, { id: '1' });
    await client.request('GET', '/Users/1');
    const recorder = new CycleRecorder(8, client, log);
    await client.request('GET', '/Users/1');
    expect(recorder.result()).toMatchObject({ requests: 1, writes: 0 });
  });
});

describe('ObjectRequests', () => {
  it('returns a 2xx, and an accepted error status, without logging', async () => {
    const { recorder, requests, log } = setup();
    nock(HOST).delete('/Users/1').reply(404);
    const res = await requests.send(recorder, { ...ENTRY, action: 'Delete' }, 'DELETE', '/Users/1', {
      accept: [404],
    });
    expect(res.status).toBe(404);
    expect(log).toEqual([]);
  });

  it('logs an error status with the linked flag and throws ObjectFailure', async () => {
    const { recorder, requests } = setup();
    nock(HOST).put('/Users/1').reply(400, { detail: 'bad value' });
    const send = requests.send(recorder, { ...ENTRY, targetId: '1', action: 'Update' }, 'PUT', '/Users/1', {
      body: {},
    });
    await expect(send).rejects.toBeInstanceOf(ObjectFailure);
    expect(recorder.failures).toEqual([
      expect.objectContaining({
        action: 'Update',
        targetId: '1',
        errorCode: 'S400-linked',
        reason: 'bad value',
        request: 'PUT /Users/1 → 400',
      }),
    ]);
  });

  it('throws Unauthorized, not ObjectFailure, on a 401', async () => {
    const { recorder, requests } = setup();
    nock(HOST).get('/Users/1').reply(401);
    const send = requests.send(recorder, { ...ENTRY, action: 'Lookup' }, 'GET', '/Users/1');
    await expect(send).rejects.toBeInstanceOf(Unauthorized);
    expect(recorder.failures[0]?.errorCode).toBe('S401');
  });

  it('logs a network failure with the network code', async () => {
    const { recorder, requests } = setup();
    nock(HOST).get('/Users/1').replyWithError('connection reset');
    await expect(
      requests.send(recorder, { ...ENTRY, action: 'Lookup' }, 'GET', '/Users/1'),
    ).rejects.toBeInstanceOf(ObjectFailure);
    expect(recorder.failures[0]).toMatchObject({
      errorCode: 'Wire',
      reason: 'connection reset',
      request: 'GET /Users/1',
    });
  });

  it('reads a resource, and calls one without id incompatible', async () => {
    const { recorder, requests } = setup();
    nock(HOST)
      .get('/Users/1')
      .reply(200, { id: '1', userName: 'a' })
      .get('/Users/2')
      .reply(200, { userName: 'b' });
    expect(await requests.read(recorder, ENTRY, '/Users/1')).toEqual({ id: '1', userName: 'a' });
    await expect(requests.read(recorder, ENTRY, '/Users/2')).rejects.toBeInstanceOf(ObjectFailure);
    expect(recorder.failures[0]).toMatchObject({ action: 'Lookup', errorCode: 'Incompatible' });
  });

  it('looks up: no match, one match, an empty answer without Resources, and bad answers', async () => {
    const { recorder, requests } = setup();
    const query = { filter: 'userName eq "a"' };
    nock(HOST)
      .get('/Users')
      .query(true)
      .reply(200, { totalResults: 0, Resources: [] })
      .get('/Users')
      .query(true)
      .reply(200, { totalResults: 1, Resources: [{ id: '1' }] })
      .get('/Users')
      .query(true)
      .reply(200, { totalResults: 0 })
      .get('/Users')
      .query(true)
      .reply(200, { totalResults: 1, Resources: [{ userName: 'a' }] })
      .get('/Users')
      .query(true)
      .reply(200, { totalResults: 2, Resources: [{ id: '1' }, { id: '2' }] });
    expect(await requests.lookup(recorder, ENTRY, '/Users', query)).toBeUndefined();
    expect(await requests.lookup(recorder, ENTRY, '/Users', query)).toEqual({ id: '1' });
    expect(await requests.lookup(recorder, ENTRY, '/Users', query)).toBeUndefined();
    await expect(requests.lookup(recorder, ENTRY, '/Users', query)).rejects.toBeInstanceOf(ObjectFailure);
    await expect(requests.lookup(recorder, ENTRY, '/Users', query)).rejects.toBeInstanceOf(ObjectFailure);
    expect(recorder.failures.map((f) => [f.errorCode, f.reason])).toEqual([
      ['Incompatible', 'A resource in the ListResponse has no id.'],
      ['Duplicate', '2 objects match userName eq "a".'],
    ]);
  });

  it('creates: logs the Create with the new id, and calls an answer without an id incompatible', async () => {
    const { recorder, requests, log } = setup();
    nock(HOST)
      .post('/Users', { userName: 'a' })
      .reply(201, { id: 'x', userName: 'a' })
      .post('/Users')
      .reply(201, { id: '' })
      .post('/Users')
      .reply(204);
    expect(await requests.create(recorder, ENTRY, '/Users', { userName: 'a' })).toEqual({
      id: 'x',
      userName: 'a',
    });
    expect(log).toEqual([{ cycle: 7, ...ENTRY, action: 'Create', status: 'Success', targetId: 'x' }]);
    await expect(requests.create(recorder, ENTRY, '/Users', {})).rejects.toBeInstanceOf(ObjectFailure);
    await expect(requests.create(recorder, ENTRY, '/Users', {})).rejects.toBeInstanceOf(ObjectFailure);
    expect(recorder.failures.map((f) => [f.action, f.errorCode, f.reason])).toEqual([
      ['Create', 'Incompatible', 'The create response has no id.'],
      ['Create', 'Incompatible', 'The create response has no id.'],
    ]);
  });
});

describe('eachObject', () => {
  it('goes on after an ObjectFailure, remembers the object and calls after for each', async () => {
    const { recorder } = setup();
    const failed = new Set<string>();
    const handled: string[] = [];
    const after: number[] = [];
    await eachObject(
      recorder,
      [{ key: 'a' }, { key: 'b' }, { key: 'c' }],
      failed,
      async (o) => {
        if (o.key === 'b') throw new ObjectFailure('no');
        handled.push(o.key);
      },
      async (n) => {
        after.push(n);
      },
    );
    expect(handled).toEqual(['a', 'c']);
    expect(failed).toEqual(new Set(['b']));
    expect(after).toEqual([1, 2, 3]);
  });

  it('lets any other error through and stops', async () => {
    const { recorder } = setup();
    const handled: string[] = [];
    const run = eachObject(recorder, [{ key: 'a' }, { key: 'b' }], new Set(), async (o) => {
      handled.push(o.key);
      throw new Unauthorized('refused');
    });
    await expect(run).rejects.toBeInstanceOf(Unauthorized);
    expect(handled).toEqual(['a']);
  });
});
