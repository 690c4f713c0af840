/**
 * Provisioning activity: every SCIM request that reached an organization is recorded
 * with its outcome, refusals included (401 of the other method, 403 provisioning off, 409
 * uniqueness, 404), without bodies or secrets; requests to no organization are not; the outcome
 * metrics count by class and resource type only.
 */
import { RateLimiter } from '@roster/rate-limit';
import { describe, expect, it } from 'vitest';
import { send } from './harness.js';
import { configure, createUser, entraUserBody, USER_SCHEMA, upn, useHarness } from './helpers.js';

describe('provisioning activity (postgres)', () => {
  const harness = useHarness('postgres');
  const activityOf = async (orgId: string) => {
    await harness().activity.flush();
    return harness()
      .db.selectFrom('provisioning_activity')
      .selectAll()
      .where('org_id', '=', orgId)
      .orderBy('id')
      .execute();
  };

  it('records successes and each kind of refusal, with scimType and detail, and nothing of the bodies', async () => {
    const org = await harness().newOrg();
    const userName = upn('dup');
    await createUser(org, entraUserBody(userName));
    const conflict = await org.request('POST', '/Users', entraUserBody(userName), {
      'User-Agent': 'Azure AD SCIM client',
    });
    expect(conflict.status).toBe(409);
    expect((await org.request('GET', '/Users/no-such-id')).status).toBe(404);
    await configure(harness().db, org, { scimAuthMethod: 'oauth2' });
    expect((await org.request('GET', '/Users')).status).toBe(401);
    await configure(harness().db, org, { scimAuthMethod: 'http_header', scimEnabled: false });
    expect((await org.request('GET', '/Groups')).status).toBe(403);

    const rows = await activityOf(org.id);
    expect(rows.map((r) => [r.method, r.resource_type, r.status])).toEqual([
      ['POST', 'Users', 201],
      ['POST', 'Users', 409],
      ['GET', 'Users', 404],
      ['GET', 'Users', 401],
      ['GET', 'Groups', 403],
    ]);
    expect(rows[1]).toMatchObject({
      scim_type: 'uniqueness',
      detail: expect.stringMatching(/userName already exists/),
      credential_type: 'api_key',
      idp: 'entra',
      request_id: conflict.headers.get('x-request-id'),
    });
    expect(rows[2]?.resource_id).toBe('no-such-id');
    // A 401 is recorded against the base URL's organization, without a credential (none was accepted).
    expect(rows[3]).toMatchObject({ credential_type: null, credential_id: null });
    expect(rows[3]?.detail).toMatch(/configured for OAuth 2.0/);
    expect(rows[4]?.detail).toMatch(/turned off/);
    expect(rows[0]).toMatchObject({ scim_type: null, detail: null });
    // No body and no secret: neither the userName nor the key appears anywhere in the rows.
    const text = JSON.stringify(rows);
    expect(text).not.toContain(userName);
    expect(text).not.toContain(org.token);
  });

  it('keeps no quoted request value of a detail (a userName is profile data)', async () => {
    const org = await harness().newOrg();
    const res = await org.request('POST', '/Users', {
      schemas: [USER_SCHEMA],
      userName: 'jdoe-not-an-email',
    });
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain('jdoe-not-an-email');
    const [row] = await activityOf(org.id);
    expect(row?.detail).toMatch(/^The member has no email to sign in with: userName "…" is not an email/);
  });

  it('records nothing for a base URL that names no organization, and counts outcomes without organization labels', async () => {
    const res = await send(`${harness().origin}/scim/v2/nobody-here/Users`, 'GET', 'rk_x.y');
    expect(res.status).toBe(401);
    await harness().activity.flush();
    const org = await harness().newOrg();
    await org.request('GET', '/Users');
    const metrics = await (await fetch(`${harness().origin}/metrics`)).text();
    expect(metrics).toMatch(/roster_scim_outcomes_total\{class="2xx",resource_type="Users"\} \d+/);
    expect(metrics).toMatch(/roster_scim_outcomes_total\{class="4xx",resource_type="Users"\} \d+/);
    expect(metrics).toMatch(/roster_activity_queue_depth \d+/);
    expect(metrics).toMatch(/roster_activity_dropped_total 0/);
    expect(metrics).not.toContain(org.slug);
  });
});

describe('provisioning activity of rate-limited requests (postgres)', () => {
  const harness = useHarness('postgres', {
    rateLimiter: (
      db, // A fixed clock, so no window ends during the test: the third request is refused.
    ) =>
      new RateLimiter(
        db,
        { perCredential: 1, perOrganization: 0, windowSeconds: 2 },
        { now: () => 1_700_000_000_200 },
      ),
  });

  it('records a 429 with its detail', async () => {
    const org = await harness().newOrg();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await org.request('GET', '/Users?count=1')).status);
    expect(statuses).toEqual([200, 200, 429]);
    await harness().activity.flush();
    const rows = await harness()
      .db.selectFrom('provisioning_activity')
      .selectAll()
      .where('org_id', '=', org.id)
      .where('status', '=', 429)
      .execute();
    expect(rows[0]).toMatchObject({
      credential_type: 'api_key',
      detail: expect.stringMatching(/Too many requests/),
    });
  });
});
