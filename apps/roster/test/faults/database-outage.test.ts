/**
 * Issue #7: PostgreSQL goes away in the middle of a load of creates, updates and member adds.
 * Roster answers every request while it is gone, with a SCIM 503 and Retry-After, stays up,
 * reports itself unready, and recovers by itself when the database returns; afterwards the
 * database holds every write answered 2xx and no half of any other (docs/reliability.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTenant,
  expectRecovered,
  type FaultEnvironment,
  Load,
  readiness,
  sleep,
  startFaultEnvironment,
  waitFor,
  waitUntilReady,
} from './harness.js';

let env: FaultEnvironment;
beforeAll(async () => {
  env = await startFaultEnvironment('faults-database');
});
afterAll(async () => env?.close());

/** The requests of the outage (sent after `from`, answered before `to`): some, and every one a 503. */
function expectAllUnavailable(load: Load, from: number, to: number) {
  const outage = load.between(from, to);
  expect(outage.length).toBeGreaterThan(0);
  expect(load.tally(outage)).toEqual({ 503: outage.length });
  return outage.length;
}

describe('PostgreSQL stopped in the middle of a load', () => {
  it.each([
    ['fast', 'a fast shutdown: sessions terminated (57P01), open transactions rolled back'],
    ['immediate', 'a crash: connections cut, recovery from the WAL at the next start'],
  ] as const)(
    'pg_ctl stop -m %s (%s): 503s while down, recovery, nothing lost or half-written',
    async (mode, _what) => {
      const { roster, pg } = env;
      const pid = roster.pid;
      const tenant = await createTenant(env, 3);
      const load = new Load(tenant, { prefix: mode });

      load.start();
      await sleep(1_200);
      const haltStarted = performance.now();
      await pg.halt(mode);
      const down = performance.now();
      let up: number;
      try {
        await sleep(2_000);
        // The process is still there and says it cannot serve.
        expect(await readiness(roster.origin)).toBe(503);
        expect(roster.exitStatus).toBeUndefined();
      } finally {
        up = performance.now();
        await pg.start();
      }
      const recoveryMs = await waitUntilReady(roster.origin);
      const ready = performance.now();
      await sleep(1_000);
      await load.stop();

      expect(roster.exitStatus, 'Roster is still running').toBeUndefined();
      expect(roster.pid).toBe(pid);
      // While the database was down: every request answered, and with a 503.
      const duringOutage = expectAllUnavailable(load, down, up);
      const recovered = await expectRecovered(env, tenant, load, ready);
      // Provisioning activity: the outage's requests waited in the writer's bounded
      // queue and are recorded once the database is back; nothing was dropped.
      const refused = async () =>
        Number(
          (
            await env.handle.db
              .selectFrom('provisioning_activity')
              .select((eb) => eb.fn.countAll().as('n'))
              .where('org_id', '=', tenant.orgId)
              .where('status', '=', 503)
              .executeTakeFirstOrThrow()
          ).n,
        );
      await waitFor(async () => (await refused()) >= duringOutage, 30_000);
      const metrics = await (await fetch(`${roster.origin}/metrics`)).text();
      expect(metrics).toMatch(/^roster_activity_dropped_total 0$/m);
      console.info(
        JSON.stringify({
          fault: `pg_ctl stop -m ${mode}`,
          ...recovered,
          duringOutage,
          haltMs: Math.round(down - haltStarted),
          readyAfterStartMs: recoveryMs,
        }),
      );
    },
    120_000,
  );
});

describe('PostgreSQL frozen in the middle of a load (SIGSTOP: up, but answering nothing)', () => {
  it('every request is answered within the bound, 503 while frozen, and it recovers on SIGCONT', async () => {
    const { pg } = env;
    // A process with short database timeouts, so that the freeze can outlast the bound on each
    // request without making the test long: a request that waits on the frozen server beyond
    // its timeouts shows up as unanswered.
    const roster = await env.startRoster('faults-frozen', {
      DATABASE_QUERY_TIMEOUT_MS: '1000',
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
    });
    const bound = 5_000;
    const tenant = await createTenant(env, 3, roster);
    const load = new Load(tenant, { prefix: 'frozen', workers: 6, timeoutMs: bound });

    load.start();
    await sleep(1_000);
    await pg.freeze();
    const frozen = performance.now();
    try {
      await sleep(bound + 1_500);
      expect(await readiness(roster.origin)).toBe(503);
      expect(roster.exitStatus).toBeUndefined();
    } finally {
      await pg.thaw();
    }
    const thawed = performance.now();
    const recoveryMs = await waitUntilReady(roster.origin);
    const ready = performance.now();
    await sleep(1_000);
    await load.stop();

    const duringOutage = expectAllUnavailable(load, frozen, thawed);
    const recovered = await expectRecovered(env, tenant, load, ready);
    await roster.stop();
    console.info(
      JSON.stringify({ fault: 'SIGSTOP (frozen)', ...recovered, duringOutage, readyAfterThawMs: recoveryMs }),
    );
  }, 120_000);
});
