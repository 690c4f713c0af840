/**
 * API keys with an expiry at the SCIM service: accepted until then, refused after with a 401 whose
 * SCIM error says the key expired (not the "not valid" of an unknown key); a key without one never
 * expires.
 */
import { parseApiKey } from '@roster/auth/api-keys';
import { createApiKey } from '@roster/directory/api-keys';
import { describe, expect, it } from 'vitest';
import { send } from './harness.js';
import { expectScimError, useHarness } from './helpers.js';

describe('API key expiry (postgres)', () => {
  const harness = useHarness('postgres');

  it('takes a key until its expiry, then refuses it with a 401 that says it expired', async () => {
    const org = await harness().newOrg();
    const { token } = await createApiKey(harness().db, {
      orgId: org.id,
      kind: 'system',
      name: 'expiring',
      scopes: ['scim'],
      expiresAt: new Date(Date.now() + 3600_000),
    });
    expect((await send(`${org.base}/Users`, 'GET', token)).status).toBe(200);

    await harness()
      .db.updateTable('api_keys')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('org_id', '=', org.id)
      .where('id', '=', String(parseApiKey(token)?.id))
      .execute();
    const refused = await send(`${org.base}/Users`, 'GET', token);
    expectScimError(refused, 401);
    expect(refused.body.detail).toMatch(/^This API key expired at \d{4}-\d\d-\d\dT/);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="SCIM", error="invalid_token"');
    // The organization's key without an expiry still works.
    expect((await org.request('GET', '/Users')).status).toBe(200);
  });
});
