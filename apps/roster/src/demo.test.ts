import { parseApiKey } from '@roster/auth/api-keys';
import { type DatabaseHandle, openDatabase } from '@roster/db';
import { findKeyCredential } from '@roster/directory/api-keys';
import type {} from '@roster/testkit/vitest-global-setup';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { ensureDemoOrganization } from './demo.js';

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openDatabase({ url: inject('databaseUrl') });
});
afterAll(async () => handle?.close());

it('sets the demo organization up once and mints fresh working keys on every start', async () => {
  const first = await ensureDemoOrganization(handle.db, 'demo-test');
  const second = await ensureDemoOrganization(handle.db, 'demo-test');
  expect(second.org.id).toBe(first.org.id);
  expect(second.scimToken).not.toBe(first.scimToken);
  const scim = await findKeyCredential(handle.db, 'demo-test', parseApiKey(second.scimToken)?.id ?? '');
  expect(scim?.scopes).toEqual(['scim']);
  const portal = await findKeyCredential(handle.db, 'demo-test', parseApiKey(second.portalToken)?.id ?? '');
  expect(portal?.member?.role).toBe('manager');
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
