/**
 * The SCIM service obeys the organization's identity configuration
 * (docs/reference/product.md#the-administrators-flow): provisioning must be on, on the Enterprise plan, with
 * the HTTP Header method for API keys.
 */
import { saveIdentityConfig } from '@roster/directory/identity';
import { describe, expect, it } from 'vitest';
import { configure, expectScimError, useHarness } from './helpers.js';

describe('provisioning switches (postgres)', () => {
  const harness = useHarness('postgres');

  it('refuses every request with 403 while SCIM provisioning is off, and serves again once it is on', async () => {
    const org = await harness().newOrg();
    const config = await configure(harness().db, org, { scimEnabled: false });
    for (const path of ['/Users', '/Groups', '/ServiceProviderConfig', '/Schemas']) {
      const res = await org.request('GET', path);
      expectScimError(res, 403);
      expect(res.body.detail).toMatch(/Identity configuration > Provisioning/);
    }
    await saveIdentityConfig(harness().db, org.id, config);
    expect((await org.request('GET', '/Users')).status).toBe(200);
  });

  it('refuses with 403 once the organization is no longer on the Enterprise plan', async () => {
    const org = await harness().newOrg();
    await harness().db.updateTable('organizations').set({ plan: 'team' }).where('id', '=', org.id).execute();
    const res = await org.request('GET', '/Users');
    expectScimError(res, 403);
    expect(res.body.detail).toMatch(/Enterprise plan/);
  });

  it('refuses an API key with 401 naming OAuth 2.0 and the token endpoint when that is the configured method', async () => {
    const org = await harness().newOrg();
    await configure(harness().db, org, { scimAuthMethod: 'oauth2' });
    const res = await org.request('GET', '/Users');
    expectScimError(res, 401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(res.body.detail).toContain(`/oauth/${org.slug}/token`);
  });

  it('does not change anything while refusing', async () => {
    const org = await harness().newOrg();
    await configure(harness().db, org, { scimEnabled: false });
    expectScimError(await org.request('POST', '/Users', { userName: 'blocked@example.com' }), 403);
    const count = await harness()
      .db.selectFrom('members')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('org_id', '=', org.id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });
});
