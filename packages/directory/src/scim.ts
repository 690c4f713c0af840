/**
 * The SCIM service's own queries over members, groups and memberships: what a SCIM client may
 * see (visibility), the columns a SCIM filter is answered from, filter-driven pages, look-ups by
 * the unique name, and membership reads in bulk. The writes both apps share live in members.ts
 * and groups.ts; this module holds only what the SCIM protocol alone asks. Every statement is
 * scoped to one organization.
 */
import type { Database, GroupRow, ManagedBy, MemberRow } from '@roster/db';
import type { ResourceTypeDefinition } from '@roster/scim-core/schema';
import { groupResourceType, userResourceType } from '@roster/scim-core/schema';
import { type Kysely, type RawBuilder, type SqlBool, sql, type Transaction } from 'kysely';
import { type Page, type PageRequest, selectPage } from './scim-page.js';

type Db = Kysely<Database>;

/**
 * Which members the SCIM client sees: all of them when the organization provisions existing
 * users, else only those it created or adopted (docs/reference/product.md#what-provisioning-does).
 */
export type Visibility = 'all' | 'scim';

/** The `managedBy` narrowing of members.ts and groups.ts that a visibility stands for. */
export const managedByFor = (visibility: Visibility): ManagedBy | undefined =>
  visibility === 'scim' ? 'scim' : undefined;

/** How a SQL expression compares: decides case folding, casts and which operators make sense. */
export type OperandKind = 'text' | 'ci-text' | 'uuid' | 'boolean' | 'timestamp' | 'number';

export interface Operand {
  expr: RawBuilder<unknown>;
  kind: OperandKind;
}

/** A multi-valued attribute stored in its own table (e.g. email values, group members). */
export interface RelatedTable {
  /** `member_emails as e` */
  from: RawBuilder<unknown>;
  /**
   * Ties a related row to the outer resource row of organization `orgId`, which it names as a
   * constant: Citus routes a correlated subquery to one shard only when its own `org_id` is one.
   */
  correlate: (orgId: string) => RawBuilder<SqlBool>;
  /** The sub-attributes the table can answer. */
  subs: Record<string, Operand>;
  /**
   * Whether the resource's JSONB document holds the attribute too (emails do; memberships do not),
   * so filters on sub-attributes the table lacks (`emails[primary eq true]`) can be answered there.
   */
  inDocument: boolean;
}

/** Where a SCIM filter over one resource type is answered, for the filter compiler of the SCIM service. */
export interface FilterTarget {
  type: ResourceTypeDefinition;
  /** The JSONB document column of the outer row, e.g. `m.data`. */
  document: RawBuilder<unknown>;
  /** Attributes with their own column, keyed by canonical path (`userName`, `meta.created`). */
  columns: Record<string, Operand>;
  /** Multi-valued attributes answered by a related table, keyed by canonical name. */
  related: Record<string, RelatedTable>;
}

/** SCIM Users are rows of `members` (alias `m`). */
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
      correlate: (orgId) => sql<SqlBool>`e.org_id = ${orgId} and e.member_id = m.id`,
      subs: { value: { expr: sql`e.value`, kind: 'ci-text' }, type: { expr: sql`e.type`, kind: 'ci-text' } },
      inDocument: true,
    },
    groups: {
      from: sql`group_members as gm`,
      correlate: (orgId) => sql<SqlBool>`gm.org_id = ${orgId} and gm.member_id = m.id`,
      subs: { value: { expr: sql`gm.group_id`, kind: 'uuid' } },
      inDocument: false,
    },
  },
};

/** SCIM Groups are rows of `groups` (alias `g`); their members, rows of `group_members`. */
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
      correlate: (orgId) => sql<SqlBool>`gm.org_id = ${orgId} and gm.group_id = g.id`,
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

/**
 * The row whose unique name (a member's userName, a group's displayName) is this one, compared
 * case-insensitively as the unique index does, locked, whoever manages it. lower() on both sides:
 * the index folds case as PostgreSQL does ('İ' → 'i'), not as JavaScript does.
 */
function findLockedByName<T extends 'members' | 'groups'>(
  trx: Transaction<Database>,
  table: T,
  column: 'user_name' | 'display_name',
  orgId: string,
  name: string,
) {
  return sql<T extends 'members' ? MemberRow : GroupRow>`
    select * from ${sql.table(table)}
    where org_id = ${orgId} and lower(${sql.ref(column)}) = lower(${name})
    for update`
    .execute(trx)
    .then((result) => result.rows[0]);
}

export const findMemberByUserName = (trx: Transaction<Database>, orgId: string, userName: string) =>
  findLockedByName(trx, 'members', 'user_name', orgId, userName);

export const findGroupByDisplayName = (trx: Transaction<Database>, orgId: string, displayName: string) =>
  findLockedByName(trx, 'groups', 'display_name', orgId, displayName);

/** A page of the members the client sees, filtered and sorted as the request asks. */
export function listVisibleMembers(
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

/**
 * A page of members with each one's groups, in one statement: a userName lookup (an IdP's most
 * frequent request) is then one round trip for the page and its groups instead of two. The groups
 * come as a JSON array per row (by displayName, as `groupsOfMembers` orders them), read through
 * `group_members__member` for the page's rows only.
 */
export async function listVisibleMembersWithGroups(
  db: Db,
  orgId: string,
  visibility: Visibility,
  request: PageRequest,
): Promise<Page<MemberRow> & { groups: Map<string, GroupOfMember[]> }> {
  const related = sql`coalesce((
    select json_agg(json_build_object('id', g.id, 'display_name', g.display_name) order by g.display_name)
    from group_members as gm
    join groups as g on g.org_id = ${orgId} and g.id = gm.group_id
    -- The organization a constant, not m.org_id: on Citus that keeps the statement on one shard.
    where gm.org_id = ${orgId} and gm.member_id = m.id
  ), '[]'::json)`;
  const page = await listVisibleMembers(db, orgId, visibility, { ...request, related });
  const groups = new Map<string, GroupOfMember[]>();
  const rows = page.rows.map((row) => {
    const { related: list, ...member } = row as MemberRow & { related: GroupOfMember[] | string };
    // PostgreSQL's json comes parsed from pg and PGlite alike; a string only from a driver that does not.
    groups.set(member.id, typeof list === 'string' ? JSON.parse(list) : list);
    return member as MemberRow;
  });
  return { rows, total: page.total, groups };
}

/** A page of groups, filtered and sorted as the request asks (a SCIM client sees every group). */
export function listGroupsPage(db: Db, orgId: string, request: PageRequest): Promise<Page<GroupRow>> {
  return selectPage<GroupRow>(db, 'groups', 'g', orgId, request);
}

/**
 * Removes the memberships of a group that match `condition` (a compiled member filter over
 * `gm`, e.g. `members[type eq "User"]`), among those of the members the client sees.
 */
export async function removeGroupMembersWhere(
  trx: Transaction<Database>,
  orgId: string,
  groupId: string,
  condition: RawBuilder<SqlBool>,
  visibility: Visibility,
): Promise<string[]> {
  const result = await sql<{ member_id: string }>`
    delete from group_members as gm
    where gm.org_id = ${orgId} and gm.group_id = ${groupId} and ${condition}
      ${
        visibility === 'scim'
          ? sql`and exists (select 1 from members as m
              where m.org_id = ${orgId} and m.id = gm.member_id and m.managed_by = 'scim')`
          : sql``
      }
    returning gm.member_id`.execute(trx);
  return result.rows.map((row) => row.member_id);
}

/** One membership row as a SCIM Group lists it: the member and the label sent with it. */
export interface Membership {
  member_id: string;
  display: string | null;
}

/** The memberships of several groups in one query (no N+1 on list pages). */
export async function membershipsOfGroups(
  db: Db,
  orgId: string,
  groupIds: string[],
): Promise<Map<string, Membership[]>> {
  const byGroup = new Map<string, Membership[]>();
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

/** A group a member is in, as a SCIM User lists it. */
export interface GroupOfMember {
  id: string;
  display_name: string;
}

/** The groups of several members in one query (no N+1 on list pages), by displayName. */
export async function groupsOfMembers(
  db: Db,
  orgId: string,
  memberIds: string[],
): Promise<Map<string, GroupOfMember[]>> {
  const byMember = new Map<string, GroupOfMember[]>();
  if (memberIds.length === 0) return byMember;
  const rows = await db
    .selectFrom('group_members as gm')
    .innerJoin('groups as g', (join) =>
      join.onRef('g.org_id', '=', 'gm.org_id').onRef('g.id', '=', 'gm.group_id'),
    )
    .select(['gm.member_id', 'g.id', 'g.display_name'])
    .where('gm.org_id', '=', orgId)
    .where('gm.member_id', 'in', memberIds)
    .orderBy('g.display_name')
    .execute();
  for (const row of rows) {
    const list = byMember.get(row.member_id) ?? [];
    list.push({ id: row.id, display_name: row.display_name });
    byMember.set(row.member_id, list);
  }
  return byMember;
}
