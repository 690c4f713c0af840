/**
 * The lookups IdPs make (docs/reference/entra.md#user-lookup-before-create, #group-lookup;
 * docs/reference/ping.md#user-lookup) must be index lookups, never a scan of the organization. With
 * sequential scans disabled, PostgreSQL's plan for each compiled filter must name the index that serves it. List pages must skip their offset in the creation-order
 * index alone, so that deep pages of very large organizations stay cheap.
 */

import type { Database } from '@roster/db';
import { removeGroupMembersQuery } from '@roster/directory/groups';
import { type FilterTarget, groupFilterTarget, userFilterTarget } from '@roster/directory/scim';
import { type PageRequest, pageStatements, selectPage } from '@roster/directory/scim-page';
import { parseFilter } from '@roster/scim-core/filter';
import { type RawBuilder, type SqlBool, sql, type Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFilter } from '../src/query/filter-sql.js';
import { type Harness, startHarness } from './harness.js';

let harness: Harness;
let orgId: string;

/** Seeds one organization with thousands of users, groups and memberships, so the planner has statistics. */
beforeAll(async () => {
  harness = await startHarness('postgres');
  const db = harness.db;
  orgId = (await harness.newOrg()).id;
  await sql`
    insert into members (org_id, id, user_name, external_id, display_name, data)
    select ${orgId}, gen_random_uuid(), 'user' || i || '@contoso.com', 'ext' || i, 'User ' || i,
           jsonb_build_object('userName', 'user' || i || '@contoso.com')
    from generate_series(1, 5000) as i`.execute(db);
  await sql`
    insert into member_emails (org_id, member_id, position, value, type)
    select org_id, id, 0, user_name, 'work' from members where org_id = ${orgId}`.execute(db);
  await sql`
    insert into groups (org_id, id, display_name, external_id, data)
    select ${orgId}, gen_random_uuid(), 'Group ' || i, 'gext' || i, jsonb_build_object('displayName', 'Group ' || i)
    from generate_series(1, 500) as i`.execute(db);
  await sql`
    insert into group_members (org_id, group_id, member_id)
    select ${orgId}, g.id, m.id from (select id from groups where org_id = ${orgId} limit 50) as g
    cross join (select id from members where org_id = ${orgId} limit 100) as m`.execute(db);
  // Vacuum sets the visibility map, without which the planner prices an index-only scan as a heap scan.
  await sql`vacuum analyze members, groups`.execute(db);
  await sql`analyze`.execute(db);
});
afterAll(async () => harness?.close());

/** Runs `work` in a transaction with the given planner methods switched off. */
function withPlanner<T>(off: string[], work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return harness.db.transaction().execute(async (trx) => {
    for (const method of off) await sql`set local ${sql.raw(method)} = off`.execute(trx);
    return work(trx);
  });
}

async function planIn(trx: Transaction<Database>, statement: RawBuilder<unknown>) {
  const result = await sql<{ 'QUERY PLAN': string }>`explain ${statement}`.execute(trx);
  return result.rows.map((row) => row['QUERY PLAN']).join('\n');
}

const explain = (statement: RawBuilder<unknown>) =>
  withPlanner(['enable_seqscan'], (trx) => planIn(trx, statement));

const planOf = (table: 'members' | 'groups', alias: 'm' | 'g', condition: RawBuilder<SqlBool>) =>
  explain(sql`
    select ${sql.raw(alias)}.id from ${sql.table(table)} as ${sql.raw(alias)}
    where ${sql.raw(alias)}.org_id = ${orgId} and ${condition}`);

const compile = (target: FilterTarget, filter: string) => compileFilter(target, parseFilter(filter), orgId);
const ID = '2819c223-7f76-453a-919d-413861904646';

describe('IdP lookups use indexes', () => {
  it.each([
    ['userName eq "alice@contoso.com"', 'members__user_name'],
    ['username Eq "alice@contoso.com"', 'members__user_name'],
    ['externalId eq "alice"', 'members__external_id'],
    ['displayName eq "Alice Smith"', 'members__display_name'],
    [`id eq "${ID}"`, 'members__pk'],
    ['emails eq "alice@contoso.com"', 'member_emails__value'],
    ['emails[type eq "work"].value eq "alice@contoso.com"', 'member_emails__value'],
  ])('users: %s → %s', async (filter, index) => {
    const plan = await planOf('members', 'm', compile(userFilterTarget, filter));
    expect(plan).toContain(index);
    expect(plan).not.toMatch(/Seq Scan/);
  });

  it.each([
    ['displayName eq "Engineering"', 'groups__display_name'],
    ['externalId eq "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159"', 'groups__external_id'],
    [`id eq "${ID}"`, 'groups__pk'],
  ])('groups: %s → %s', async (filter, index) => {
    expect(await planOf('groups', 'g', compile(groupFilterTarget, filter))).toContain(index);
  });

  it("groups: Entra's legacy membership check (id and members) → both primary and membership indexes", async () => {
    const plan = await planOf(
      'groups',
      'g',
      compile(groupFilterTarget, `id eq "${ID}" and members eq "${ID}"`),
    );
    expect(plan).toContain('groups__pk');
    expect(plan).toMatch(/group_members__(pk|member)/);
    expect(plan).not.toMatch(/Seq Scan/);
  });
});

describe('list pages skip their offset in the creation-order index alone (deep paging)', () => {
  // Bitmap scans are off too: they return rows in no order, so they are never what a deep page
  // of a large organization wants, but a small table whose pages other suites are writing to (not
  // all-visible) can make a bitmap scan and a sort look cheaper.
  const pagePlan = (statement: RawBuilder<unknown>) =>
    withPlanner(['enable_seqscan', 'enable_bitmapscan'], (trx) => planIn(trx, statement));
  // What `listUsers` adds unless the organization provisions existing users.
  const scimOnly = sql<SqlBool>`m.managed_by = 'scim'`;
  const request = (offset: number, where?: RawBuilder<SqlBool>, descending = false): PageRequest => ({
    where,
    order: undefined,
    descending,
    offset,
    limit: 100,
  });

  it.each([
    ['first page', request(0)],
    ['deep page', request(4900)],
    ['first page, descending', request(0, undefined, true)],
    ['first page of scim-managed users', request(0, scimOnly)],
    ['deep page of scim-managed users', request(4900, scimOnly)],
  ])('users: %s skips the offset in members__created', async (_name, page) => {
    const plan = await pagePlan(pageStatements('members', 'm', orgId, page).page);
    expect(plan).toMatch(/Index Only Scan (Backward )?using members__created on members/);
    expect(plan).not.toMatch(/Seq Scan|WindowAgg/);
  });

  it.each([
    ['first page', request(0)],
    ['deep page', request(450)],
  ])('groups: %s skips the offset in groups__created', async (_name, page) => {
    const plan = await pagePlan(pageStatements('groups', 'g', orgId, page).page);
    expect(plan).toMatch(/Index Only Scan using groups__created on groups/);
    expect(plan).not.toMatch(/Seq Scan|WindowAgg/);
  });
});

describe('a page comes back in its order', () => {
  // The page's ids are chosen in order by the subquery; the rows are then read by primary key,
  // in id order: only the outer sort gives the page its order back.
  const cases: [string, PageRequest, RawBuilder<unknown>][] = [
    [
      'creation order',
      { where: undefined, order: undefined, descending: false, offset: 100, limit: 50 },
      sql`created_at, id`,
    ],
    [
      'userName descending',
      { where: undefined, order: sql`lower(m.user_name)`, descending: true, offset: 100, limit: 50 },
      sql`lower(user_name) desc, id`,
    ],
  ];
  it.each(cases)('%s', async (_name, request, order) => {
    const db = harness.db;
    const expected = await sql<{ id: string }>`
      select id from members where org_id = ${orgId} order by ${order} offset 100 limit 50`.execute(db);
    const page = await selectPage<{ id: string }>(db, 'members', 'm', orgId, request);
    expect(page.total).toBe(5000);
    expect(page.rows.map((row) => row.id)).toEqual(expected.rows.map((row) => row.id));
  });

  it('reads the page back by primary key, even in a generic plan (prepared statements)', async () => {
    const plan = await withPlanner(['enable_seqscan', 'enable_bitmapscan'], async (trx) => {
      await sql`set local plan_cache_mode = force_generic_plan`.execute(trx);
      // A prepared statement with its parameters, as node-postgres sends it.
      const { sql: text, parameters } = pageStatements('members', 'm', orgId, {
        where: sql<SqlBool>`m.managed_by = 'scim'`,
        order: undefined,
        descending: false,
        offset: 4900,
        limit: 100,
      }).page.compile(trx);
      await sql`prepare roster_page_plan as ${sql.raw(text)}`.execute(trx);
      const values = sql.join(parameters.map((value) => sql.lit(String(value))));
      const result = await sql<{
        'QUERY PLAN': string;
      }>`explain execute roster_page_plan (${values})`.execute(trx);
      await sql`deallocate roster_page_plan`.execute(trx);
      return result.rows.map((row) => row['QUERY PLAN']).join('\n');
    });
    expect(plan).toMatch(/\$\d/); // generic: the plan still names its parameters
    expect(plan).toMatch(/Index Only Scan using members__created on members/);
    expect(plan).toMatch(/Index Scan (using|on) members__pk[\s\S]*id = ANY/);
    expect(plan).not.toMatch(/Seq Scan|Hash Join/);
  });
});

describe('membership removal', () => {
  it('finds the member by the whole primary key in a generic plan, however stale the group statistics', async () => {
    const db = harness.db;
    // Many small groups analyzed, then one group grown to thousands of members since: the
    // statistics put a handful of rows in any group, as they do before autovacuum catches up.
    const org = await harness.newOrg();
    await sql`
      insert into members (org_id, id, user_name, data)
      select ${org.id}, gen_random_uuid(), 'big' || i || '@contoso.com', '{}'::jsonb
      from generate_series(1, 4000) as i`.execute(db);
    await sql`
      insert into groups (org_id, id, display_name, data)
      select ${org.id}, gen_random_uuid(), 'Small ' || i, '{}'::jsonb from generate_series(1, 400) as i`.execute(
      db,
    );
    await sql`
      insert into group_members (org_id, group_id, member_id)
      select g.org_id, g.id, m.id from groups as g
      cross join lateral (select id from members where org_id = g.org_id limit 2) as m
      where g.org_id = ${org.id}`.execute(db);
    await sql`analyze group_members`.execute(db);
    const big = crypto.randomUUID();
    await sql`insert into groups (org_id, id, display_name, data) values (${org.id}, ${big}, 'Big', '{}'::jsonb)`.execute(
      db,
    );
    await sql`
      insert into group_members (org_id, group_id, member_id)
      select org_id, ${big}::uuid, id from members where org_id = ${org.id}`.execute(db);
    // A member of the big group only (the small groups all hold the same two).
    const member = (
      await sql<{ id: string }>`
        select m.id from members as m where m.org_id = ${org.id}
        and (select count(*) from group_members as gm where gm.org_id = m.org_id and gm.member_id = m.id) = 1
        limit 1`.execute(db)
    ).rows[0];

    // `explain analyze` runs the delete: the transaction is rolled back afterwards.
    let plan = '';
    const rollback = new Error('rollback');
    await db
      .transaction()
      .execute(async (trx) => {
        await sql`set local plan_cache_mode = force_generic_plan`.execute(trx);
        const { sql: text, parameters } = removeGroupMembersQuery(
          trx,
          org.id,
          big,
          [member?.id as string],
          'scim',
        ).compile();
        await sql`prepare roster_remove_plan as ${sql.raw(text)}`.execute(trx);
        const values = sql.join(parameters.map((value) => sql.lit(String(value))));
        const result = await sql<{
          'QUERY PLAN': string;
        }>`explain analyze execute roster_remove_plan (${values})`.execute(trx);
        plan = result.rows.map((row) => row['QUERY PLAN']).join('\n');
        throw rollback;
      })
      .catch((error: unknown) => {
        if (error !== rollback) throw error;
      });
    expect(plan).toMatch(/\$\d/); // generic
    expect(plan).toMatch(
      /Index Scan using group_members__(pk|member) on group_members[^\n]*\n\s*Index Cond: [^\n]*member_id = /,
    );
    expect(plan).not.toMatch(/Rows Removed by Filter: \d{3,}/);
  });
});
