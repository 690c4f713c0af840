/** All SQL about users (the `members` table). Every statement is scoped to one organization. */
import type { Database, MemberRow, Role } from '@roster/db';
import {
  deleteMember,
  findMember,
  insertMemberUnlessTaken,
  updateMemberData,
} from '@roster/directory/members';
import type { ResourceData } from '@roster/scim-core/resource';
import { userResourceType } from '@roster/scim-core/schema';
import { type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
import type { Tenant } from '../auth/tenant.js';
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

/**
 * Which members the SCIM client sees: all of them when the organization provisions existing
 * users, else only those it created or adopted (docs/reference/product.md#what-provisioning-does).
 */
export type Visibility = 'all' | 'scim';

export const visibilityOf = (tenant: Tenant): Visibility =>
  tenant.switches.provisionExistingUsers ? 'all' : 'scim';

/** A new user, or `undefined` (nothing written) when the userName is taken. */
export const insertUserUnlessTaken = (
  trx: Transaction<Database>,
  orgId: string,
  id: string,
  data: ResourceData,
  role: Role,
) => insertMemberUnlessTaken(trx, { orgId, id, data, role, managedBy: 'scim' });

/** A user by id, among those the client may see. */
export const findUser = (
  db: Db,
  orgId: string,
  id: string,
  visibility: Visibility,
  options: { forUpdate?: boolean } = {},
): Promise<MemberRow | undefined> =>
  findMember(db, orgId, id, { ...options, managedBy: visibility === 'scim' ? 'scim' : undefined });

/** The member with this userName (case-insensitively, by the unique index), locked, whoever manages it. */
export function findUserByUserName(trx: Transaction<Database>, orgId: string, userName: string) {
  return (
    trx
      .selectFrom('members')
      .selectAll()
      .where('org_id', '=', orgId)
      // lower() on both sides: the unique index folds case as PostgreSQL does ('İ' → 'i'), not as JavaScript does.
      .where(sql<string>`lower(user_name)`, '=', sql<string>`lower(${userName})`)
      .forUpdate()
      .executeTakeFirst()
  );
}

/** Writes new SCIM data, and the role when the data assigns one. */
export const updateUser = (
  trx: Transaction<Database>,
  orgId: string,
  id: string,
  data: ResourceData,
  emailsChanged: boolean,
  role: Role | undefined,
) => updateMemberData(trx, orgId, id, data, emailsChanged, { role });

/** Adopts a portal member: the IdP's data replaces the profile, and the member becomes scim-managed. */
export const adoptUser = (
  trx: Transaction<Database>,
  orgId: string,
  id: string,
  data: ResourceData,
  role: Role | undefined,
) => updateMemberData(trx, orgId, id, data, true, { role, managedBy: 'scim' });

/** Deletes a user (found and locked first); memberships, email rows and keys go with it. */
export const deleteUser = deleteMember;

export function listUsers(
  db: Db,
  orgId: string,
  visibility: Visibility,
  request: PageRequest,
): Promise<Page<MemberRow>> {
  if (visibility === 'all') return selectPage<MemberRow>(db, 'members', 'm', orgId, request);
  const own = sql<SqlBool>`m.managed_by = 'scim'`;
  const where = request.where ? sql<SqlBool>`(${request.where}) and ${own}` : own;
  return selectPage<MemberRow>(db, 'members', 'm', orgId, { ...request, where });
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
