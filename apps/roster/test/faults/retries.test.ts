/**
 * Issue #7: an identity provider sends a request again: after a timeout, after an error, or
 * twice at once. A create never makes a second user (the repeat is answered 409 uniqueness, RFC
 * 7644 §3.3, which Entra answers by looking the user up); a member add never makes a second
 * membership (docs/reliability.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMember,
  createTenant,
  type FaultEnvironment,
  holdRowLocks,
  lockWaiters,
  type Outcome,
  request,
  startFaultEnvironment,
  type Tenant,
  userAt,
  waitFor,
} from './harness.js';

let env: FaultEnvironment;
let tenant: Tenant & { groups: string[] };
beforeAll(async () => {
  env = await startFaultEnvironment('faults-retries');
  tenant = await createTenant(env, 1);
});
afterAll(async () => env?.close());

const statusOf = (outcome: Outcome) => (outcome.kind === 'response' ? outcome.status : outcome.kind);

/** The users with this userName (compared as Roster compares them, case-insensitively). */
async function usersNamed(userName: string) {
  const found = await request(
    tenant,
    'GET',
    `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`,
  );
  expect(found).toMatchObject({ kind: 'response', status: 200 });
  const rows = await env.handle.db
    .selectFrom('members')
    .select('id')
    .where('org_id', '=', tenant.orgId)
    .where('user_name', '=', userName)
    .execute();
  const creations = await env.handle.db
    .selectFrom('audit_events')
    .select('target_id')
    .where('org_id', '=', tenant.orgId)
    .where('action', '=', 'scim.member.created')
    .where(
      'target_id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  return {
    listed: (found as { body: { totalResults: number } }).body.totalResults,
    rows: rows.length,
    creations: rows.length === 0 ? 0 : creations.length,
  };
}

async function membershipsOf(groupId: string, userId: string) {
  const rows = await env.handle.db
    .selectFrom('group_members')
    .select('member_id')
    .where('group_id', '=', groupId)
    .where('member_id', '=', userId)
    .execute();
  const group = await request(tenant, 'GET', `/Groups/${groupId}`);
  const listed = ((group as { body: { members?: { value: string }[] } }).body.members ?? []).filter(
    (m) => m.value === userId,
  );
  return { rows: rows.length, listed: listed.length };
}

function expectUniqueness(outcome: Outcome) {
  expect(outcome).toMatchObject({
    kind: 'response',
    status: 409,
    body: { status: '409', scimType: 'uniqueness' },
  });
}

describe('a create sent again', () => {
  it('after its 201: the repeat is answered 409 uniqueness, and there is one user', async () => {
    const body = userAt('twice@faults.example', 0);
    expect(statusOf(await request(tenant, 'POST', '/Users', body))).toBe(201);
    expectUniqueness(await request(tenant, 'POST', '/Users', body));
    expect(await usersNamed('twice@faults.example')).toEqual({ listed: 1, rows: 1, creations: 1 });
  });

  it('six times at once: one 201, five 409 uniqueness, one user', async () => {
    const body = userAt('at-once@faults.example', 0);
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () => request(tenant, 'POST', '/Users', body)),
    );
    expect(outcomes.map(statusOf).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    for (const outcome of outcomes.filter((o) => statusOf(o) === 409)) expectUniqueness(outcome);
    expect(await usersNamed('at-once@faults.example')).toEqual({ listed: 1, rows: 1, creations: 1 });
  });

  it('after the client gave up waiting for the first: one user, whichever of the two lands first', async () => {
    // The test holds the organization's row, so the insert of a new user waits (its foreign key).
    const locks = await holdRowLocks(env, [{ table: 'organizations', id: tenant.orgId }]);
    const body = userAt('timed-out@faults.example', 0);
    let second: Promise<Outcome>;
    try {
      const first = await request(tenant, 'POST', '/Users', body, { timeoutMs: 1_000 });
      expect(first.kind, 'the client timed out on the first').toBe('timeout');
      second = request(tenant, 'POST', '/Users', body);
      await waitFor(async () => (await lockWaiters(env)) >= 2); // both are in the server's hands
    } finally {
      await locks.release();
    }

    const answer = await second;
    expect([201, 409]).toContain(statusOf(answer));
    if (statusOf(answer) === 409) expectUniqueness(answer);
    expect(await usersNamed('timed-out@faults.example')).toEqual({ listed: 1, rows: 1, creations: 1 });
  });
});

describe('a member add sent again', () => {
  it('in a row, at once, and after a timeout: one membership', async () => {
    const groupId = tenant.groups[0] as string;
    const user = await request(tenant, 'POST', '/Users', userAt('member@faults.example', 0));
    const userId = (user as { body: { id: string } }).body.id;

    expect(statusOf(await request(tenant, 'PATCH', `/Groups/${groupId}`, addMember(userId)))).toBe(204);
    expect(statusOf(await request(tenant, 'PATCH', `/Groups/${groupId}`, addMember(userId)))).toBe(204);
    expect(await membershipsOf(groupId, userId)).toEqual({ rows: 1, listed: 1 });

    const atOnce = await Promise.all(
      Array.from({ length: 4 }, () => request(tenant, 'PATCH', `/Groups/${groupId}`, addMember(userId))),
    );
    expect(atOnce.map(statusOf)).toEqual([204, 204, 204, 204]);
    expect(await membershipsOf(groupId, userId)).toEqual({ rows: 1, listed: 1 });

    // A second user, added while the test holds the group's row: the client gives up, sends it again.
    const other = await request(tenant, 'POST', '/Users', userAt('member-2@faults.example', 0));
    const otherId = (other as { body: { id: string } }).body.id;
    const locks = await holdRowLocks(env, [{ table: 'groups', id: groupId }]);
    let second: Promise<Outcome>;
    try {
      const first = await request(tenant, 'PATCH', `/Groups/${groupId}`, addMember(otherId), {
        timeoutMs: 1_000,
      });
      expect(first.kind).toBe('timeout');
      second = request(tenant, 'PATCH', `/Groups/${groupId}`, addMember(otherId));
      await waitFor(async () => (await lockWaiters(env)) >= 2);
    } finally {
      await locks.release();
    }
    expect(statusOf(await second)).toBe(204);
    expect(await membershipsOf(groupId, otherId)).toEqual({ rows: 1, listed: 1 });
  });
});
