/**
 * Provisioning health end to end on two composed servers on one PostgreSQL (two
 * processes' worth of writers): an identity provider's requests through both are all recorded,
 * drain() writes what is still queued, and the portal's health answer shows a refused
 * organization as failing with the fix.
 */

import { randomUUID } from 'node:crypto';
import { createFirstManager, createScimKey } from '@roster/directory/api-keys';
import { enableScimProvisioning, getIdentityConfig, saveIdentityConfig } from '@roster/directory/identity';
import { createOrganization } from '@roster/directory/organizations';
import type {} from '@roster/testkit/vitest-global-setup';
import { expect, it } from 'vitest';
import { startComposedServer } from './composed-server.js';

const start = () =>
  startComposedServer({
    secret: Buffer.alloc(32, 7).toString('base64'),
    env: { SCIM_RATE_LIMIT_PER_CREDENTIAL: '0', SCIM_RATE_LIMIT_PER_ORGANIZATION: '0' },
  });

const call = async (url: string, token: string, method = 'GET', body?: unknown) => {
  const res = await fetch(url, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      'User-Agent': 'Azure AD provisioning',
      ...(body ? { 'Content-Type': 'application/scim+json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
  return { status: res.status, body: (await res.json()) as any };
};

it('records every request of two processes, writes the queued ones on drain, and shows a refused organization failing with its fix', async () => {
  const a = await start();
  const b = await start();
  const db = a.handle.db;
  const slug = `health-${randomUUID().slice(0, 8)}`;
  const org = await createOrganization(db, { slug, plan: 'enterprise' });
  const { token: managerToken } = await createFirstManager(db, org.id, `admin@${slug}.example.com`);
  await enableScimProvisioning(db, org.id);
  const scimKey = await createScimKey(db, org.id, 'entra');
  await saveIdentityConfig(db, org.id, { ...(await getIdentityConfig(db, org.id)), syncGroups: false });

  // Users succeed through both servers; every group request is refused (group sync is off).
  for (let i = 0; i < 5; i++) {
    for (const server of [a, b]) {
      const user = await call(`${server.origin}/scim/v2/${slug}/Users`, scimKey, 'POST', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: `u${i}-${server.origin.slice(-5)}@${slug}.example.com`,
      });
      expect(user.status).toBe(201);
      for (let j = 0; j < 3; j++) {
        const group = await call(`${server.origin}/scim/v2/${slug}/Groups`, scimKey, 'POST', {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
          displayName: `g${i}${j}`,
        });
        expect(group.status).toBe(403);
      }
    }
  }
  // Drained at once, before the writers' timers: nothing queued is lost.
  await Promise.all([b.drain(), a.drain()]);
  await b.handle.close();
  const rows = await db
    .selectFrom('provisioning_activity')
    .select(['status', 'idp'])
    .where('org_id', '=', org.id)
    .execute();
  expect(rows).toHaveLength(40);
  expect(rows.filter((r) => r.status === 403)).toHaveLength(30);
  expect(new Set(rows.map((r) => r.idp))).toEqual(new Set(['entra']));

  const c = await start();
  try {
    const health = await call(`${c.origin}/api/v1/orgs/${slug}/provisioning/health`, managerToken);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      state: 'failing',
      lastHour: { requests: 40, failures: 30 },
      recording: { enabled: true, dropped: 0 },
    });
    expect(health.body.failureKinds[0]).toMatchObject({ status: 403, count: 30 });
    expect(health.body.failureKinds[0].hint).toMatch(/Sync SCIM groups/);
  } finally {
    await c.drain();
    await c.handle.close();
    await a.handle.close();
  }
});
