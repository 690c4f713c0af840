/**
 * Issue #4 in CI: every session of both simulated IdPs, with both authentication methods, against
 * Roster on real PostgreSQL, the portal checks included. Both Entra modes and both Ping profiles
 * (and both of Ping's group update methods) are covered across the matrix.
 */
import type {} from '@roster/testkit/vitest-global-setup';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type IdpProfile, type RunResult, runConformance } from '../src/run.js';
import { SESSIONS } from '../src/sessions/catalog.js';
import { type RosterUnderTest, startRoster } from './harness/roster.js';

let roster: RosterUnderTest;
beforeAll(async () => {
  roster = await startRoster(inject('databaseUrl'));
});
afterAll(async () => roster?.close());

/** The failed checks of a run, one line each, for a readable assertion message. */
function failuresOf(result: RunResult): string[] {
  return result.sessions.flatMap((s) => [
    ...(s.status === 'failed' && s.reason ? [`${s.id}: ${s.reason}`] : []),
    ...s.checks.filter((c) => !c.ok).map((c) => `${s.id}: ${c.name}${c.detail ? ` — ${c.detail}` : ''}`),
  ]);
}

/** Every session of the run passed: none failed, and none was skipped (the portal checks ran). */
function expectEverySessionPassed(result: RunResult, ids: string[]): void {
  expect(failuresOf(result)).toEqual([]);
  expect(result.sessions.map((s) => [s.id, s.status])).toEqual(ids.map((id) => [id, 'passed']));
}

/** The health answer once the activity writer wrote the run's last requests (it writes within a second). */
async function settledHealth(portal: { provisioningHealth(): Promise<unknown> }) {
  // biome-ignore lint/suspicious/noExplicitAny: the answer is read as JSON
  let last: any;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1200));
    // biome-ignore lint/suspicious/noExplicitAny: the answer is read as JSON
    const health: any = await portal.provisioningHealth();
    if (last && health.lastDay.requests === last.lastDay.requests && health.recording?.queued === 0)
      return health;
    last = health;
  }
}

const SIZES = { users: 12, groups: 3, membersPerGroup: 5 };
const WITHOUT_EXPIRY = SESSIONS.map((s) => s.id).filter((id) => id !== 'token-expiry');

const MATRIX: { name: string; profile: IdpProfile; auth: 'http_header' | 'oauth2' }[] = [
  { name: 'entra default with an API key', profile: { idp: 'entra', mode: 'default' }, auth: 'http_header' },
  {
    name: 'entra aadOptscim062020 with OAuth',
    profile: { idp: 'entra', mode: 'aadOptscim062020' },
    auth: 'oauth2',
  },
  {
    name: 'entra aadOptscim062020 with an API key',
    profile: { idp: 'entra', mode: 'aadOptscim062020' },
    auth: 'http_header',
  },
  { name: 'entra default with OAuth', profile: { idp: 'entra', mode: 'default' }, auth: 'oauth2' },
  { name: 'ping p1 with OAuth', profile: { idp: 'ping', profile: 'p1' }, auth: 'oauth2' },
  { name: 'ping pf with an API key', profile: { idp: 'ping', profile: 'pf' }, auth: 'http_header' },
  {
    name: 'ping p1 put with an API key',
    profile: { idp: 'ping', profile: 'p1', groupUpdates: 'put' },
    auth: 'http_header',
  },
  {
    name: 'ping pf patch with OAuth',
    profile: { idp: 'ping', profile: 'pf', groupUpdates: 'patch' },
    auth: 'oauth2',
  },
];

describe.each(MATRIX)('$name', ({ profile, auth }) => {
  it('passes every session against Roster, with the portal checks', async () => {
    const { portal, target } = await roster.organization(auth);
    const result = await runConformance({
      profile,
      target,
      portal,
      sessions: WITHOUT_EXPIRY,
      sizes: SIZES,
      memberBatchSize: 3,
    });
    expectEverySessionPassed(result, WITHOUT_EXPIRY);
    // What the organization's administrator sees after it: provisioning is working.
    expect(await settledHealth(portal)).toMatchObject({ state: 'healthy', recording: { dropped: 0 } });
    // The checks only Roster can answer ran too.
    expect(result.sessions.flatMap((s) => s.checks.map((c) => c.name))).toEqual(
      expect.arrayContaining(
        [
          'members sign in with the IdP and use their sessions',
          "members' sessions end and sign-in is refused",
          "deactivated members' personal keys are refused",
          "the audit trail records scim.member.deleted by the IdP's credential",
          'the manager role follows group membership',
        ].filter((name) => profile.idp === 'ping' || name !== 'the manager role follows group membership'),
      ),
    );
  }, 120_000);

  if (auth === 'oauth2') {
    it('survives its access token expiring mid-cycle', async () => {
      const { portal, target } = await roster.organization(auth, roster.shortTokenOrigin);
      const result = await runConformance({ profile, target, portal, sessions: ['token-expiry'] });
      expectEverySessionPassed(result, ['token-expiry']);
    }, 60_000);
  }
});

describe('provisioning health after refused sessions', () => {
  const refusedRun = async (change: { syncGroups?: boolean; scimEnabled?: boolean }) => {
    const { portal, target } = await roster.organization('http_header');
    await portal.setProvisioning(change);
    const result = await runConformance({
      profile: { idp: 'entra', mode: 'default' },
      target,
      portal,
      sessions: ['group-sync'],
      sizes: SIZES,
    });
    expect(failuresOf(result).length).toBeGreaterThan(0);
    return settledHealth(portal);
  };

  it('is failing while group sync is off, with its fix, though users are still provisioned', async () => {
    const health = await refusedRun({ syncGroups: false });
    expect(health.state).toBe('failing');
    expect(health.failureKinds).toMatchObject([
      { status: 403, blocking: true, hint: expect.stringMatching(/Turn on "Sync SCIM groups"/) },
    ]);
  }, 60_000);

  it('is failing when every request is refused, with the fix', async () => {
    const health = await refusedRun({ scimEnabled: false });
    expect(health.state).toBe('failing');
    expect(health.failureKinds[0]).toMatchObject({
      status: 403,
      hint: expect.stringMatching(/Turn on SCIM provisioning/),
    });
  }, 60_000);
});

describe('on the embedded database (PGlite), as `npm start` runs', () => {
  let embedded: RosterUnderTest;
  beforeAll(async () => {
    embedded = await startRoster();
  });
  afterAll(async () => embedded?.close());

  it.each([
    { profile: { idp: 'entra', mode: 'default' } as IdpProfile, auth: 'http_header' as const },
    { profile: { idp: 'ping', profile: 'p1' } as IdpProfile, auth: 'oauth2' as const },
  ])(
    'passes every session of $profile.idp',
    async ({ profile, auth }) => {
      const { portal, target } = await embedded.organization(auth);
      const result = await runConformance({
        profile,
        target,
        portal,
        sessions: WITHOUT_EXPIRY,
        sizes: SIZES,
      });
      // Skipped sessions leave no failed check, so the statuses are checked too.
      expectEverySessionPassed(result, WITHOUT_EXPIRY);
    },
    120_000,
  );
});
