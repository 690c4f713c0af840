/**
 * The lookups IdPs make (entra-wire.md §4.1, §7.1; ping-wire.md §4.1) must be index lookups, never
 * a scan of the organization. With sequential scans disabled, PostgreSQL's plan for each compiled
 * filter must name the index that serves it.
 */

import type { Database } from '@roster/db';
import { parseFilter } from '@roster/scim-core/filter';
import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupFilterTarget } from '../src/groups/groups.repository.js';
import { compileFilter, type FilterTarget } from '../src/query/filter-sql.js';
import { userFilterTarget } from '../src/users/users.repository.js';
import { type Harness, startHarness } from './harness.js';

let harness: Harness;
let orgId: string;

/** Seeds one organization with thousands of users, groups and memberships, so the planner has statistics. */
beforeAll(async () => {
  harness = await startHarness('postgres');
  const db = harness.db as Kysely<Database>;
  const org = await harness.newOrg();
  const row = await db
    .selectFrom('organizations')
    .select('id')
    .where('slug', '=', org.slug)
    .executeTakeFirstOrThrow();
  orgId = row.id;
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
  await sql`analyze`.execute(db);
});
afterAll(async () => harness?.close());

async function planOf(table: 'members' | 'groups', alias: 'm' | 'g', condition: RawBuilder<SqlBool>) {
  const db = harness.db as Kysely<Database>;
  return db.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    const result = await sql<{ 'QUERY PLAN': string }>`
      explain select ${sql.raw(alias)}.id from ${sql.table(table)} as ${sql.raw(alias)}
      where ${sql.raw(alias)}.org_id = ${orgId} and ${condition}`.execute(trx);
    return result.rows.map((row) => row['QUERY PLAN']).join('\n');
  });
}

const compile = (target: FilterTarget, filter: string) => compileFilter(target, parseFilter(filter));
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
