/**
 * What a request costs in statements: a userName lookup reads its page and the page's groups in
 * one statement, a create writes the user and its emails in one, its audit entry and its
 * provisioning events in a second (the events' append, whose counter lock is held to commit; the credential
 * is authentication's, counted apart; a transaction's begin and commit are not statements here).
 */
import type { KyselyPlugin, RootOperationNode } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { configure, createGroup, createUser, upn, useHarness } from './helpers.js';

// Authentication: the organization by slug, its identity configuration, then the credential.
const CREDENTIAL_TABLES = /"name":"(organizations|identity_configs|api_keys|oauth_[a-z_]+)"/;

let statements: string[] = [];
const compiled = new WeakMap<object, string>();
/**
 * Records every statement the app runs (but the credential's), as its node, to count and name them:
 * on its result, since a query compiled into another's statement (an insert alongside the events'
 * append) is transformed but never run on its own.
 */
const recordStatements: KyselyPlugin = {
  transformQuery({ node, queryId }: { node: RootOperationNode; queryId: object }) {
    compiled.set(queryId, JSON.stringify(node));
    return node;
  },
  transformResult: async ({ result, queryId }) => {
    const json = compiled.get(queryId);
    if (json && !CREDENTIAL_TABLES.test(json)) statements.push(json);
    return result;
  },
};

describe('statements a request makes (postgres)', () => {
  const harness = useHarness('postgres', { appDb: (db) => db.withPlugin(recordStatements) });
  beforeEach(() => {
    statements = [];
  });

  it('a userName lookup reads the page and its groups in one statement', async () => {
    const org = await harness().newOrg();
    await configure(harness().db, org, { syncGroups: true });
    const userName = upn();
    const user = await createUser(org, { userName });
    const other = await createUser(org, { userName: upn() });
    const engineering = await createGroup(org, 'Engineering', [user.id, other.id]);
    const admins = await createGroup(org, 'Admins', [user.id]);

    statements = [];
    const res = await org.request('GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`);
    expect(res.status, res.text).toBe(200);
    expect(res.body.totalResults).toBe(1);
    expect(res.body.Resources[0].groups).toEqual([
      {
        value: admins.id,
        display: 'Admins',
        type: 'direct',
        $ref: expect.stringContaining(`/Groups/${admins.id}`),
      },
      {
        value: engineering.id,
        display: 'Engineering',
        type: 'direct',
        $ref: expect.stringContaining(`/Groups/${engineering.id}`),
      },
    ]);
    expect(statements).toHaveLength(1);
  });

  it('a page of several users with and without groups is one statement too', async () => {
    const org = await harness().newOrg();
    await configure(harness().db, org, { syncGroups: true });
    const prefix = `page${Date.now()}`;
    const a = await createUser(org, { userName: upn(prefix) });
    await createUser(org, { userName: upn(prefix) });
    await createGroup(org, 'Only A', [a.id]);

    statements = [];
    const res = await org.request('GET', `/Users?filter=${encodeURIComponent(`userName sw "${prefix}"`)}`);
    expect(res.status, res.text).toBe(200);
    const groups = res.body.Resources.map((r: { groups?: { display: string }[] }) =>
      (r.groups ?? []).map((g) => g.display),
    );
    expect(groups).toEqual([['Only A'], []]);
    expect(statements).toHaveLength(1);
  });

  it('a lookup without group sync shows no groups, in one statement', async () => {
    const org = await harness().newOrg();
    await configure(harness().db, org, { syncGroups: true });
    const userName = upn();
    const user = await createUser(org, { userName });
    await createGroup(org, 'Portal only', [user.id]);
    await configure(harness().db, org, { syncGroups: false });
    statements = [];
    const res = await org.request('GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`);
    expect(res.status, res.text).toBe(200);
    expect(res.body.Resources[0].groups).toBeUndefined();
    expect(statements).toHaveLength(1);
  });

  it('a create writes the user and its emails in one statement, its audit entry and event in a second', async () => {
    const org = await harness().newOrg();
    const userName = upn();
    statements = [];
    const res = await org.request('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName,
      emails: [
        { value: userName, type: 'work', primary: true },
        { value: `home.${userName}`, type: 'home' },
      ],
    });
    expect(res.status, res.text).toBe(201);
    expect(statements).toHaveLength(2);
    // All were written, in those two statements.
    const { db } = harness();
    const emails = await db
      .selectFrom('member_emails')
      .select(['position', 'value', 'type'])
      .where('org_id', '=', org.id)
      .where('member_id', '=', res.body.id)
      .orderBy('position')
      .execute();
    expect(emails).toEqual([
      { position: 0, value: userName, type: 'work' },
      { position: 1, value: `home.${userName}`, type: 'home' },
    ]);
    const events = await db
      .selectFrom('audit_events')
      .select(['action', 'actor_type', 'target_type', 'target_id', 'changes'])
      .where('org_id', '=', org.id)
      .execute();
    expect(events).toEqual([
      {
        action: 'scim.member.created',
        actor_type: 'api_key',
        target_type: 'member',
        target_id: res.body.id,
        changes: {
          attributes: ['active', 'emails', 'userName'],
          active: { to: true },
          role: { to: 'basic' },
        },
      },
    ]);
  });
});
