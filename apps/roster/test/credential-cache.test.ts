/**
 * The credential cache across two Roster servers on one database, each with its own connections,
 * cache and notification connection, as two processes have (docs/security.md#the-credential-cache):
 * a change made through one reaches the other's cache, and losing the notification connection
 * empties the cache.
 *
 * The window: B drops its entries when the notification of A's commit reaches B, a delivery that
 * follows the commit and is not ordered with B's own requests. Each test waits for B to count that
 * invalidation (its /metrics) and then asserts B's next request; that makes them exact, not timed.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { LISTENER_APPLICATION_NAME, openDatabase } from '@roster/db';
import {
  createApiKey,
  createFirstManager,
  createPortalKey,
  createScimKey,
  revokeApiKey,
} from '@roster/directory/api-keys';
import { enableScimProvisioning } from '@roster/directory/identity';
import { createOrganization, updateOrganization } from '@roster/directory/organizations';
import { loadConfig } from '@roster/scim-server/bootstrap';
import {
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  sql,
  type UnknownRow,
} from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRosterServer } from '../src/server.js';
import { type ComposedServer, startComposedServer } from './composed-server.js';

const CREDENTIAL_TABLES = [
  'organizations',
  'identity_configs',
  'api_keys',
  'oauth_client_secrets',
  'oauth_refresh_tokens',
];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ENV = {
  SCIM_RATE_LIMIT_PER_CREDENTIAL: '0',
  SCIM_RATE_LIMIT_PER_ORGANIZATION: '0',
  OAUTH_RATE_LIMIT_PER_CLIENT: '0',
  OAUTH_RATE_LIMIT_PER_ORGANIZATION: '0',
  PORTAL_RATE_LIMIT_PER_CREDENTIAL: '0',
  PORTAL_RATE_LIMIT_PER_ORGANIZATION: '0',
};

let a: ComposedServer;
let b: ComposedServer;
beforeAll(async () => {
  [a, b] = await Promise.all([
    startComposedServer({ cacheCredentials: true, env: ENV }),
    startComposedServer({ cacheCredentials: true, env: ENV }),
  ]);
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

async function waitFor(condition: () => Promise<boolean>, deadlineMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > deadlineMs) throw new Error(`condition not met in ${deadlineMs} ms`);
    await sleep(20);
  }
}

/** The server's count of one cache event (/metrics). */
async function cacheEvents(server: ComposedServer, event: string): Promise<number> {
  const text = await (await fetch(`${server.origin}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`roster_credential_cache_events_total{event="${event}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

interface Customer {
  orgId: string;
  slug: string;
  scimToken: string;
  scimKeyId: string;
  managerToken: string;
}

/** An organization provisioning with the HTTP Header method, a SCIM key, and a manager's portal key. */
async function customer(db = a.handle.db): Promise<Customer> {
  const slug = `cache-${randomUUID().slice(0, 8)}`;
  const org = await createOrganization(db, { slug });
  await enableScimProvisioning(db, org.id);
  const scimToken = await createScimKey(db, org.id, 'idp');
  const { token: managerToken } = await createFirstManager(db, org.id, `admin@${slug}.example`);
  return {
    orgId: org.id,
    slug,
    scimToken,
    scimKeyId: scimToken.slice('rsk_'.length, scimToken.indexOf('.')),
    managerToken,
  };
}

async function scim(server: ComposedServer, c: Customer, token = c.scimToken) {
  const res = await fetch(`${server.origin}/scim/v2/${c.slug}/Users?count=1`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return { status: res.status, body: (await res.json()) as { detail?: string } };
}

async function portal(server: ComposedServer, c: Customer, method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.origin}/api/v1/orgs/${c.slug}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${c.managerToken}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** B answers from its cache for this token: a request counted as a hit. */
async function warm(server: ComposedServer, c: Customer, token = c.scimToken): Promise<void> {
  await waitFor(async () => {
    const hits = await cacheEvents(server, 'hit');
    expect((await scim(server, c, token)).status).toBe(200);
    return (await cacheEvents(server, 'hit')) > hits;
  });
}

/** Runs `change`, then waits until `server` has received an invalidation after it. */
async function invalidatedBy(server: ComposedServer, change: () => Promise<unknown>): Promise<void> {
  const before = await cacheEvents(server, 'invalidation');
  await change();
  await waitFor(async () => (await cacheEvents(server, 'invalidation')) > before);
}

const SETTINGS = {
  mode: 'identity_provider',
  scimEnabled: true,
  authMethod: 'http_header',
  provisionExistingUsers: false,
  syncGroups: true,
};

describe('a warm lookup', () => {
  it('makes no query of the credential tables (organizations, identity_configs, api_keys, OAuth records)', async () => {
    const queried: string[] = [];
    const counting: KyselyPlugin = {
      transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
        const text = JSON.stringify(args.node);
        for (const table of CREDENTIAL_TABLES) if (text.includes(`"name":"${table}"`)) queried.push(table);
        return args.node;
      },
      transformResult: async (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> =>
        args.result,
    };
    const config = loadConfig({
      ...ENV,
      ROSTER_ACTIVITY_RECORDING: 'false',
      DATABASE_URL: inject('databaseUrl'),
    });
    const server = createRosterServer({
      db: a.handle.db.withPlugin(counting),
      config,
      logger: pino({ level: 'silent' }),
      secretKey: Buffer.alloc(32, 5),
      listen: a.handle.listen,
    });
    server.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const counted = {
      origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      handle: a.handle,
      close: async () => {},
    };
    try {
      const c = await customer();
      await warm(counted, c);
      queried.length = 0;
      expect((await scim(counted, c)).status).toBe(200);
      expect(queried).toEqual([]);
      // The same request after an invalidation reads them again (what the count would catch).
      await invalidatedBy(counted, () =>
        sql`select pg_notify('roster_cache', ${c.orgId})`.execute(a.handle.db),
      );
      expect((await scim(counted, c)).status).toBe(200);
      expect(queried).toEqual(expect.arrayContaining(['organizations', 'api_keys']));
    } finally {
      await server.drain();
    }
  });
});

describe('a change through one process reaches the cache of another', () => {
  it('a change written without its notification is not seen by a warm cache (why every writer notifies)', async () => {
    const c = await customer();
    await warm(b, c);
    await sql`update api_keys set revoked_at = now() where org_id = ${c.orgId} and id = ${c.scimKeyId}`.execute(
      a.handle.db,
    );
    const misses = await cacheEvents(b, 'miss');
    expect((await scim(b, c)).status).toBe(200);
    expect(await cacheEvents(b, 'miss')).toBe(misses);
    // The notification every writer sends empties B's entries of the organization.
    await invalidatedBy(b, () => sql`select pg_notify('roster_cache', ${c.orgId})`.execute(a.handle.db));
    expect((await scim(b, c)).status).toBe(401);
  });

  it('a key revoked through A fails on B', async () => {
    const c = await customer();
    await warm(b, c);
    await invalidatedBy(b, async () => {
      expect((await portal(a, c, 'DELETE', `/api-keys/${c.scimKeyId}`)).status).toBe(204);
    });
    const refused = await scim(b, c);
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toMatch(/revoked/);
  });

  it('SCIM turned off, then the HTTP Header method replaced, through A: refused on B', async () => {
    const c = await customer();
    await warm(b, c);
    await invalidatedBy(b, async () => {
      const saved = await portal(a, c, 'PUT', '/identity/provisioning', { ...SETTINGS, scimEnabled: false });
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    });
    expect((await scim(b, c)).status).toBe(403);

    await invalidatedBy(b, () => portal(a, c, 'PUT', '/identity/provisioning', SETTINGS));
    await warm(b, c);
    await invalidatedBy(b, async () => {
      const saved = await portal(a, c, 'PUT', '/identity/provisioning', {
        ...SETTINGS,
        authMethod: 'oauth2',
      });
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    });
    const refused = await scim(b, c);
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toMatch(/OAuth 2\.0/);
  });

  it('a plan change (the operator CLI writes it with updateOrganization, from a third connection): refused on B', async () => {
    const c = await customer();
    await warm(b, c);
    await invalidatedBy(b, () => updateOrganization(a.handle.db, c.orgId, { plan: 'team' }));
    const refused = await scim(b, c);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/Enterprise/);
  });

  it("an access token B has cached stops working on B when the client's secrets are rotated through A", async () => {
    const c = await customer();
    const saved = await portal(a, c, 'PUT', '/identity/provisioning', { ...SETTINGS, authMethod: 'oauth2' });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const { tokenEndpoint, clientId, clientSecret } = saved.body.oauth;
    const issued = await fetch(tokenEndpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
        scope: 'scim',
      }),
    });
    expect(issued.status).toBe(200);
    const accessToken = ((await issued.json()) as { access_token: string }).access_token;
    await warm(b, c, accessToken);
    await invalidatedBy(b, () => portal(a, c, 'POST', '/identity/provisioning/oauth-client-secret'));
    const refused = await scim(b, c, accessToken);
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toMatch(/revoked or rotated/);
  });
});

describe('what needs no notification', () => {
  it("a cached key's expiry is checked on every request", async () => {
    const c = await customer();
    const created = await createApiKey(a.handle.db, {
      orgId: c.orgId,
      kind: 'system',
      name: 'short-lived',
      scopes: ['scim'],
      expiresAt: new Date(Date.now() + 1_500),
    });
    await warm(b, c, created.token);
    const misses = await cacheEvents(b, 'miss');
    await sleep(Math.max(0, created.row.expires_at?.getTime() ?? 0) - Date.now() + 50);
    const refused = await scim(b, c, created.token);
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toMatch(/expired/);
    expect(await cacheEvents(b, 'miss')).toBe(misses);
  });

  it('a member deactivated by the identity provider through A: their personal key fails on B at once (the portal reads the member on every request)', async () => {
    const c = await customer();
    const created = await fetch(`${a.origin}/scim/v2/${c.slug}/Users`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${c.scimToken}`, 'Content-Type': 'application/scim+json' },
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: `dev@${c.slug}.example`,
        active: true,
      }),
    });
    expect(created.status).toBe(201);
    const memberId = ((await created.json()) as { id: string }).id;
    const personal = { ...c, managerToken: await createPortalKey(a.handle.db, c.orgId, memberId, 'laptop') };
    expect((await portal(b, personal, 'GET', '/members/me')).status).toBe(200);
    const deactivated = await fetch(`${a.origin}/scim/v2/${c.slug}/Users/${memberId}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${c.scimToken}`, 'Content-Type': 'application/scim+json' },
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'replace', path: 'active', value: false }],
      }),
    });
    expect([200, 204]).toContain(deactivated.status);
    const refused = await portal(b, personal, 'GET', '/members/me');
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toMatch(/deactivated/);
  });
});

describe('the notification connection', () => {
  it('killed (pg_terminate_backend): the cache is emptied and bypassed, and requests stay correct; used again once it listens', async () => {
    const c = await customer();
    await warm(b, c);
    const resets = await cacheEvents(b, 'reset');
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${LISTENER_APPLICATION_NAME}`.execute(
      a.handle.db,
    );
    await waitFor(async () => (await cacheEvents(b, 'reset')) > resets);
    // A change whose notification B may have missed: B reads the database again, so it is seen.
    await sql`update api_keys set revoked_at = now() where org_id = ${c.orgId} and id = ${c.scimKeyId}`.execute(
      a.handle.db,
    );
    expect((await scim(b, c)).status).toBe(401);
    // Reconnected (with backoff), the cache serves again.
    const fresh = { ...c, scimToken: await createScimKey(a.handle.db, c.orgId, 'idp 2') };
    await warm(b, fresh);
    await invalidatedBy(b, () =>
      revokeApiKey(a.handle.db, c.orgId, fresh.scimToken.slice(4, fresh.scimToken.indexOf('.'))),
    );
    expect((await scim(b, fresh)).status).toBe(401);
  });
});

describe('on the embedded database (PGlite)', () => {
  it('one process: the notification is delivered in process before the write returns, so the next request sees it', async () => {
    const handle = await openDatabase({ dataDir: 'memory://' });
    const server = createRosterServer({
      db: handle.db,
      config: loadConfig({ ...ENV, ROSTER_ENV: 'development' }),
      logger: pino({ level: 'silent' }),
      secretKey: Buffer.alloc(32, 5),
      listen: handle.listen,
    });
    server.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const embedded = {
      origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      handle,
      close: async () => {},
    };
    try {
      const c = await customer(handle.db);
      await warm(embedded, c);
      expect(await revokeApiKey(handle.db, c.orgId, c.scimKeyId)).toBe(true);
      expect((await scim(embedded, c)).status).toBe(401);
    } finally {
      await server.drain();
      await handle.close();
    }
  });
});
