/**
 * Issue #7: the Roster process itself goes away. Killed outright (SIGKILL) in the middle of a
 * load and started again, it leaves no write half done: the database reconciles with the answers
 * the clients got. Asked to stop (SIGTERM), it finishes the requests it has, refuses new
 * connections, and exits 0 (docs/reliability.md).
 */
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import type { ExitStatus } from '@roster/testkit/roster-process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  createTenant,
  expectRecovered,
  type FaultEnvironment,
  holdRowLocks,
  Load,
  lockWaiters,
  request,
  sleep,
  startFaultEnvironment,
  userAt,
  waitFor,
  waitUntilReady,
} from './harness.js';

let env: FaultEnvironment;
beforeAll(async () => {
  env = await startFaultEnvironment('faults-process');
});
afterAll(async () => env?.close());

describe('the Roster process killed in the middle of a load (SIGKILL)', () => {
  it('started again, it serves again, and every write is there entirely or not at all', async () => {
    const { roster } = env;
    const tenant = await createTenant(env, 3);
    const load = new Load(tenant, { prefix: 'sigkill' });

    load.start();
    await sleep(1_200);
    const killed = performance.now();
    expect(await roster.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    await sleep(1_000);
    const restarting = performance.now();
    await roster.restart();
    const restartMs = Math.round(performance.now() - restarting);
    const ready = performance.now();
    await sleep(1_000);
    await load.stop();

    // While it was gone nothing was answered; the requests it had in hand were lost.
    const gone = load.between(killed, restarting);
    expect(gone.length).toBeGreaterThan(0);
    expect(gone.filter((r) => r.outcome.kind === 'response')).toEqual([]);
    expect(gone.some((r) => r.outcome.kind === 'refused')).toBe(true);
    // Started again, it serves everything, and the database reconciles.
    const recovered = await expectRecovered(env, tenant, load, ready);
    console.info(JSON.stringify({ fault: 'SIGKILL', ...recovered, whileGone: load.tally(gone), restartMs }));
  }, 120_000);
});

describe('the Roster process asked to stop (SIGTERM)', () => {
  it('completes the requests in flight with 2xx, refuses new connections, and exits 0', async () => {
    const { roster, handle } = env;
    await waitUntilReady(roster.origin);
    const tenant = await createTenant(env, 1);
    const groupId = tenant.groups[0] as string;
    const user = await request(tenant, 'POST', '/Users', userAt('drain-held@faults.example', 0));
    expect(user).toMatchObject({ kind: 'response', status: 201 });
    const userId = (user as { body: { id: string } }).body.id;
    const earlierErrors = roster.errorLines().length;
    const other = await request(tenant, 'POST', '/Users', userAt('drain-abandoned@faults.example', 0));
    const otherId = (other as { body: { id: string } }).body.id;

    // A request whose client gives up while it waits for a row lock: its handler outlives its
    // connection, and the process must not close the database under it.
    const lateLock = await holdRowLocks(env, [{ table: 'members', id: otherId }]);
    const gaveUp = request(tenant, 'PUT', `/Users/${otherId}`, userAt('drain-abandoned@faults.example', 1), {
      timeoutMs: 1_000,
    });

    // Two requests held in the database: the test holds the group's and the user's row locks, so
    // a member add and a PUT wait for them. A third held by its client: a create whose body
    // arrives in two parts.
    const locks = await holdRowLocks(env, [
      { table: 'groups', id: groupId },
      { table: 'members', id: userId },
    ]);
    const memberAdd = request(tenant, 'PATCH', `/Groups/${groupId}`, addMember(userId));
    const put = request(tenant, 'PUT', `/Users/${userId}`, userAt('drain-held@faults.example', 1));
    const slowCreate = slowPost(tenant, '/Users', userAt('drain-slow@faults.example', 0));
    let exit: Promise<ExitStatus>;
    try {
      await waitFor(async () => (await lockWaiters(env)) >= 3);
      await slowCreate.started;

      exit = roster.kill('SIGTERM');
      await sleep(300);
      expect(roster.exitStatus, 'still draining').toBeUndefined();
      expect(await connectionRefused(roster.port), 'new connections are refused').toBe(true);
    } finally {
      await locks.release();
      slowCreate.finish();
    }
    const answers = await Promise.all([memberAdd, put, slowCreate.response]);
    expect(answers.map((a) => (a.kind === 'response' ? a.status : a.kind))).toEqual([204, 200, 201]);
    expect((await gaveUp).kind).not.toBe('response');
    await sleep(300);
    expect(roster.exitStatus, 'waits for the handler whose client gave up').toBeUndefined();
    await lateLock.release();
    expect(await exit).toEqual({ code: 0, signal: null });
    expect(roster.errorLines().slice(earlierErrors)).toEqual([]);

    // What they answered is in the database.
    const members = await handle.db
      .selectFrom('members')
      .select(['user_name', 'version'])
      .where('org_id', '=', tenant.orgId)
      .orderBy('user_name')
      .execute();
    expect(members).toEqual([
      { user_name: 'drain-abandoned@faults.example', version: 2 },
      { user_name: 'drain-held@faults.example', version: 2 },
      { user_name: 'drain-slow@faults.example', version: 1 },
    ]);
    const membership = await handle.db
      .selectFrom('group_members')
      .select('member_id')
      .where('group_id', '=', groupId)
      .execute();
    expect(membership).toEqual([{ member_id: userId }]);
  }, 60_000);
});

/** Whether a new TCP connection to the port is refused. */
function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

/**
 * A POST whose client is slow: headers and the first half of the body now, the rest on
 * `finish()`. On its own connection, so the server has it in hand while it waits.
 */
function slowPost(tenant: { base: string; token: string }, path: string, body: unknown) {
  const text = Buffer.from(JSON.stringify(body));
  const url = new URL(`${tenant.base}${path}`);
  let finish!: () => void;
  let started!: () => void;
  const startedPromise = new Promise<void>((resolve) => {
    started = resolve;
  });
  const response = new Promise<{ kind: 'response'; status: number; body: unknown } | { kind: 'lost' }>(
    (resolve) => {
      const req = httpRequest(
        url,
        {
          method: 'POST',
          agent: false,
          headers: {
            Authorization: `Bearer ${tenant.token}`,
            'Content-Type': 'application/scim+json',
            'Content-Length': String(text.length),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              kind: 'response',
              status: res.statusCode ?? 0,
              body: JSON.parse(Buffer.concat(chunks).toString() || 'null'),
            }),
          );
        },
      );
      req.on('error', () => resolve({ kind: 'lost' }));
      const half = Math.floor(text.length / 2);
      req.write(text.subarray(0, half), () => sleep(200).then(started));
      finish = () => req.end(text.subarray(half));
    },
  );
  return { started: startedPromise, response, finish: () => finish() };
}
