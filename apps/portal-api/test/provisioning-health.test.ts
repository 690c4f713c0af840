/**
 * Provisioning health: the state of the organization and of each credential, and the
 * kinds of failure with the fix for each of Roster's refusals; managers only, per organization.
 */
import { randomUUID } from 'node:crypto';
import { type ActivityEntry, insertActivity } from '@roster/activity/rows';
import { createApiKey } from '@roster/directory/api-keys';
import { describe, expect, it } from 'vitest';
import { type TestOrg, usePortal } from './harness.js';

/** Real refusal details of the SCIM service (apps/scim-server), as the activity keeps them. */
const GROUP_SYNC_OFF =
  'Group provisioning is off for this organization: an administrator turns on "Sync SCIM groups" under Identity configuration > Provisioning (it needs RBAC). Until then, provision users only.';
const OTHER_METHOD =
  "This organization's SCIM provisioning is configured for OAuth 2.0, not an API key: obtain an access token from https://roster.example/oauth/acme/token with the client credentials grant.";
const NO_EMAIL = (userName: string) =>
  `The member has no email to sign in with: userName "${userName}" is not an email address and emails has no work or primary address. Map userName to the user's email (e.g. userPrincipalName or mail), or send a work or primary email.`;
const EXISTING =
  'A member with userName "…" already exists in this organization, managed in the portal: turn on "Provision existing users" under Identity configuration > Provisioning to let the identity provider adopt it.';

describe('provisioning health', () => {
  const portal = usePortal();
  const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);
  const entry = (org: TestOrg, status: number, extra: Partial<ActivityEntry> = {}): ActivityEntry => ({
    at: ago(2),
    orgId: org.id,
    orgSlug: org.slug,
    requestId: randomUUID(),
    credential: { type: 'api_key', id: 'key1' },
    idp: 'entra',
    method: 'POST',
    resourceType: 'Users',
    status,
    durationMs: 4,
    ...extra,
  });
  const record = (entries: ActivityEntry[]) => insertActivity(portal().handle.db, entries);
  const health = async (org: TestOrg) => {
    const res = await org.manager.call('GET', `/orgs/${org.slug}/provisioning/health`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const times = (n: number, make: () => ActivityEntry) => Array.from({ length: n }, make);

  it('says never_connected before any request, healthy while requests succeed, idle after two cycles without one', async () => {
    const org = await portal().newOrg({ plan: 'enterprise' });
    const key = await createApiKey(portal().handle.db, {
      orgId: org.id,
      kind: 'system',
      name: 'Entra ID',
      scopes: ['scim'],
    });
    expect(await health(org)).toMatchObject({
      state: 'never_connected',
      // The portal app alone records no activity of its own.
      recording: null,
      lastRequestAt: null,
      // A SCIM key no IdP has used yet.
      credentials: [
        { credential: { type: 'api_key', id: key.row.id }, name: 'Entra ID', state: 'never_connected' },
      ],
      failureKinds: [],
    });
    await record(times(20, () => entry(org, 201)));
    expect(await health(org)).toMatchObject({
      state: 'healthy',
      lastHour: { requests: 20, failures: 0 },
      lastDay: { requests: 20, failures: 0 },
      credentials: expect.arrayContaining([
        expect.objectContaining({ credential: { type: 'api_key', id: 'key1' }, state: 'healthy' }),
      ]),
    });
    const quiet = await portal().newOrg({ plan: 'enterprise' });
    await record(times(3, () => entry(quiet, 200, { at: ago(120) })));
    expect(await health(quiet)).toMatchObject({
      state: 'idle',
      lastHour: { requests: 0 },
      lastDay: { requests: 3 },
    });
  });

  it('says degraded above 5% failures, failing above half, with each refusal kind, its count, latest request and fix', async () => {
    const org = await portal().newOrg({ plan: 'enterprise' });
    await record([...times(18, () => entry(org, 201)), entry(org, 404), entry(org, 404)]);
    expect((await health(org)).state).toBe('degraded');

    const refused = await portal().newOrg({ plan: 'enterprise' });
    const latest = entry(refused, 403, { resourceType: 'Groups', detail: GROUP_SYNC_OFF, at: ago(1) });
    await record([
      ...times(4, () => entry(refused, 403, { resourceType: 'Groups', detail: GROUP_SYNC_OFF, at: ago(3) })),
      latest,
      entry(refused, 201),
      entry(refused, 401, { credential: undefined, detail: OTHER_METHOD }),
      entry(refused, 400, { detail: NO_EMAIL('jdoe'), scimType: 'invalidValue' }),
      entry(refused, 400, { detail: NO_EMAIL('asmith'), scimType: 'invalidValue' }),
      entry(refused, 409, { scimType: 'uniqueness', detail: EXISTING }),
    ]);
    const body = await health(refused);
    expect(body.state).toBe('failing');
    expect(body.lastHour).toEqual({ requests: 10, failures: 9 });
    expect(body.credentials).toMatchObject([
      { credential: null, state: 'failing' },
      { credential: { type: 'api_key', id: 'key1' }, state: 'failing' },
    ]);
    const [groups, ...others] = body.failureKinds;
    expect(groups).toMatchObject({ status: 403, count: 5, exampleRequestId: latest.requestId });
    expect(groups.hint).toMatch(/Turn on "Sync SCIM groups"/);
    const kind = (status: number) => others.find((k: { status: number }) => k.status === status);
    // Two refusals naming two userNames are one kind, and neither name is shown.
    expect(kind(400)).toMatchObject({ count: 2, hint: expect.stringMatching(/email to userName/) });
    expect(JSON.stringify(body)).not.toMatch(/jdoe|asmith/);
    expect(kind(401).hint).toMatch(/uses OAuth 2\.0/);
    expect(kind(409).hint).toMatch(/Provision existing users/);
  });

  it('says failing while a blocking refusal has no later success of its kind, however low its share', async () => {
    const org = await portal().newOrg({ plan: 'enterprise' });
    // Group sync off: 19 users go through, the one group is refused; 5% is not even degraded.
    await record([
      ...times(19, () => entry(org, 201, { at: ago(5) })),
      entry(org, 403, { resourceType: 'Groups', detail: GROUP_SYNC_OFF, at: ago(4) }),
    ]);
    const blocked = await health(org);
    expect(blocked.state).toBe('failing');
    expect(blocked.credentials).toMatchObject([{ credential: { id: 'key1' }, state: 'failing' }]);
    expect(blocked.failureKinds).toMatchObject([{ status: 403, blocking: true }]);

    // A user succeeding later does not clear it; a group succeeding later (the setting was turned on) does.
    await record([entry(org, 201, { at: ago(3) })]);
    expect((await health(org)).state).toBe('failing');
    await record([entry(org, 201, { resourceType: 'Groups', at: ago(2) })]);
    expect((await health(org)).state).toBe('healthy');

    // Per-user refusals are not blocking: one in twenty leaves the state healthy.
    const other = await portal().newOrg({ plan: 'enterprise' });
    await record([
      ...times(19, () => entry(other, 201)),
      entry(other, 409, { scimType: 'uniqueness', detail: EXISTING }),
    ]);
    const perUser = await health(other);
    expect(perUser.state).toBe('healthy');
    expect(perUser.failureKinds).toMatchObject([{ status: 409, blocking: false }]);
  });

  it('gives the exact times of the last request, success and failure, not their minute', async () => {
    const org = await portal().newOrg({ plan: 'enterprise' });
    const minute = Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000;
    const success = new Date(minute + 12_345);
    const failure = new Date(minute + 23_456);
    await record([entry(org, 201, { at: success }), entry(org, 404, { at: failure })]);
    expect(await health(org)).toMatchObject({
      lastRequestAt: failure.toISOString(),
      lastSuccessAt: success.toISOString(),
      lastFailureAt: failure.toISOString(),
    });
  });

  it('is for managers only, and per organization', async () => {
    const a = await portal().newOrg({ plan: 'enterprise' });
    const b = await portal().newOrg({ plan: 'enterprise' });
    await record(times(3, () => entry(b, 403, { detail: GROUP_SYNC_OFF })));
    expect(await health(a)).toMatchObject({ state: 'never_connected', failureKinds: [] });
    expect((await a.manager.call('GET', `/orgs/${b.slug}/provisioning/health`)).status).toBe(401);
    const basic = await b.addMember('basic');
    expect((await basic.call('GET', `/orgs/${b.slug}/provisioning/health`)).status).toBe(403);
    expect((await health(b)).state).toBe('failing');
  });
});
