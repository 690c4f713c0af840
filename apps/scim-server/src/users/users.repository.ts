/** All SQL about users (the `members` table). Every statement is scoped to one organization. */
import type { Database, MemberRow } from '@roster/db';
import { findMember, insertMember, updateMemberData } from '@roster/directory/members';
import type { ResourceData } from '@roster/scim-core/resource';
import { userResourceType } from '@roster/scim-core/schema';
import { type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
import type { FilterTarget } from '../query/filter-sql.js';
import { type Page, type PageRequest, selectPage } from '../query/page.js';
import type { GroupReference } from './user-resource.js';

type Db = Kysely<Database>;

export const userFilterTarget: FilterTarget = {
  type: userResourceType,
  document: sql`m.data`,
  columns: {
    id: { expr: sql`m.id`, kind: 'uuid' },
    userName: { expr: sql`m.user_name`, kind: 'ci-text' },
    externalId: { expr: sql`m.external_id`, kind: 'text' },
    displayName: { expr: sql`m.display_name`, kind: 'ci-text' },
    active: { expr: sql`m.active`, kind: 'boolean' },
    'meta.created': { expr: sql`m.created_at`, kind: 'timestamp' },
    'meta.lastModified': { expr: sql`m.updated_at`, kind: 'timestamp' },
  },
  related: {
    emails: {
      from: sql`member_emails as e`,
      correlate: sql<SqlBool>`e.org_id = m.org_id and e.member_id = m.id`,
      subs: { value: { expr: sql`e.value`, kind: 'ci-text' }, type: { expr: sql`e.type`, kind: 'ci-text' } },
      inDocument: true,
    },
    groups: {
      from: sql`group_members as gm`,
      correlate: sql<SqlBool>`gm.org_id = m.org_id and gm.member_id = m.id`,
      subs: { value: { expr: sql`gm.group_id`, kind: 'uuid' } },
      inDocument: false,
    },
  },
};

export const insertUser = (trx: Transaction<Database>, orgId: string, id: string, data: ResourceData) =>
  insertMember(trx, { orgId, id, data, managedBy: 'scim' });
export const findUser = findMember;
export const updateUser = updateMemberData;

/** Deletes a user; memberships and email rows go with it (foreign keys cascade). */
export async function deleteUser(db: Db, orgId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('members')
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export function listUsers(db: Db, orgId: string, request: PageRequest): Promise<Page<MemberRow>> {
  return selectPage<MemberRow>(db, 'members', 'm', orgId, request);
}

/** The groups of several users in one query (no N+1 on list pages). */
export async function groupsOfUsers(db: Db, orgId: string, userIds: string[], baseUrl: string) {
  const byUser = new Map<string, GroupReference[]>();
  if (userIds.length === 0) return byUser;
  const rows = await db
    .selectFrom('group_members as gm')
    .innerJoin('groups as g', (join) =>
      join.onRef('g.org_id', '=', 'gm.org_id').onRef('g.id', '=', 'gm.group_id'),
    )
    .select(['gm.member_id', 'g.id', 'g.display_name'])
    .where('gm.org_id', '=', orgId)
    .where('gm.member_id', 'in', userIds)
    .orderBy('g.display_name')
    .execute();
  for (const row of rows) {
    const list = byUser.get(row.member_id) ?? [];
    list.push({
      value: row.id,
      display: row.display_name,
      $ref: `${baseUrl}/Groups/${row.id}`,
      type: 'direct',
    });
    byUser.set(row.member_id, list);
  }
  return byUser;
}
