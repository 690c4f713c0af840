/** All SQL about groups and their membership. Every statement is scoped to one organization. */
import type { Database, GroupRow } from '@roster/db';
import * as directory from '@roster/directory/groups';
import type { Filter } from '@roster/scim-core/filter';
import type { MemberReference } from '@roster/scim-core/patch';
import type { ResourceData } from '@roster/scim-core/resource';
import { groupResourceType, groupSchema } from '@roster/scim-core/schema';
import { type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
import { compileElementFilter, type FilterTarget } from '../query/filter-sql.js';
import { isResourceId } from '../query/ids.js';
import { type Page, type PageRequest, selectPage } from '../query/page.js';
import type { Visibility } from '../users/users.repository.js';
import type { MemberRow } from './group-resource.js';

type Db = Kysely<Database>;

export const groupFilterTarget: FilterTarget = {
  type: groupResourceType,
  document: sql`g.data`,
  columns: {
    id: { expr: sql`g.id`, kind: 'uuid' },
    displayName: { expr: sql`g.display_name`, kind: 'ci-text' },
    externalId: { expr: sql`g.external_id`, kind: 'text' },
    'meta.created': { expr: sql`g.created_at`, kind: 'timestamp' },
    'meta.lastModified': { expr: sql`g.updated_at`, kind: 'timestamp' },
  },
  related: {
    members: {
      from: sql`group_members as gm`,
      correlate: sql<SqlBool>`gm.org_id = g.org_id and gm.group_id = g.id`,
      subs: {
        value: { expr: sql`gm.member_id`, kind: 'uuid' },
        display: { expr: sql`gm.display`, kind: 'ci-text' },
        // Members are users (nested groups are not stored), so every member's type is User.
        type: { expr: sql`'User'`, kind: 'ci-text' },
      },
      inDocument: false,
    },
  },
};

/** A group the IdP creates: scim-managed, without a role (roles are the portal's to give). */
export const insertGroup = (trx: Transaction<Database>, orgId: string, id: string, data: ResourceData) =>
  directory.insertGroup(trx, { orgId, id, data, role: null, managedBy: 'scim' });

export const findGroup = directory.findGroup;

/** The group with this displayName (case-insensitively, by the unique index), locked. */
export function findGroupByDisplayName(trx: Transaction<Database>, orgId: string, displayName: string) {
  return (
    trx
      .selectFrom('groups')
      .selectAll()
      .where('org_id', '=', orgId)
      // lower() on both sides: the unique index folds case as PostgreSQL does ('İ' → 'i'), not as JavaScript does.
      .where(sql<string>`lower(display_name)`, '=', sql<string>`lower(${displayName})`)
      .forUpdate()
      .executeTakeFirst()
  );
}

/** A portal group handed to the IdP: its data replaced, its role kept, marked scim-managed. */
export const adoptGroup = (trx: Transaction<Database>, orgId: string, id: string, data: ResourceData) =>
  directory.updateGroup(trx, orgId, id, { data, managedBy: 'scim' });

/** Writes new data (or only a new version, after a membership change) in one single-row update. */
export const updateGroup = (trx: Transaction<Database>, orgId: string, id: string, data: ResourceData) =>
  directory.updateGroup(trx, orgId, id, { data });

/** Deletes a group; its membership rows go with it (foreign key cascade). */
export const deleteGroup = directory.deleteGroup;

export function listGroups(db: Db, orgId: string, request: PageRequest): Promise<Page<GroupRow>> {
  return selectPage<GroupRow>(db, 'groups', 'g', orgId, request);
}

/**
 * Adds members; costs in proportion to the members added, whatever the group's size. Only ids
 * of users of this organization are inserted: an unknown id is skipped rather than failing the
 * batch (Entra sends only ids it provisioned; Microsoft's reference tests add placeholder ids).
 * Each membership keeps the `display` sent with it. Returns how many memberships were created.
 */
export async function addMembers(
  trx: Transaction<Database>,
  orgId: string,
  groupId: string,
  members: MemberReference[],
  visibility: Visibility,
): Promise<number> {
  const displays = new Map<string, string | null>();
  for (const m of members) if (isResourceId(m.value)) displays.set(m.value.toLowerCase(), m.display ?? null);
  const added = await directory.addGroupMembers(trx, orgId, groupId, [...displays.keys()], {
    displays,
    managedBy: visibility === 'scim' ? 'scim' : undefined,
  });
  return added.length;
}

/**
 * Removals touch only memberships the client sees: without "Provision existing users", those of
 * the members it created or adopted. A portal member's membership in a group the IdP manages
 * stays (the client could never add it back), and so does the role it may give.
 */
const visibleOnly = (visibility: Visibility) => ({
  managedBy: visibility === 'scim' ? ('scim' as const) : undefined,
});

export const removeMembers = (
  trx: Transaction<Database>,
  orgId: string,
  groupId: string,
  ids: string[],
  visibility: Visibility,
) => directory.removeGroupMembers(trx, orgId, groupId, ids.filter(isResourceId), visibleOnly(visibility));

export const removeAllMembers = (
  trx: Transaction<Database>,
  orgId: string,
  groupId: string,
  visibility: Visibility,
) => directory.removeAllGroupMembers(trx, orgId, groupId, visibleOnly(visibility));

const membersAttribute = groupSchema.attributes.find((a) => a.name === 'members');

/** `remove members[type eq "User"]` and other member filters, evaluated in SQL. */
export async function removeMembersWhere(
  trx: Transaction<Database>,
  orgId: string,
  groupId: string,
  filter: Filter,
  visibility: Visibility,
) {
  if (!membersAttribute) throw new Error('Group schema has no members attribute');
  const condition = compileElementFilter(
    membersAttribute,
    filter,
    (sub) => groupFilterTarget.related.members?.subs[sub.name],
  );
  const result = await sql`
    delete from group_members as gm
    where gm.org_id = ${orgId} and gm.group_id = ${groupId} and ${condition}
      ${
        visibility === 'scim'
          ? sql`and exists (select 1 from members as m
              where m.org_id = gm.org_id and m.id = gm.member_id and m.managed_by = 'scim')`
          : sql``
      }`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/** The members of several groups in one query (no N+1 on list pages). */
export async function membersOfGroups(
  db: Db,
  orgId: string,
  groupIds: string[],
): Promise<Map<string, MemberRow[]>> {
  const byGroup = new Map<string, MemberRow[]>();
  if (groupIds.length === 0) return byGroup;
  const rows = await db
    .selectFrom('group_members')
    .select(['group_id', 'member_id', 'display'])
    .where('org_id', '=', orgId)
    .where('group_id', 'in', groupIds)
    .orderBy('group_id')
    .orderBy('member_id')
    .execute();
  for (const row of rows) {
    const list = byGroup.get(row.group_id) ?? [];
    list.push({ member_id: row.member_id, display: row.display });
    byGroup.set(row.group_id, list);
  }
  return byGroup;
}
