/**
 * The adoption preview: before "Provision existing users" is saved, which portal members an
 * identity provider's users adopt, which conflict and why, and which portal groups its groups
 * adopt; counted over the whole organization, listed up to `limit`, managers only, read-only.
 */
import { randomUUID } from 'node:crypto';
import { insertGroup } from '@roster/directory/groups';
import { insertMember } from '@roster/directory/members';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { insertScimGroup, insertScimMember, type TestOrg, usePortal } from './harness.js';

describe('adoption preview', () => {
  const portal = usePortal();

  async function portalMember(org: TestOrg, data: Record<string, unknown>): Promise<string> {
    const id = randomUUID();
    await portal()
      .handle.db.transaction()
      .execute((trx) => insertMember(trx, { orgId: org.id, id, data, managedBy: 'portal' }));
    return id;
  }

  async function portalGroup(org: TestOrg, displayName: string, memberIds: string[]): Promise<string> {
    const id = randomUUID();
    const { db } = portal().handle;
    await db
      .transaction()
      .execute((trx) =>
        insertGroup(trx, { orgId: org.id, id, data: { displayName }, role: 'manager', managedBy: 'portal' }),
      );
    for (const memberId of memberIds) {
      await db
        .insertInto('group_members')
        .values({ org_id: org.id, group_id: id, member_id: memberId, display: null })
        .execute();
    }
    return id;
  }

  const email = (value: string, type = 'work') => ({ value, type, primary: true });

  /** A manager (from the harness), and one portal member of each kind, one SCIM member and group. */
  async function setUp() {
    const org = await portal().newOrg({ plan: 'enterprise' });
    const alice = await portalMember(org, {
      userName: 'alice@example.com',
      emails: [email('alice@example.com')],
    });
    const bob = await portalMember(org, { userName: 'Bob@Example.com', emails: [email('Bob@Example.com')] });
    const carol = await portalMember(org, { userName: 'carol', emails: [email('carol@example.com')] });
    const dave = await portalMember(org, {
      userName: 'dave',
      emails: [{ value: 'dave@home.example', type: 'home' }],
    });
    await insertScimMember(portal().handle, org.id, 'erin@example.com');
    const team = await portalGroup(org, 'Engineering', [alice, bob]);
    await insertScimGroup(portal().handle, org.id, 'Provisioned');
    return { org, alice, bob, carol, dave, team };
  }

  const preview = (org: TestOrg, query = '') =>
    org.manager.call('GET', `/orgs/${org.slug}/provisioning/adoption-preview${query}`);

  it('hands over email userNames, flags the member with capitals, the unmatchable and the one without a sign-in email, and lists portal groups', async () => {
    const { org, alice, bob, carol, dave, team } = await setUp();
    const res = await preview(org);
    expect(res.status).toBe(200);
    expect(res.body.provisionExistingUsers).toBe(false);
    expect(res.body.syncGroups).toBe(false);
    // The manager of the harness and alice; not erin, whom the IdP already manages.
    expect(res.body.handOver.count).toBe(2);
    // By userName ignoring case: alice@… before manager.…@… (the harness's manager).
    expect(res.body.handOver.items.map((m: { id: string }) => m.id)).toEqual([alice, org.manager.id]);
    expect(res.body.handOver.items[0]).toMatchObject({
      id: alice,
      userName: 'alice@example.com',
      emails: ['alice@example.com'],
      effectiveRole: 'basic',
      status: 'active',
    });
    expect(res.body.conflicts.count).toBe(3);
    expect(res.body.conflicts.byKind).toEqual({ user_name_case: 1, not_matchable: 1, no_sign_in_email: 1 });
    const kinds = Object.fromEntries(
      res.body.conflicts.items.map((c: { id: string; kind: string }) => [c.id, c.kind]),
    );
    expect(kinds).toEqual({ [bob]: 'user_name_case', [carol]: 'not_matchable', [dave]: 'no_sign_in_email' });
    // By userName ignoring case: Bob, carol, dave.
    expect(res.body.conflicts.items.map((c: { userName: string }) => c.userName)).toEqual([
      'Bob@Example.com',
      'carol',
      'dave',
    ]);
    for (const conflict of res.body.conflicts.items) expect(conflict.hint).toMatch(/\w/);
    expect(res.body.groups).toEqual({
      count: 1,
      items: [{ id: team, displayName: 'Engineering', role: 'manager', memberCount: 2 }],
    });
  });

  it('counts every member but lists at most `limit` of each', async () => {
    const { org } = await setUp();
    const res = await preview(org, '?limit=1');
    expect(res.status).toBe(200);
    expect(res.body.handOver.count).toBe(2);
    expect(res.body.handOver.items).toHaveLength(1);
    expect(res.body.conflicts.count).toBe(3);
    expect(res.body.conflicts.items).toHaveLength(1);
    expect((await preview(org, '?limit=0')).status).toBe(400);
    expect((await preview(org, '?limit=201')).status).toBe(400);
  });

  it('changes nothing', async () => {
    const { org } = await setUp();
    const snapshot = async () =>
      JSON.stringify(
        (
          await sql`select m.*, (select count(*) from audit_events a where a.org_id = ${org.id}) as events
            from members m where m.org_id = ${org.id} order by m.id`.execute(portal().handle.db)
        ).rows,
      );
    const before = await snapshot();
    expect((await preview(org)).status).toBe(200);
    expect(await snapshot()).toBe(before);
  });

  it('is refused to a basic member with 403 and the portal error', async () => {
    const { org } = await setUp();
    const basic = await org.addMember('basic');
    const res = await basic.call('GET', `/orgs/${org.slug}/provisioning/adoption-preview`);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });

  it('is in the OpenAPI document', async () => {
    const res = await portal().request('GET', '/openapi.json');
    const operation = res.body.paths['/api/v1/orgs/{org}/provisioning/adoption-preview']?.get;
    expect(operation?.operationId).toBe('getAdoptionPreview');
    expect(operation.responses['200'].content['application/json'].schema.properties).toHaveProperty(
      'conflicts',
    );
  });
});
