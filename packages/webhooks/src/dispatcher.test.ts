/**
 * Webhook delivery on a real PostgreSQL with a local receiver that verifies every request with
 * `standardwebhooks`: signed delivery in sequence order with the endpoint's filter, one
 * organization's events never at another's endpoint, the LISTEN wake-up, retries honouring
 * Retry-After, a receiver down then up, giving up and disabling after the retry window (audited),
 * two dispatchers on one database delivering each event once, a dead process's lease expiring,
 * redelivery and replay, the egress rules, and shutdown releasing what was claimed.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { type DatabaseHandle, openDatabase } from '@roster/db';
import { createOrganization } from '@roster/directory/organizations';
import { appendEvents, type EventType } from '@roster/events';
import type {} from '@roster/testkit/vitest-global-setup';
import { sql } from 'kysely';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { listDeliveries, redeliverEvent, replayFrom } from './deliveries.js';
import { WebhookDispatcher, type WebhookDispatcherOptions } from './dispatcher.js';
import { createEndpoint } from './endpoints.js';
import { newSigningSecret, sealSigningSecret } from './secrets.js';
import { Receiver } from './testing/receiver.js';

const secretKey = randomBytes(32);
const quiet = { warn: () => undefined, info: () => undefined };

describe('webhook delivery (PostgreSQL)', () => {
  let handle: DatabaseHandle;
  const running: Array<WebhookDispatcher | Receiver> = [];
  beforeAll(async () => {
    handle = await openDatabase({ url: inject('databaseUrl') });
  });
  afterEach(async () => {
    for (const thing of running.splice(0).reverse()) {
      await (thing instanceof WebhookDispatcher ? thing.close() : thing.stop());
    }
  });
  afterAll(async () => handle?.close());

  const newOrg = () => createOrganization(handle.db, { slug: `w-${randomUUID().slice(0, 8)}` });

  async function receiver(): Promise<Receiver> {
    const r = await new Receiver().start();
    r.secret = newSigningSecret();
    running.push(r);
    return r;
  }

  async function endpoint(orgId: string, r: Receiver, eventTypes: string[] = []) {
    return createEndpoint(handle.db, orgId, {
      url: r.url,
      description: '',
      eventTypes,
      enabled: true,
      secretSealed: sealSigningSecret(r.secret as string, secretKey),
    });
  }

  function dispatcher(options: Partial<WebhookDispatcherOptions> = {}): WebhookDispatcher {
    const d = new WebhookDispatcher({
      db: handle.db,
      secretKey,
      development: true,
      logger: quiet,
      pollIntervalMs: 100,
      ...options,
    });
    running.push(d);
    d.start();
    return d;
  }

  const emit = (orgId: string, ...types: EventType[]) =>
    appendEvents(
      handle.db,
      orgId,
      types.map((type) => ({ type, actor: { type: 'system', id: 'test' }, data: { id: randomUUID() } })),
    );

  it('delivers each event signed per Standard Webhooks, in sequence order, with the filter, to its organization only', async () => {
    const [a, b] = [await newOrg(), await newOrg()];
    const [ra, rb, filtered] = [await receiver(), await receiver(), await receiver()];
    await endpoint(a.id, ra);
    await endpoint(b.id, rb);
    await endpoint(a.id, filtered, ['member.deactivated']);
    dispatcher();
    const sentA = await emit(a.id, 'member.created', 'member.deactivated', 'group.created');
    const sentB = await emit(b.id, 'member.created');
    await ra.waitFor(() => ra.received.length === 3);
    await rb.waitFor(() => rb.received.length === 1);
    await filtered.waitFor(() => filtered.received.length === 1);
    expect(ra.received.every((r) => r.verified)).toBe(true);
    expect(ra.received.map((r) => r.id)).toEqual(sentA.map((e) => e.id));
    expect(ra.received.map((r) => r.body.sequence)).toEqual(sentA.map((e) => e.sequence));
    expect(ra.received[0]?.body).toEqual({
      id: sentA[0]?.id,
      sequence: sentA[0]?.sequence,
      type: 'member.created',
      occurredAt: sentA[0]?.occurredAt.toISOString(),
      actor: { type: 'system', id: 'test' },
      data: sentA[0]?.data,
      timestamp: sentA[0]?.occurredAt.toISOString(),
      organizationId: a.id,
    });
    expect(ra.received[0]?.headers['webhook-signature']).toMatch(/^v1,/);
    expect(rb.received.map((r) => r.id)).toEqual(sentB.map((e) => e.id));
    expect(rb.received.every((r) => r.body.organizationId === b.id)).toBe(true);
    expect(filtered.received.map((r) => r.body.type)).toEqual(['member.deactivated']);
  });

  it('a new endpoint gets events from its creation on; events before it are not sent', async () => {
    const org = await newOrg();
    await emit(org.id, 'member.created');
    const r = await receiver();
    await endpoint(org.id, r);
    dispatcher();
    const [after] = await emit(org.id, 'member.updated');
    await r.waitFor(() => r.received.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(r.received.map((x) => x.id)).toEqual([after?.id]);
  });

  it('wakes on the commit notification: delivered long before the next poll', async () => {
    const org = await newOrg();
    const r = await receiver();
    await endpoint(org.id, r);
    dispatcher({ pollIntervalMs: 60_000, listen: handle.listen });
    // The first poll runs at start; the listener connects just after.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const started = Date.now();
    await emit(org.id, 'member.created');
    await r.waitFor(() => r.received.length === 1, 5_000);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('retries a failure when Retry-After says, and records every attempt', async () => {
    const org = await newOrg();
    const r = await receiver();
    const ep = await endpoint(org.id, r);
    let calls = 0;
    r.respond = (_received, res) => {
      calls++;
      if (calls === 1) res.writeHead(503, { 'retry-after': '1' }).end('busy, come back');
      else res.writeHead(200).end('ok');
    };
    // Without Retry-After the next attempt would be a minute away.
    dispatcher({ retry: { baseMs: 60_000 } });
    await emit(org.id, 'member.created');
    await r.waitFor(() => r.received.length === 2, 8_000);
    const gap = (r.received[1]?.at ?? 0) - (r.received[0]?.at ?? 0);
    expect(gap).toBeGreaterThanOrEqual(900);
    expect(r.received[0]?.id).toBe(r.received[1]?.id);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const [delivery] = await listDeliveries(handle.db, org.id, ep.id, { limit: 10 });
    expect(delivery).toMatchObject({ state: 'delivered', attempts: 2 });
    expect(delivery?.attemptRows.map((a) => [a.status_code, a.error, a.response_prefix])).toEqual([
      [503, 'HTTP 503', 'busy, come back'],
      [200, null, 'ok'],
    ]);
  });

  it('delivers every event once the receiver, down for a while, is back', async () => {
    const org = await newOrg();
    const r = await receiver();
    await endpoint(org.id, r);
    await r.stop();
    dispatcher({ retry: { baseMs: 200, maxDelayMs: 400 } });
    const sent = await emit(org.id, 'member.created', 'member.updated', 'member.deactivated');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await r.start();
    await r.waitFor(() => r.verifiedIds().size === 3, 10_000);
    expect([...r.verifiedIds()].sort()).toEqual(sent.map((e) => e.id).sort());
  });

  it('gives up after the retry window and disables an endpoint that failed all along, with an audit event', async () => {
    const org = await newOrg();
    const r = await receiver();
    const ep = await endpoint(org.id, r);
    r.respond = (_received, res) => res.writeHead(500).end();
    const registry = new Registry();
    dispatcher({ retry: { baseMs: 100, maxDelayMs: 300, windowMs: 1_500 }, registry });
    await emit(org.id, 'member.created');
    const until = Date.now() + 10_000;
    let row: { enabled: boolean; disabled_reason: string | null } | undefined;
    while (Date.now() < until) {
      row = await handle.db
        .selectFrom('webhook_endpoints')
        .select(['enabled', 'disabled_reason'])
        .where('org_id', '=', org.id)
        .where('id', '=', ep.id)
        .executeTakeFirst();
      if (row && !row.enabled) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(row).toEqual({ enabled: false, disabled_reason: 'every delivery failed for the retry window' });
    const [delivery] = await listDeliveries(handle.db, org.id, ep.id, { limit: 10 });
    expect(delivery?.state).toBe('failed');
    expect(delivery?.attemptRows.length).toBeGreaterThan(2);
    const audit = await handle.db
      .selectFrom('audit_events')
      .select(['action', 'actor_type', 'target_id'])
      .where('org_id', '=', org.id)
      .where('action', '=', 'webhook.disabled')
      .execute();
    expect(audit).toEqual([{ action: 'webhook.disabled', actor_type: 'system', target_id: ep.id }]);
    const metrics = await registry.metrics();
    expect(metrics).toMatch(/roster_webhook_deliveries_total\{outcome="given_up"\} 1/);
    expect(metrics).toMatch(/roster_webhook_queue_depth \d+/);
  });

  it("after a failure, the endpoint's other deliveries wait for its retry: no burst at a dead endpoint", async () => {
    const org = await newOrg();
    const r = await receiver();
    const ep = await endpoint(org.id, r);
    r.respond = (_received, res) => res.writeHead(500).end();
    dispatcher({ retry: { baseMs: 60_000 } });
    await emit(org.id, ...Array.from({ length: 10 }, () => 'member.updated' as const));
    await r.waitFor(() => r.received.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(r.received.length).toBe(1);
    const deliveries = await listDeliveries(handle.db, org.id, ep.id, { limit: 20 });
    expect(deliveries.filter((d) => d.attempts > 0).map((d) => d.event_sequence)).toEqual([
      Math.min(...deliveries.map((d) => d.event_sequence)),
    ]);
    expect(
      deliveries.every((d) => d.state === 'pending' && d.next_attempt_at.getTime() > Date.now() + 20_000),
    ).toBe(true);
  });

  it('two dispatchers on one database deliver each event once', async () => {
    const org = await newOrg();
    const r = await receiver();
    await endpoint(org.id, r);
    dispatcher({ batchSize: 3 });
    dispatcher({ batchSize: 3 });
    const sent = await emit(org.id, ...Array.from({ length: 40 }, () => 'member.updated' as const));
    await r.waitFor(() => r.verifiedIds().size === 40, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(r.received.length).toBe(40);
    expect([...r.verifiedIds()].sort()).toEqual(sent.map((e) => e.id).sort());
  });

  it("a dead process's lease expires and another process delivers", async () => {
    const org = await newOrg();
    const r = await receiver();
    const ep = await endpoint(org.id, r);
    await emit(org.id, 'member.created');
    // Scheduled, then claimed by a process that dies at once: its lease runs 1.5 s.
    const scheduler = new WebhookDispatcher({ db: handle.db, secretKey, development: true, logger: quiet });
    await scheduler.schedule(org.id);
    await sql`update webhook_deliveries set lease_expires_at = now() + interval '1500 milliseconds'
      where org_id = ${org.id} and endpoint_id = ${ep.id}`.execute(handle.db);
    const leasedAt = Date.now();
    dispatcher();
    await r.waitFor(() => r.received.length === 1, 8_000);
    expect((r.received[0]?.at ?? 0) - leasedAt).toBeGreaterThanOrEqual(1_300);
  });

  it('redelivers one event, and replays from a sequence number', async () => {
    const org = await newOrg();
    const r = await receiver();
    const ep = await endpoint(org.id, r);
    dispatcher();
    const sent = await emit(org.id, 'member.created', 'member.updated', 'member.deleted');
    await r.waitFor(() => r.received.length === 3);
    expect(await redeliverEvent(handle.db, org.id, ep.id, sent[0]?.sequence as number)).toBeTypeOf('number');
    expect(await redeliverEvent(handle.db, org.id, ep.id, 999_999)).toBeUndefined();
    await r.waitFor(() => r.received.length === 4);
    expect(r.received[3]?.id).toBe(sent[0]?.id);
    expect(await replayFrom(handle.db, org.id, ep.id, sent[1]?.sequence as number)).toBe(true);
    await r.waitFor(() => r.received.length === 6);
    expect(r.received.slice(4).map((x) => x.id)).toEqual([sent[1]?.id, sent[2]?.id]);
  });

  it('outside development, refuses a private address and records why', async () => {
    const org = await newOrg();
    const r = await receiver();
    const ep = await endpoint(org.id, r);
    dispatcher({ development: false, retry: { baseMs: 60_000 } });
    await emit(org.id, 'member.created');
    const until = Date.now() + 5_000;
    let deliveries = await listDeliveries(handle.db, org.id, ep.id, { limit: 10 });
    while (Date.now() < until && (deliveries[0]?.attemptRows.length ?? 0) === 0) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      deliveries = await listDeliveries(handle.db, org.id, ep.id, { limit: 10 });
    }
    expect(deliveries[0]?.attemptRows[0]).toMatchObject({ status_code: null });
    expect(deliveries[0]?.attemptRows[0]?.error).toMatch(/https only|not a public address/);
    expect(r.received).toEqual([]);
  });

  it('shutdown releases claimed deliveries it has not sent', async () => {
    const org = await newOrg();
    const r = await receiver();
    const ep = await endpoint(org.id, r);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    r.respond = (_received, res) => void held.then(() => res.writeHead(204).end());
    const d = dispatcher({ batchSize: 10 });
    await emit(org.id, 'member.created', 'member.updated', 'member.deleted');
    await r.waitFor(() => r.received.length === 1);
    const closing = d.close();
    release();
    await closing;
    const rows = await handle.db
      .selectFrom('webhook_deliveries')
      .select(['state', 'lease_expires_at'])
      .where('org_id', '=', org.id)
      .where('endpoint_id', '=', ep.id)
      .orderBy('event_sequence')
      .execute();
    expect(rows).toEqual([
      { state: 'delivered', lease_expires_at: null },
      { state: 'pending', lease_expires_at: null },
      { state: 'pending', lease_expires_at: null },
    ]);
  });
});

describe('webhook delivery (embedded PGlite)', () => {
  it('delivers signed events in order', async () => {
    const handle = await openDatabase({ url: undefined, dataDir: 'memory://' });
    const r = await new Receiver().start();
    r.secret = newSigningSecret();
    const d = new WebhookDispatcher({
      db: handle.db,
      secretKey,
      development: true,
      logger: quiet,
      pollIntervalMs: 50,
    });
    try {
      const org = await createOrganization(handle.db, { slug: 'pglite-hooks' });
      await createEndpoint(handle.db, org.id, {
        url: r.url,
        description: '',
        eventTypes: [],
        enabled: true,
        secretSealed: sealSigningSecret(r.secret, secretKey),
      });
      d.start();
      const sent = await appendEvents(handle.db, org.id, [
        { type: 'member.created', actor: { type: 'system', id: 't' }, data: { id: 'a' } },
        { type: 'member.deleted', actor: { type: 'system', id: 't' }, data: { id: 'a' } },
      ]);
      await r.waitFor(() => r.received.length === 2);
      expect(r.received.every((x) => x.verified)).toBe(true);
      expect(r.received.map((x) => x.id)).toEqual(sent.map((e) => e.id));
      expect(r.received[1]?.body.data).toEqual({ id: 'a' });
    } finally {
      await d.close();
      await r.stop();
      await handle.close();
    }
  });
});
