import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness('postgres');
});
afterAll(async () => harness?.close());

describe('smoke', () => {
  it('creates, finds, patches and deletes a user', async () => {
    const org = await harness.newOrg();
    const created = await org.request('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'alice@contoso.com',
      emails: [{ type: 'work', value: 'alice@contoso.com', primary: true }],
    });
    expect(created.status, created.text).toBe(201);
    const found = await org.request(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "ALICE@contoso.com"')}`,
    );
    expect(found.status, found.text).toBe(200);
    expect(found.body.totalResults).toBe(1);
    const patched = await org.request('PATCH', `/Users/${created.body.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(patched.status, patched.text).toBe(204);
    const byEmail = await org.request(
      'GET',
      `/Users?filter=${encodeURIComponent('emails eq "alice@contoso.com"')}`,
    );
    expect(byEmail.body.Resources[0].active).toBe(false);
    const deleted = await org.request('DELETE', `/Users/${created.body.id}`);
    expect(deleted.status).toBe(204);
  });
});
