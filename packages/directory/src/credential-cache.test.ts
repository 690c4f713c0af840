import { randomUUID } from 'node:crypto';
import { type DatabaseHandle, openDatabase, type StopListening } from '@roster/db';
import type {} from '@roster/testkit/vitest-global-setup';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApiKey, createFirstManager, revokeApiKey, revokeApiKeysNamed } from './api-keys.js';
import {
  CREDENTIAL_CHANNEL,
  CredentialCache,
  type CredentialCacheEvent,
  inTransaction,
  notifyCredentialChange,
} from './credential-cache.js';
import { enableScimProvisioning, getIdentityConfig, saveIdentityConfig } from './identity.js';
import {
  addClientSecret,
  exchangeAuthorizationCode,
  issueAuthorizationCode,
  revokeClientSecret,
  revokeClientSecrets,
  revokeRefreshTokens,
} from './oauth.js';
import { createOrganization, updateOrganization } from './organizations.js';
import { findOrganizationRoute, organizationResolver } from './tenant-routing.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const slug = () => `cc-${randomUUID().slice(0, 8)}`;

describe('the credential cache', () => {
  const value = (orgId: string, n = 1) => ({ orgId, n });

  it('goes to the database every time until it listens, and after the connection is lost', async () => {
    const cache = new CredentialCache();
    let loads = 0;
    const load = async () => {
      loads += 1;
      return value('o1');
    };
    await cache.lookup('k', (v) => v.orgId, load);
    await cache.lookup('k', (v) => v.orgId, load);
    expect(loads).toBe(2);
    cache.resume();
    await cache.lookup('k', (v) => v.orgId, load);
    await cache.lookup('k', (v) => v.orgId, load);
    expect(loads).toBe(3);
    cache.reset();
    expect(cache.size).toBe(0);
    await cache.lookup('k', (v) => v.orgId, load);
    await cache.lookup('k', (v) => v.orgId, load);
    expect(loads).toBe(5);
  });

  it("drops only the notified organization's entries, and counts hits, misses and invalidations", async () => {
    const events: CredentialCacheEvent[] = [];
    const cache = new CredentialCache({ onEvent: (event) => events.push(event) });
    cache.resume();
    await cache.lookup(
      'a',
      (v) => v.orgId,
      async () => value('o1'),
    );
    await cache.lookup(
      'b',
      (v) => v.orgId,
      async () => value('o2'),
    );
    await cache.lookup(
      'a',
      (v) => v.orgId,
      async () => value('o1', 2),
    );
    cache.invalidate('o1');
    expect(
      await cache.lookup(
        'a',
        (v) => v.orgId,
        async () => value('o1', 3),
      ),
    ).toEqual(value('o1', 3));
    expect(
      await cache.lookup(
        'b',
        (v) => v.orgId,
        async () => value('o2', 3),
      ),
    ).toEqual(value('o2', 1));
    expect(events).toEqual(['miss', 'miss', 'hit', 'invalidation', 'miss', 'hit']);
  });

  it('does not keep what a lookup read while a notification arrived (it may predate the change)', async () => {
    const cache = new CredentialCache();
    cache.resume();
    let release: () => void = () => {};
    const pending = cache.lookup(
      'a',
      (v) => v.orgId,
      () => new Promise<{ orgId: string; n: number }>((resolve) => (release = () => resolve(value('o1', 1)))),
    );
    cache.invalidate('o1');
    release();
    expect(await pending).toEqual(value('o1', 1));
    expect(
      await cache.lookup(
        'a',
        (v) => v.orgId,
        async () => value('o1', 2),
      ),
    ).toEqual(value('o1', 2));
  });

  it('does not keep what a lookup read while the connection was lost', async () => {
    const cache = new CredentialCache();
    cache.resume();
    let release: () => void = () => {};
    const pending = cache.lookup(
      'a',
      (v) => v.orgId,
      () => new Promise<{ orgId: string; n: number }>((resolve) => (release = () => resolve(value('o1', 1)))),
    );
    cache.reset();
    cache.resume();
    release();
    await pending;
    expect(cache.size).toBe(0);
  });

  it('reads an entry again after its maximum age, notification or not', async () => {
    const cache = new CredentialCache({ maxAgeMs: 30 });
    cache.resume();
    await cache.lookup(
      'a',
      (v) => v.orgId,
      async () => value('o1', 1),
    );
    await sleep(60);
    expect(
      await cache.lookup(
        'a',
        (v) => v.orgId,
        async () => value('o1', 2),
      ),
    ).toEqual(value('o1', 2));
  });

  it('keeps at most its maximum number of entries', async () => {
    const cache = new CredentialCache({ maxEntries: 2 });
    cache.resume();
    for (const key of ['a', 'b', 'c'])
      await cache.lookup(
        key,
        (v) => v.orgId,
        async () => value('o1'),
      );
    expect(cache.size).toBe(2);
  });

  it('does not keep "not found"', async () => {
    const cache = new CredentialCache();
    cache.resume();
    await cache.lookup(
      'a',
      () => 'o1',
      async () => undefined,
    );
    expect(cache.size).toBe(0);
  });
});

describe('on the database', () => {
  let handle: DatabaseHandle;
  let stop: StopListening;
  const heard: string[] = [];
  beforeAll(async () => {
    handle = await openDatabase({ url: inject('databaseUrl') });
    await new Promise<void>((resolve) => {
      stop = handle.listen(CREDENTIAL_CHANNEL, {
        onListening: resolve,
        onNotification: (payload) => heard.push(payload),
        onLost: () => {},
      });
    });
  });
  afterAll(async () => {
    await stop?.();
    await handle?.close();
  });

  /** Whether `orgId` was notified within a second of `change` returning. */
  async function notifies(orgId: string, change: () => Promise<unknown>): Promise<boolean> {
    heard.length = 0;
    await change();
    for (let waited = 0; waited < 1_000; waited += 10) {
      if (heard.includes(orgId)) return true;
      await sleep(10);
    }
    return false;
  }

  it('resolves a slug to the organization and its settings, with the cache or without', async () => {
    const org = await createOrganization(handle.db, { slug: slug(), plan: 'team' });
    expect(await findOrganizationRoute(handle.db, org.slug)).toMatchObject({
      orgId: org.id,
      orgSlug: org.slug,
      organization: { plan: 'team', scimEnabled: false, scimAuthMethod: 'http_header', rbacEnabled: false },
    });
    await enableScimProvisioning(handle.db, org.id);
    const cache = new CredentialCache();
    cache.resume();
    const resolve = organizationResolver(handle.db, cache);
    expect((await resolve(org.slug))?.organization).toMatchObject({
      scimEnabled: true,
      syncGroups: true,
      rbacEnabled: true,
      provisioningMode: 'identity_provider',
    });
    expect(await resolve('cc-no-such-org')).toBeUndefined();
  });

  it('every writer of what authentication reads notifies the organization at commit', async () => {
    const org = await createOrganization(handle.db, { slug: slug() });
    const named = await createApiKey(handle.db, {
      orgId: org.id,
      kind: 'system',
      name: 'demo x',
      scopes: ['scim'],
    });
    expect(await notifies(org.id, () => revokeApiKey(handle.db, org.id, named.row.id))).toBe(true);
    await createApiKey(handle.db, { orgId: org.id, kind: 'system', name: 'demo y', scopes: ['scim'] });
    expect(await notifies(org.id, () => revokeApiKeysNamed(handle.db, org.id, ['demo']))).toBe(true);
    expect(await notifies(org.id, () => updateOrganization(handle.db, org.id, { plan: 'team' }))).toBe(true);
    const config = await getIdentityConfig(handle.db, org.id);
    expect(
      await notifies(org.id, () =>
        saveIdentityConfig(handle.db, org.id, { ...config, scimAuthMethod: 'oauth2' }),
      ),
    ).toBe(true);
    let secretId = '';
    expect(
      await notifies(org.id, async () => {
        secretId = (await addClientSecret(handle.db, org.id)).row.id;
      }),
    ).toBe(true);
    expect(await notifies(org.id, () => revokeClientSecret(handle.db, org.id, secretId))).toBe(true);
    expect(await notifies(org.id, () => revokeClientSecrets(handle.db, org.id))).toBe(true);
    expect(await notifies(org.id, () => revokeRefreshTokens(handle.db, org.id))).toBe(true);
    // A replayed authorization code revokes the refresh tokens its first exchange issued.
    const manager = await createFirstManager(handle.db, org.id, 'm@x.example');
    const code = await issueAuthorizationCode(handle.db, {
      orgId: org.id,
      clientId: 'c',
      redirectUri: 'https://idp.example/cb',
      redirectUriSent: true,
      codeChallenge: 'x',
      scope: 'scim',
      approvedBy: manager.memberId,
    });
    await exchangeAuthorizationCode(handle.db, org.id, code, 60, () => true);
    expect(
      await notifies(org.id, () => exchangeAuthorizationCode(handle.db, org.id, code, 60, () => true)),
    ).toBe(true);
  });

  it('a change rolled back notifies nobody', async () => {
    const org = await createOrganization(handle.db, { slug: slug() });
    const rolledBack = handle.db
      .transaction()
      .execute(async (trx) => {
        await updateOrganization(trx, org.id, { plan: 'free' });
        throw new Error('abort');
      })
      .catch(() => 'rolled back');
    expect(await notifies(org.id, () => rolledBack)).toBe(false);
    expect(
      await notifies(org.id, () => inTransaction(handle.db, (trx) => notifyCredentialChange(trx, org.id))),
    ).toBe(true);
  });
});
