/**
 * Webhook endpoints through the portal API: create (the secret once, sealed at rest), list, get,
 * update, delete, rotate; managers only; audited without the secret; URLs under the egress rules;
 * deliveries with their attempts, redelivery and replay, against a receiver verifying with
 * `standardwebhooks`.
 */
import { ephemeralSecretKey } from '@roster/auth/secret-box';
import { appendEvents } from '@roster/events';
import { WebhookDispatcher } from '@roster/webhooks';
import { Receiver } from '@roster/webhooks/testing/receiver';
import { afterEach, describe, expect, it } from 'vitest';
import { usePortal } from './harness.js';

describe('webhook endpoints (development)', () => {
  const portal = usePortal({ development: true });
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  });

  it('creates an endpoint showing its whsec_ secret once, stored sealed; lists, gets, updates and deletes it, audited', async () => {
    const org = await portal().newOrg();
    const created = await org.manager.call('POST', `/orgs/${org.slug}/webhooks`, {
      url: 'http://127.0.0.1:9/hook',
      description: 'product sessions',
      eventTypes: ['member.deactivated', 'member.deleted'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      url: 'http://127.0.0.1:9/hook',
      description: 'product sessions',
      eventTypes: ['member.deactivated', 'member.deleted'],
      enabled: true,
      disabledReason: null,
    });
    const secret = created.body.secret as string;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const id = created.body.id as string;

    const stored = await portal()
      .handle.db.selectFrom('webhook_endpoints')
      .select('secret_sealed')
      .where('org_id', '=', org.id)
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.secret_sealed).toMatch(/^v2\./);
    expect(stored.secret_sealed).not.toContain(secret.slice(6));

    const listed = await org.manager.call('GET', `/orgs/${org.slug}/webhooks`);
    expect(listed.body.webhooks.map((w: { id: string }) => w.id)).toEqual([id]);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    const got = await org.manager.call('GET', `/orgs/${org.slug}/webhooks/${id}`);
    expect(got.status).toBe(200);
    expect(got.body.secret).toBeUndefined();

    const updated = await org.manager.call('PATCH', `/orgs/${org.slug}/webhooks/${id}`, {
      eventTypes: [],
      enabled: false,
    });
    expect(updated.body).toMatchObject({
      eventTypes: [],
      enabled: false,
      disabledReason: 'disabled by a manager',
    });

    const rotated = await org.manager.call('POST', `/orgs/${org.slug}/webhooks/${id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(secret);

    expect((await org.manager.call('DELETE', `/orgs/${org.slug}/webhooks/${id}`)).status).toBe(204);
    expect((await org.manager.call('GET', `/orgs/${org.slug}/webhooks/${id}`)).status).toBe(404);

    const audit = await org.manager.call('GET', `/orgs/${org.slug}/audit-events?targetType=webhook`);
    expect(audit.body.events.map((e: { action: string }) => e.action).sort()).toEqual([
      'webhook.created',
      'webhook.deleted',
      'webhook.secret_rotated',
      'webhook.updated',
    ]);
    expect(JSON.stringify(audit.body)).not.toContain(secret.slice(6));
    expect(JSON.stringify(audit.body)).not.toContain(rotated.body.secret.slice(6));
  });

  it('refuses bad input with 400 and the portal error body, and basic members with 403', async () => {
    const org = await portal().newOrg();
    const base = `/orgs/${org.slug}/webhooks`;
    for (const body of [
      { url: 'not a url' },
      { url: 'ftp://example.com/hook' },
      { url: 'https://user:pass@example.com/hook' },
      { url: 'https://example.com/hook', eventTypes: ['member.exploded'] },
      { url: 'https://example.com/hook', secret: 'whsec_mine' },
    ]) {
      const res = await org.manager.call('POST', base, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    const basic = await org.addMember('basic');
    expect((await basic.call('GET', base)).status).toBe(403);
    expect((await basic.call('POST', base, { url: 'https://example.com/hook' })).status).toBe(403);
    expect((await org.manager.call('GET', `${base}/not-a-uuid`)).status).toBe(400);
    expect((await org.manager.call('GET', `${base}/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });

  it('lists deliveries with every attempt, redelivers one event and replays from a sequence', async () => {
    const org = await portal().newOrg();
    const receiver = await new Receiver().start();
    stops.push(() => receiver.stop());
    let failFirst = true;
    receiver.respond = (_received, res) => {
      if (failFirst) {
        failFirst = false;
        res.writeHead(503, { 'retry-after': '0' }).end('try again');
      } else res.writeHead(200).end();
    };
    const created = await org.manager.call('POST', `/orgs/${org.slug}/webhooks`, { url: receiver.url });
    receiver.secret = created.body.secret;
    const id = created.body.id as string;
    const dispatcher = new WebhookDispatcher({
      db: portal().handle.db,
      secretKey: ephemeralSecretKey(),
      development: true,
      logger: { warn: () => undefined, info: () => undefined },
      pollIntervalMs: 50,
    });
    dispatcher.start();
    stops.push(() => dispatcher.close());
    const events = await appendEvents(
      portal().handle.db,
      org.id,
      ['member.created', 'member.updated', 'member.deleted'].map((type) => ({
        type: type as 'member.created',
        actor: { type: 'system' as const, id: 'test' },
        data: { id: type },
      })),
    );
    await receiver.waitFor(() => receiver.verifiedIds().size === 3);

    const page1 = await org.manager.call('GET', `/orgs/${org.slug}/webhooks/${id}/deliveries?limit=2`);
    expect(page1.status).toBe(200);
    expect(page1.body.deliveries.map((d: { sequence: number }) => d.sequence)).toEqual([
      events[2]?.sequence,
      events[1]?.sequence,
    ]);
    const page2 = await org.manager.call(
      'GET',
      `/orgs/${org.slug}/webhooks/${id}/deliveries?limit=2&cursor=${page1.body.nextCursor}`,
    );
    expect(page2.body.nextCursor).toBeNull();
    const [first] = page2.body.deliveries;
    expect(first).toMatchObject({ eventId: events[0]?.id, eventType: 'member.created', state: 'delivered' });
    expect(
      first.attempts.map((a: { statusCode: number; error: string | null }) => [a.statusCode, a.error]),
    ).toEqual([
      [503, 'HTTP 503'],
      [200, null],
    ]);
    expect(first.attempts[0].responsePrefix).toBe('try again');

    const again = await org.manager.call('POST', `/orgs/${org.slug}/webhooks/${id}/redeliver`, {
      sequence: events[1]?.sequence,
    });
    expect(again.status).toBe(202);
    expect(
      (await org.manager.call('POST', `/orgs/${org.slug}/webhooks/${id}/redeliver`, { sequence: 99_999 }))
        .status,
    ).toBe(404);
    await receiver.waitFor(() => receiver.received.filter((r) => r.id === events[1]?.id).length === 2);

    const replay = await org.manager.call('POST', `/orgs/${org.slug}/webhooks/${id}/replay`, {
      fromSequence: events[0]?.sequence,
    });
    expect(replay.status).toBe(202);
    expect(replay.body).toEqual({ fromSequence: events[0]?.sequence });
    await receiver.waitFor(() => receiver.received.filter((r) => r.verified).length >= 7);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
  });
});

describe('webhook endpoints (production rules)', () => {
  const portal = usePortal();

  it('refuses plain http, loopback, private and metadata addresses', async () => {
    const org = await portal().newOrg();
    for (const url of [
      'http://example.com/hook',
      'https://127.0.0.1/hook',
      'https://10.0.0.5/hook',
      'https://[::1]/hook',
      'https://169.254.169.254/latest',
      'https://metadata.google.internal/hook',
    ]) {
      const res = await org.manager.call('POST', `/orgs/${org.slug}/webhooks`, { url });
      expect(res.status, url).toBe(400);
      expect(res.body.error.message).toMatch(/not allowed/);
    }
    expect(
      (
        await org.manager.call('POST', `/orgs/${org.slug}/webhooks`, {
          url: 'https://hooks.example.com/roster',
        })
      ).status,
    ).toBe(201);
  });
});
