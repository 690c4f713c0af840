/**
 * Issue 19: webhook delivery under faults, with Roster in its own processes on a PostgreSQL of the
 * test's own and a receiver verifying with `standardwebhooks`. A process SIGKILLed while a
 * delivery is under way loses nothing: its lease expires and another process delivers, with
 * duplicates only of what was in flight. The receiver down for a while: every event arrives once
 * it is back. PostgreSQL stopped and started: every event committed before and after arrives. In both, every event arrives verified and, de-duplicated by its
 * webhook-id, in sequence order.
 */
import { createFirstManager } from '@roster/directory/api-keys';
import type { RosterProcess } from '@roster/testkit/roster-process';
import { Receiver } from '@roster/webhooks/testing/receiver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTenant,
  type FaultEnvironment,
  request,
  sleep,
  startFaultEnvironment,
  waitUntilReady,
} from './harness.js';

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

/** Delivery quick enough for a test: short lease, fast retries, frequent polls; the receiver on loopback. */
const WEBHOOK_SETTINGS = {
  ROSTER_ENV: 'development',
  ROSTER_WEBHOOK_LEASE_SECONDS: '10',
  ROSTER_WEBHOOK_RETRY_BASE_MS: '200',
  ROSTER_WEBHOOK_POLL_MS: '200',
};

let env: FaultEnvironment;
let receiver: Receiver;
beforeAll(async () => {
  env = await startFaultEnvironment('faults-webhooks');
  // The environment's first process runs under production rules, which refuse a loopback receiver.
  await env.roster.kill('SIGKILL');
  receiver = await new Receiver().start();
});
afterAll(async () => {
  await receiver?.stop();
  await env?.close();
});

/** An organization with SCIM provisioning on and a webhook endpoint at the receiver, through `roster`. */
async function webhookTenant(roster: RosterProcess) {
  const tenant = await createTenant(env, 0, roster);
  const { slug } = await env.handle.db
    .selectFrom('organizations')
    .select('slug')
    .where('id', '=', tenant.orgId)
    .executeTakeFirstOrThrow();
  const { token } = await createFirstManager(env.handle.db, tenant.orgId, `admin@${slug}.example.com`);
  const created = await fetch(`${roster.origin}/api/v1/orgs/${slug}/webhooks`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ url: receiver.url }),
  });
  expect(created.status).toBe(201);
  receiver.secret = ((await created.json()) as { secret: string }).secret;
  return tenant;
}

async function createUsers(tenant: Awaited<ReturnType<typeof webhookTenant>>, prefix: string, count: number) {
  for (let i = 0; i < count; i++) {
    const created = await request(tenant, 'POST', '/Users', {
      schemas: [USER_SCHEMA],
      userName: `${prefix}${i}@x.example.com`,
    });
    expect(created).toMatchObject({ kind: 'response', status: 201 });
  }
}

/** Every event of the organization arrived verified; de-duplicated, in sequence order. */
async function expectEveryEventArrived(
  orgId: string,
  deadlineMs = 60_000,
): Promise<{ events: number; duplicates: number }> {
  const events = await env.handle.db
    .selectFrom('events')
    .select(['id', 'sequence'])
    .where('org_id', '=', orgId)
    .orderBy('sequence')
    .execute();
  const ids = events.map((e) => e.id);
  await receiver.waitFor(() => ids.every((id) => receiver.verifiedIds().has(id)), deadlineMs);
  const mine = receiver.received.filter((r) => r.body.organizationId === orgId);
  expect(mine.every((r) => r.verified)).toBe(true);
  const firstArrivals = mine.filter((r, i) => mine.findIndex((s) => s.id === r.id) === i);
  const sequences = firstArrivals.map((r) => r.body.sequence);
  expect([...sequences].sort((x, y) => x - y)).toEqual(events.map((e) => Number(e.sequence)));
  return { events: events.length, duplicates: mine.length - firstArrivals.length };
}

describe('webhook delivery under faults', () => {
  it('a process SIGKILLed mid-delivery: its lease expires, another process delivers everything', async () => {
    const a = await env.startRoster('webhooks-a', WEBHOOK_SETTINGS);
    const tenant = await webhookTenant(a);
    // The receiver takes the first request and never answers it: A is mid-delivery when killed.
    let held = 0;
    receiver.respond = (_received, res) => {
      if (held++ === 0) return;
      res.writeHead(204).end();
    };
    await createUsers(tenant, 'kill', 5);
    await receiver.waitFor(() => held >= 1, 10_000);
    expect(await a.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    const b = await env.startRoster('webhooks-b', WEBHOOK_SETTINGS);
    await waitUntilReady(b.origin);
    // The held request arrived but was never answered: it counts once B has sent it again.
    const heldId = receiver.received[0]?.id;
    await receiver.waitFor(() => receiver.received.filter((r) => r.id === heldId).length === 2, 60_000);
    const result = await expectEveryEventArrived(tenant.orgId);
    // The delivery A held waited for its lease (10 s from A's claim) before B sent it again; the
    // events A had not claimed went out at once. Only the one in flight arrived twice.
    const [first, again] = receiver.received.filter((r) => r.id === heldId);
    expect((again?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(9_000);
    expect(result.duplicates).toBe(1);
    console.info(JSON.stringify({ fault: 'webhooks SIGKILL', ...result }));
    await b.kill('SIGTERM');
  }, 120_000);

  it('the receiver down for a while, then back: every event arrives, in sequence order once de-duplicated', async () => {
    receiver.respond = (_received, res) => res.writeHead(204).end();
    const roster = await env.startRoster('webhooks-d', WEBHOOK_SETTINGS);
    const tenant = await webhookTenant(roster);
    await receiver.stop();
    await createUsers(tenant, 'away', 5);
    // Several failed attempts (connection refused), retried with backoff.
    await sleep(3_000);
    await receiver.start();
    const result = await expectEveryEventArrived(tenant.orgId);
    expect(result.events).toBe(5);
    console.info(JSON.stringify({ fault: 'webhooks receiver down', ...result }));
    await roster.kill('SIGTERM');
  }, 120_000);

  it('PostgreSQL stopped and started: every event committed before and after arrives', async () => {
    receiver.respond = (_received, res) => res.writeHead(204).end();
    const roster = await env.startRoster('webhooks-c', WEBHOOK_SETTINGS);
    const tenant = await webhookTenant(roster);
    await createUsers(tenant, 'before', 3);
    // Committed, perhaps not yet delivered, when the database goes.
    await env.pg.halt('fast');
    await sleep(3_000);
    expect(roster.exitStatus).toBeUndefined();
    await env.pg.start();
    await waitUntilReady(roster.origin);
    await createUsers(tenant, 'after', 3);
    const result = await expectEveryEventArrived(tenant.orgId);
    expect(result.events).toBe(6);
    console.info(JSON.stringify({ fault: 'webhooks PostgreSQL restart', ...result }));
    await roster.kill('SIGTERM');
  }, 120_000);
});
