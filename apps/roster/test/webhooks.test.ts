/**
 * Webhooks end to end on two Roster servers on one PostgreSQL (two processes' worth of delivery
 * workers): a manager creates an endpoint through the portal, an identity provider's SCIM changes
 * through both servers arrive at a receiver verifying with `standardwebhooks`, each once, in
 * sequence order; the other organization's changes never arrive; /metrics counts the deliveries.
 */
import { randomUUID } from 'node:crypto';
import { createFirstManager, createScimKey } from '@roster/directory/api-keys';
import { enableScimProvisioning } from '@roster/directory/identity';
import { createOrganization } from '@roster/directory/organizations';
import type {} from '@roster/testkit/vitest-global-setup';
import { Receiver } from '@roster/webhooks/testing/receiver';
import { expect, it } from 'vitest';
import { startComposedServer } from './composed-server.js';

/** A Roster server on the test database; the receiver is on the loopback interface, which development allows. */
const start = () =>
  startComposedServer({
    secret: Buffer.alloc(32, 9).toString('base64'),
    env: {
      ROSTER_ENV: 'development',
      SCIM_RATE_LIMIT_PER_CREDENTIAL: '0',
      SCIM_RATE_LIMIT_PER_ORGANIZATION: '0',
    },
  });

const call = async (url: string, token: string, method = 'GET', body?: unknown) => {
  const res = await fetch(url, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any, text };
};

async function newOrg(db: Awaited<ReturnType<typeof start>>['handle']['db']) {
  const slug = `hooks-${randomUUID().slice(0, 8)}`;
  const org = await createOrganization(db, { slug, plan: 'enterprise' });
  const { token: manager } = await createFirstManager(db, org.id, `admin@${slug}.example.com`);
  await enableScimProvisioning(db, org.id);
  const scim = await createScimKey(db, org.id, 'entra');
  return { ...org, manager, scim };
}

it("delivers an identity provider's changes through two servers once each, verified, to its organization's endpoint only", async () => {
  const a = await start();
  const b = await start();
  const receiver = await new Receiver().start();
  const other = await new Receiver().start();
  try {
    const org = await newOrg(a.handle.db);
    const otherOrg = await newOrg(a.handle.db);
    const created = await call(`${a.origin}/api/v1/orgs/${org.slug}/webhooks`, org.manager, 'POST', {
      url: receiver.url,
    });
    expect(created.status).toBe(201);
    receiver.secret = created.body.secret;
    const otherCreated = await call(
      `${b.origin}/api/v1/orgs/${otherOrg.slug}/webhooks`,
      otherOrg.manager,
      'POST',
      {
        url: other.url,
      },
    );
    other.secret = otherCreated.body.secret;

    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const server = i % 2 === 0 ? a : b;
      const user = await call(`${server.origin}/scim/v2/${org.slug}/Users`, org.scim, 'POST', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: `u${i}@${org.slug}.example.com`,
        active: true,
      });
      expect(user.status, user.text).toBe(201);
      ids.push(user.body.id);
    }
    const deactivated = await call(`${b.origin}/scim/v2/${org.slug}/Users/${ids[0]}`, org.scim, 'PATCH', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    });
    expect([200, 204], deactivated.text).toContain(deactivated.status);
    const otherUser = await call(`${a.origin}/scim/v2/${otherOrg.slug}/Users`, otherOrg.scim, 'POST', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: `someone@${otherOrg.slug}.example.com`,
    });
    expect(otherUser.status).toBe(201);

    await receiver.waitFor(() =>
      receiver.received.some((r) => r.body.type === 'member.deactivated' && r.body.data.id === ids[0]),
    );
    await other.waitFor(() => other.received.length >= 1);
    // Let any duplicate arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    expect(receiver.received.every((r) => r.body.organizationId === org.id)).toBe(true);
    expect(new Set(receiver.received.map((r) => r.id)).size, 'each event once').toBe(
      receiver.received.length,
    );
    const sequences = receiver.received.map((r) => r.body.sequence).sort((x, y) => x - y);
    expect(sequences).toEqual(Array.from({ length: sequences.length }, (_, i) => (sequences[0] ?? 0) + i));
    const created6 = receiver.received
      .filter((r) => r.body.type === 'member.created')
      .map((r) => r.body.data.id);
    expect(new Set(created6)).toEqual(new Set(ids));
    expect(other.received.every((r) => r.verified && r.body.organizationId === otherOrg.id)).toBe(true);
    expect(other.received.some((r) => ids.includes(String(r.body.data.id)))).toBe(false);

    const metrics = await fetch(`${a.origin}/metrics`).then((res) => res.text());
    expect(metrics).toMatch(/roster_webhook_deliveries_total\{outcome="delivered"\} \d+/);
    expect(metrics).toMatch(/roster_webhook_queue_depth 0/);
  } finally {
    for (const server of [a, b]) {
      await server.drain();
      await server.handle.close();
    }
    await receiver.stop();
    await other.stop();
  }
});
