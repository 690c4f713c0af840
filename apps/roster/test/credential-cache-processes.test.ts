/**
 * The credential cache across two Roster processes as production runs them (the built
 * apps/roster/dist/main.js, default settings, one database): a key revoked through one is refused
 * by the other, and killing their notification connections empties their caches without a wrong
 * answer. credential-cache.test.ts covers each kind of change in process, with two servers.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DatabaseHandle, LISTENER_APPLICATION_NAME, openDatabase } from '@roster/db';
import { createFirstManager, createScimKey } from '@roster/directory/api-keys';
import { enableScimProvisioning } from '@roster/directory/identity';
import { createOrganization } from '@roster/directory/organizations';
import { RosterProcess } from '@roster/testkit/roster-process';
import type {} from '@roster/testkit/vitest-global-setup';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

let handle: DatabaseHandle;
let a: RosterProcess;
let b: RosterProcess;
beforeAll(async () => {
  if (!existsSync(MAIN)) {
    throw new Error('Build Roster first: node scripts/pnpm.mjs turbo run build --filter=@roster/roster...');
  }
  handle = await openDatabase({ url: inject('databaseUrl') });
  const workDir = await mkdtemp(join(tmpdir(), 'roster-cache-'));
  const common = {
    main: MAIN,
    databaseUrl: inject('databaseUrl'),
    secretKey: randomBytes(32).toString('base64'),
    workDir,
  };
  [a, b] = await Promise.all([
    RosterProcess.start({ ...common, name: 'a' }),
    RosterProcess.start({ ...common, name: 'b' }),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([a?.kill('SIGTERM'), b?.kill('SIGTERM')]);
  await handle?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function waitFor(condition: () => Promise<boolean>, deadlineMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > deadlineMs) throw new Error(`condition not met in ${deadlineMs} ms`);
    await sleep(20);
  }
}

async function cacheEvents(server: RosterProcess, event: string): Promise<number> {
  const text = await (await fetch(`${server.origin}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`roster_credential_cache_events_total{event="${event}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

async function customer() {
  const slug = `procs-${randomUUID().slice(0, 8)}`;
  const org = await createOrganization(handle.db, { slug });
  await enableScimProvisioning(handle.db, org.id);
  const scimToken = await createScimKey(handle.db, org.id, 'idp');
  const { token: managerToken } = await createFirstManager(handle.db, org.id, `admin@${slug}.example`);
  return { orgId: org.id, slug, scimToken, keyId: scimToken.slice(4, scimToken.indexOf('.')), managerToken };
}
type Customer = Awaited<ReturnType<typeof customer>>;

const scim = async (server: RosterProcess, c: Customer) =>
  (
    await fetch(`${server.origin}/scim/v2/${c.slug}/Users?count=1`, {
      headers: { Authorization: `Bearer ${c.scimToken}` },
    })
  ).status;

/** The process answers this customer's requests from its cache (a request counted as a hit). */
async function warm(server: RosterProcess, c: Customer): Promise<void> {
  await waitFor(async () => {
    const hits = await cacheEvents(server, 'hit');
    expect(await scim(server, c)).toBe(200);
    return (await cacheEvents(server, 'hit')) > hits;
  });
}

it('a key revoked through process A is refused by process B once B has the notification', async () => {
  const c = await customer();
  await warm(b, c);
  const before = await cacheEvents(b, 'invalidation');
  const revoked = await fetch(`${a.origin}/api/v1/orgs/${c.slug}/api-keys/${c.keyId}`, {
    method: 'DELETE',
    headers: { Authorization: `Bearer ${c.managerToken}` },
  });
  expect(revoked.status).toBe(204);
  await waitFor(async () => (await cacheEvents(b, 'invalidation')) > before);
  expect(await scim(b, c)).toBe(401);
  expect(await scim(a, c)).toBe(401);
});

it('notification connections killed: both caches emptied, every answer still right, caching again once they listen', async () => {
  const c = await customer();
  await Promise.all([warm(a, c), warm(b, c)]);
  const [resetsA, resetsB] = await Promise.all([cacheEvents(a, 'reset'), cacheEvents(b, 'reset')]);
  await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${LISTENER_APPLICATION_NAME}`.execute(
    handle.db,
  );
  await waitFor(
    async () => (await cacheEvents(a, 'reset')) > resetsA && (await cacheEvents(b, 'reset')) > resetsB,
  );
  // Revoked with no notification at all: only an emptied cache can see it.
  await sql`update api_keys set revoked_at = now() where org_id = ${c.orgId} and id = ${c.keyId}`.execute(
    handle.db,
  );
  expect(await scim(a, c)).toBe(401);
  expect(await scim(b, c)).toBe(401);
  const fresh = { ...c, scimToken: await createScimKey(handle.db, c.orgId, 'idp 2') };
  await Promise.all([warm(a, fresh), warm(b, fresh)]);
});
