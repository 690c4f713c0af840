import { randomUUID } from 'node:crypto';
import { parseApiKey } from '@roster/auth/api-keys';
import { type DatabaseHandle, openDatabase } from '@roster/db';
import { createScimKey, findKeyCredential } from '@roster/directory/api-keys';
import { createOrganization } from '@roster/directory/organizations';
import { loadConfig } from '@roster/scim-server/bootstrap';
import type {} from '@roster/testkit/vitest-global-setup';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type DemoOrganization, ensureDemoOrganization } from '../src/demo.js';

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openDatabase({ url: inject('databaseUrl') });
});
afterAll(async () => handle?.close());

function ready(demo: DemoOrganization) {
  if ('skipped' in demo) throw new Error(demo.skipped);
  return demo;
}

const key = (slug: string, token: string) => findKeyCredential(handle.db, slug, parseApiKey(token)?.id ?? '');

describe('the demo organization', () => {
  it('sets itself up once, marked as the demo, and mints fresh working keys on every start', async () => {
    const slug = `demo-${randomUUID().slice(0, 8)}`;
    const first = ready(await ensureDemoOrganization(handle.db, slug));
    const second = ready(await ensureDemoOrganization(handle.db, slug));
    expect(second.org.id).toBe(first.org.id);
    expect(second.org.demo).toBe(true);
    expect(second.scimToken).not.toBe(first.scimToken);
    const scim = await key(slug, second.scimToken);
    expect(scim?.scopes).toEqual(['scim']);
    expect(scim?.revokedAt).toBeNull();
    const portal = await key(slug, second.portalToken);
    expect(portal?.member?.role).toBe('manager');
    expect(portal?.revokedAt).toBeNull();
    const managers = await handle.db
      .selectFrom('members')
      .select('id')
      .where('org_id', '=', first.org.id)
      .execute();
    expect(managers).toHaveLength(1);
    expect(scim?.organization).toEqual({
      plan: 'enterprise',
      scimEnabled: true,
      scimAuthMethod: 'http_header',
      provisionExistingUsers: false,
      syncGroups: true,
      provisioningMode: 'identity_provider',
      rbacEnabled: true,
    });
  });

  it("revokes the previous start's keys before printing new ones, and leaves other keys alone", async () => {
    const slug = `demo-${randomUUID().slice(0, 8)}`;
    const first = ready(await ensureDemoOrganization(handle.db, slug));
    const own = await createScimKey(handle.db, first.org.id, 'my IdP');
    const second = ready(await ensureDemoOrganization(handle.db, slug));
    expect(second.revokedKeys).toBe(2);
    expect((await key(slug, first.scimToken))?.revokedAt).toBeInstanceOf(Date);
    expect((await key(slug, first.portalToken))?.revokedAt).toBeInstanceOf(Date);
    expect((await key(slug, second.scimToken))?.revokedAt).toBeNull();
    expect((await key(slug, own))?.revokedAt).toBeNull();
  });

  it('never adopts an organization it did not create, whatever its slug: it skips, saying why', async () => {
    const slug = `demo-${randomUUID().slice(0, 8)}`;
    const customer = await createOrganization(handle.db, { slug, plan: 'team' });
    const demo = await ensureDemoOrganization(handle.db, slug);
    expect(demo).toEqual({
      skipped: expect.stringContaining(`"${slug}" exists that the demo did not create`),
    });
    const touched = await Promise.all(
      (['api_keys', 'members', 'identity_configs'] as const).map((table) =>
        handle.db.selectFrom(table).select('org_id').where('org_id', '=', customer.id).execute(),
      ),
    );
    expect(touched.flat()).toEqual([]);
  });
});

describe('ROSTER_DEMO', () => {
  it('is on by default on the embedded database, and off on PostgreSQL unless set to true', () => {
    expect(loadConfig({}).demo).toBe(true);
    expect(loadConfig({ ROSTER_DEMO: 'false' }).demo).toBe(false);
    const postgres = { DATABASE_URL: 'postgres://roster@db.example.com/roster' };
    expect(loadConfig(postgres).demo).toBe(false);
    expect(loadConfig({ ...postgres, ROSTER_DEMO: 'true' }).demo).toBe(true);
    expect(() => loadConfig({ ROSTER_DEMO: 'yes' })).toThrow(/ROSTER_DEMO must be "true" or "false"/);
  });
});
