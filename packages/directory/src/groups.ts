/**
 * RBAC groups as stored: `data` is the group's SCIM document (without members), with
 * `display_name` and `external_id` derived from it here; `role` and `managed_by` belong to the
 * organization. Membership is one row per (group, member): adding or removing members costs in
 * proportion to the members named, whatever the group's size.
 */
import type { Database, GroupRow, ManagedBy, Role } from '@roster/db';
import { type Kysely, sql, type Transaction } from 'kysely';
import { likeContaining } from './search.js';

type Db = Kysely<Database>;
/** A group's canonical SCIM attributes, members excepted. */
export type GroupData = Record<string, unknown>;

/** The indexed columns derived from a group's SCIM data. */
export function groupColumns(data: GroupData) {
  return {
    display_name: String(data.displayName),
    external_id: typeof data.externalId === 'string' ? data.externalId : null,
  };
}

export async function insertGroup(
  trx: Transaction<Database>,
  group: { orgId: string; id: string; data: GroupData; role: Role | null; managedBy: ManagedBy },
): Promise<GroupRow> {
  return trx
    .insertInto('groups')
    .values({
      org_id: group.orgId,
      id: group.id,
      ...groupColumns(group.data),
      role: group.role,
      managed_by: group.managedBy,
      data: JSON.stringify(group.data),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findGroup(db: Db, orgId: string, id: string, options: { forUpdate?: boolean } = {}) {
  let query = db.selectFrom('groups').selectAll().where('org_id', '=', orgId).where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/**
 * Writes new data, role and/or owner, bumping the version (the SCIM ETag). With no changes it
 * bumps only the version: a membership change alters the SCIM representation too.
 */
export async function updateGroup(
  trx: Transaction<Database>,
  orgId: string,
  id: string,
  changes: { data?: GroupData; role?: Role | null; managedBy?: ManagedBy },
): Promise<GroupRow> {
  return trx
    .updateTable('groups')
    .set({
      ...(changes.data ? { ...groupColumns(changes.data), data: JSON.stringify(changes.data) } : {}),
      ...(changes.role !== undefined ? { role: changes.role } : {}),
      ...(changes.managedBy ? { managed_by: changes.managedBy } : {}),
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Deletes a group; its membership rows go with it (foreign key cascade). */
export async function deleteGroup(db: Db, orgId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('groups')
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** A group row with its sort key (`lower(display_name)`, as the database folds it). */
export type GroupWithKey = GroupRow & { sort_key: string };

export interface GroupQuery {
  /** Case-insensitive substring of the displayName. */
  q?: string | undefined;
  managedBy?: ManagedBy | undefined;
  /** Keyset paging: the groups after this (sort key, id). */
  after?: { key: string; id: string } | undefined;
  limit: number;
}

/**
 * One page of groups in (lower(display_name), id) order, along the `groups__display_name` index;
 * filters are checked along that walk (a substring match cannot use a b-tree index).
 */
export function listGroups(db: Db, orgId: string, query: GroupQuery): Promise<GroupWithKey[]> {
  let select = db
    .selectFrom('groups as g')
    .selectAll('g')
    .select(sql<string>`lower(g.display_name)`.as('sort_key'))
    .where('g.org_id', '=', orgId);
  if (query.managedBy) select = select.where('g.managed_by', '=', query.managedBy);
  if (query.q !== undefined) {
    select = select.where(
      sql<boolean>`lower(g.display_name) like lower(${likeContaining(query.q)}) escape '\\'`,
    );
  }
  const { after } = query;
  if (after) select = select.where(sql<boolean>`(lower(g.display_name), g.id) > (${after.key}, ${after.id})`);
  return select.orderBy(sql`lower(g.display_name)`).orderBy('g.id').limit(query.limit).execute();
}

/**
 * Adds members of the organization to a group in one statement, skipping those already in it and
 * ids of no member of the organization; returns the ids added. The ids travel as one array
 * parameter, not one parameter each (PostgreSQL takes at most 65,535), so even a SCIM PUT of the
 * largest group a body holds is one insert. Each row's `display` is the label the caller sent
 * for that member (`displays`, by id as in `memberIds`: a SCIM client's member `display`, kept as
 * sent), else the member's displayName, else their userName, as a SCIM client would label them.
 */
export async function addGroupMembers(
  trx: Transaction<Database>,
  orgId: string,
  groupId: string,
  memberIds: readonly string[],
  options: {
    displays?: ReadonlyMap<string, string | null>;
    /** Only members managed this way are added; the others are skipped like unknown ids. */
    managedBy?: ManagedBy | undefined;
  } = {},
): Promise<string[]> {
  if (memberIds.length === 0) return [];
  const { displays, managedBy } = options;
  const labels = memberIds.map((id) => displays?.get(id) ?? null);
  const result = await sql<{ member_id: string }>`
    insert into group_members (org_id, group_id, member_id, display)
    select m.org_id, ${groupId}::uuid, m.id,
      ${displays ? sql`v.display` : sql`coalesce(m.display_name, m.user_name)`}
    from unnest(${memberIds}::uuid[], ${labels}::text[]) as v(id, display)
    join members as m on m.org_id = ${orgId} and m.id = v.id
      ${managedBy ? sql`and m.managed_by = ${managedBy}` : sql``}
    on conflict (org_id, group_id, member_id) do nothing
    returning member_id`.execute(trx);
  return result.rows.map((row) => row.member_id);
}

/**
 * Only memberships of members managed this way (what a SCIM client sees without "Provision
 * existing users"), or all of them when `managedBy` is undefined.
 */
function managedByOnly(trx: Transaction<Database>, orgId: string, managedBy: ManagedBy) {
  return trx
    .selectFrom('members')
    .select('id')
    .where('org_id', '=', orgId)
    .where('managed_by', '=', managedBy);
}

/**
 * The delete of `removeGroupMembers` (exported for the test that checks its plan).
 *
 * One member, the usual PATCH (Entra removes members one at a time), is matched by equality on
 * the whole primary key. `member_id = any($3)` was not enough: statements are prepared
 * (@roster/db's prepared-statements.ts), and after five runs PostgreSQL may switch to a generic
 * plan, which cannot tell how long the array is. Where the statistics put few rows in a group
 * (they were taken before it grew, or most groups are small), that plan scanned the whole group by
 * `(org_id, group_id)` and filtered on the ids: 60 ms in a group of 100,000, against 0.1 ms.
 * Equality on every key column is a single index probe in any plan.
 */
export function removeGroupMembersQuery(
  trx: Transaction<Database>,
  orgId: string,
  groupId: string,
  memberIds: readonly string[],
  managedBy: ManagedBy | undefined,
) {
  let query = trx.deleteFrom('group_members').where('org_id', '=', orgId).where('group_id', '=', groupId);
  query =
    memberIds.length === 1
      ? query.where('member_id', '=', memberIds[0] as string)
      : query.where(sql<boolean>`member_id = any(${memberIds}::uuid[])`);
  if (managedBy) query = query.where('member_id', 'in', managedByOnly(trx, orgId, managedBy));
  return query;
}

/** Removes members from a group in one statement; returns the ids of those that were in it. */
export async function removeGroupMembers(
  trx: Transaction<Database>,
  orgId: string,
  groupId: string,
  memberIds: readonly string[],
  options: { managedBy?: ManagedBy | undefined } = {},
): Promise<string[]> {
  if (memberIds.length === 0) return [];
  const rows = await removeGroupMembersQuery(trx, orgId, groupId, memberIds, options.managedBy)
    .returning('member_id')
    .execute();
  return rows.map((row) => row.member_id);
}

/**
 * Removes every member from a group (`managedBy`: only the members managed this way); returns
 * the ids of those removed (each one's event).
 */
export async function removeAllGroupMembers(
  trx: Transaction<Database>,
  orgId: string,
  groupId: string,
  options: { managedBy?: ManagedBy | undefined } = {},
): Promise<string[]> {
  let query = trx.deleteFrom('group_members').where('org_id', '=', orgId).where('group_id', '=', groupId);
  if (options.managedBy) query = query.where('member_id', 'in', managedByOnly(trx, orgId, options.managedBy));
  const rows = await query.returning('member_id').execute();
  return rows.map((row) => row.member_id);
}

/** Removes one member from a group; false when they were not in it. */
export async function removeGroupMember(
  trx: Transaction<Database>,
  orgId: string,
  groupId: string,
  memberId: string,
): Promise<boolean> {
  return (await removeGroupMembers(trx, orgId, groupId, [memberId])).length > 0;
}

/** How many portal-managed groups the organization has: those an identity provider's group of the same name would adopt. */
export async function countPortalGroups(db: Db, orgId: string): Promise<number> {
  const row = await db
    .selectFrom('groups')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('org_id', '=', orgId)
    .where('managed_by', '=', 'portal')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The first `limit` portal-managed groups by name, each with how many members it has. */
export function listPortalGroups(
  db: Db,
  orgId: string,
  limit: number,
): Promise<(GroupRow & { member_count: string })[]> {
  return db
    .selectFrom('groups as g')
    .selectAll('g')
    .select((eb) =>
      eb
        .selectFrom('group_members as gm')
        .select(eb.fn.countAll<string>().as('n'))
        // The organization a constant (not g.org_id): one shard on Citus.
        .where('gm.org_id', '=', orgId)
        .whereRef('gm.group_id', '=', 'g.id')
        .as('member_count'),
    )
    .where('g.org_id', '=', orgId)
    .where('g.managed_by', '=', 'portal')
    .orderBy(sql`lower(g.display_name)`)
    .orderBy('g.id')
    .limit(limit)
    .$castTo<GroupRow & { member_count: string }>()
    .execute();
}
