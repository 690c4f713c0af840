/**
 * The rules of the /Groups endpoint, on parsed input. Every write runs in the route's transaction
 * (endpoints/scim-endpoint.ts) under the group's row lock.
 */
import { randomUUID } from 'node:crypto';
import type { Database, GroupRow } from '@roster/db';
import {
  addGroupMembers,
  deleteGroup as deleteGroupRow,
  findGroup,
  insertGroup,
  removeAllGroupMembers,
  removeGroupMembers,
  updateGroup,
} from '@roster/directory/groups';
import { isUuid } from '@roster/directory/ids';
import {
  findGroupByDisplayName,
  groupFilterTarget,
  listGroupsPage,
  type Membership,
  managedByFor,
  membershipsOfGroups,
  removeGroupMembersWhere,
  type Visibility,
} from '@roster/directory/scim';
import { groupChangeEvents, groupState, membershipEvents } from '@roster/events';
import { scimErrors } from '@roster/scim-core/errors';
import type { Filter } from '@roster/scim-core/filter';
import {
  applyPatch,
  type MemberReference,
  type MembershipChange,
  type PatchOperation,
} from '@roster/scim-core/patch';
import type { ResourceData } from '@roster/scim-core/resource';
import { groupResourceType, groupSchema } from '@roster/scim-core/schema';
import type { Kysely, Transaction } from 'kysely';
import { changedAttributes, recordScimChange, scimActor } from '../audit/record.js';
import { type Tenant, visibilityOf } from '../auth/tenant.js';
import type { Created, Write } from '../endpoints/scim-endpoint.js';
import { compileElementFilter, compileFilter, sortExpression } from '../query/filter-sql.js';
import type { ListQuery } from '../query/list-query.js';
import { assertIfMatch, type IfMatch } from '../versions.js';
import type { ManagerGuard } from '../writes/keep-a-manager.js';

type Db = Kysely<Database>;

export const notFound = (id: string) =>
  scimErrors.notFound(
    `No group with id "${id}" exists in this organization. It may have been deleted; look it up by displayName.`,
  );

/** A POST or PUT body: the group's attributes, and its members apart (they are rows of their own). */
export interface GroupInput {
  data: ResourceData;
  members: MemberReference[];
}

/**
 * Adds members; costs in proportion to the members added, whatever the group's size. Only ids
 * of users of this organization are inserted: an unknown id is skipped rather than failing the
 * batch (Entra sends only ids it provisioned; Microsoft's reference tests add placeholder ids).
 * Each membership keeps the `display` sent with it. Returns the ids of the members added.
 */
async function addMembers(
  trx: Transaction<Database>,
  orgId: string,
  groupId: string,
  members: MemberReference[],
  visibility: Visibility,
): Promise<string[]> {
  const displays = new Map<string, string | null>();
  for (const m of members) if (isUuid(m.value)) displays.set(m.value.toLowerCase(), m.display ?? null);
  return addGroupMembers(trx, orgId, groupId, [...displays.keys()], {
    displays,
    managedBy: managedByFor(visibility),
  });
}

const membersAttribute = groupSchema.attributes.find((a) => a.name === 'members');

/** `members[type eq "User"]` and other member filters, compiled to a condition over `group_members`. */
function memberCondition(filter: Filter) {
  if (!membersAttribute) throw new Error('Group schema has no members attribute');
  return compileElementFilter(
    membersAttribute,
    filter,
    (sub) => groupFilterTarget.related.members?.subs[sub.name],
  );
}

/** The members a write added to and removed from a group, in order (a member may be in both). */
interface MembershipDelta {
  added: string[];
  removed: string[];
}

/** The audit trail's counts of a membership change. */
const membershipCounts = ({ added, removed }: MembershipDelta) => ({
  membersAdded: added.length,
  membersRemoved: removed.length,
});

/**
 * Applies membership changes; returns the members added and removed, for the audit trail's
 * counts and one event each. Removals touch only memberships the client sees: without "Provision existing users",
 * those of the members it created or adopted. A portal member's membership in a group the IdP
 * manages stays (the client could never add it back), and so does the role it may give.
 */
async function applyMembership(
  trx: Transaction<Database>,
  tenant: Tenant,
  groupId: string,
  changes: MembershipChange[],
): Promise<MembershipDelta> {
  const { orgId } = tenant;
  const visibility = visibilityOf(tenant);
  const visible = { managedBy: managedByFor(visibility) };
  const add = (members: MemberReference[]) => addMembers(trx, orgId, groupId, members, visibility);
  const removeAll = () => removeAllGroupMembers(trx, orgId, groupId, visible);
  const added: string[] = [];
  const removed: string[] = [];
  for (const change of changes) {
    switch (change.kind) {
      case 'add':
        added.push(...(await add(change.members)));
        break;
      case 'remove':
        removed.push(...(await removeGroupMembers(trx, orgId, groupId, change.ids.filter(isUuid), visible)));
        break;
      case 'removeAll':
        removed.push(...(await removeAll()));
        break;
      case 'removeWhere':
        removed.push(
          ...(await removeGroupMembersWhere(trx, orgId, groupId, memberCondition(change.filter), visibility)),
        );
        break;
      case 'replace':
        removed.push(...(await removeAll()));
        added.push(...(await add(change.members)));
        break;
    }
  }
  return { added, removed };
}

/**
 * Before a write to a group with the manager role that removes members (or the group): it may
 * take the role from the last active manager, so it runs under that rule (keep-a-manager.ts).
 */
async function guardManagerGroup(
  guard: ManagerGuard,
  group: GroupRow,
  removes: boolean,
  action: string,
): Promise<void> {
  if (group.role === 'manager' && removes)
    await guard.mayRemoveManager({ type: 'group', id: group.id }, action);
}

const removesMembers = (changes: MembershipChange[]) => changes.some((change) => change.kind !== 'add');

/**
 * POST /Groups. A group whose displayName matches a portal group adopts it: the admin created the
 * groups that should stay, with their roles, before turning group sync on
 * (docs/reference/product.md#the-administrators-flow); the IdP's membership replaces the memberships it sees
 * (portal members it cannot see stay), unless that would leave no active manager. A match with an IdP group is a 409.
 */
export async function createGroup(
  { trx, guard, tenant }: Write,
  { data, members }: GroupInput,
): Promise<Created<GroupRow, Membership[]>> {
  const existing = await findGroupByDisplayName(trx, tenant.orgId, String(data.displayName));
  const adopted = existing?.managed_by === 'portal' ? existing : undefined;
  // Adoption replaces the members the client sees.
  if (adopted) await guardManagerGroup(guard, adopted, true, 'scim.group.adopted');
  // An existing IdP group falls through to the unique index's 409.
  const row = adopted
    ? await updateGroup(trx, tenant.orgId, adopted.id, { data, managedBy: 'scim' })
    : await insertGroup(trx, {
        orgId: tenant.orgId,
        id: randomUUID(),
        data,
        role: null,
        managedBy: 'scim',
      });
  const delta = await applyMembership(trx, tenant, row.id, [{ kind: adopted ? 'replace' : 'add', members }]);
  const { membersAdded, membersRemoved } = membershipCounts(delta);
  const actor = scimActor(tenant);
  await recordScimChange(
    trx,
    tenant,
    adopted ? 'scim.group.adopted' : 'scim.group.created',
    { type: 'group', id: row.id },
    // A new group had no members to remove.
    { displayName: row.display_name, membersAdded, ...(adopted ? { membersRemoved } : {}) },
    [
      ...(adopted
        ? groupChangeEvents(actor, adopted, row)
        : [{ type: 'group.created' as const, actor, data: groupState(row) }]),
      ...membershipEvents(actor, row, delta.added, delta.removed),
    ],
  );
  // The route reads the members back, before the commit: the body's may name unknown ids,
  // repeats, or users the client cannot see.
  return { row, related: undefined };
}

export async function getGroup(db: Db, tenant: Tenant, id: string): Promise<GroupRow> {
  const row = await findGroup(db, tenant.orgId, id);
  if (!row) throw notFound(id);
  return row;
}

async function modifyGroup(
  { trx, guard, tenant }: Write,
  id: string,
  ifMatch: IfMatch | undefined,
  change: (current: ResourceData) => { data: ResourceData; membership: MembershipChange[] } | undefined,
): Promise<GroupRow> {
  // The row lock serialises writers of one group: concurrent member adds all land.
  const current = await findGroup(trx, tenant.orgId, id, { forUpdate: true });
  if (!current) throw notFound(id);
  assertIfMatch(ifMatch, current.version);
  const next = change(current.data as ResourceData);
  if (!next) return current;
  // A write to a portal group adopts it, as a create would: Entra and Ping find it by name first.
  const adopting = current.managed_by === 'portal';
  const action = adopting ? 'scim.group.adopted' : 'scim.group.updated';
  await guardManagerGroup(guard, current, removesMembers(next.membership), action);
  const delta = await applyMembership(trx, tenant, id, next.membership);
  const row = adopting
    ? await updateGroup(trx, tenant.orgId, id, { data: next.data, managedBy: 'scim' })
    : await updateGroup(trx, tenant.orgId, id, { data: next.data });
  const actor = scimActor(tenant);
  await recordScimChange(
    trx,
    tenant,
    action,
    { type: 'group', id },
    {
      attributes: changedAttributes(current.data as ResourceData, next.data),
      ...membershipCounts(delta),
    },
    // A PATCH adding 500 members: 500 events, appended in this one statement.
    [...groupChangeEvents(actor, current, row), ...membershipEvents(actor, row, delta.added, delta.removed)],
  );
  return row;
}

/** PUT replaces the group, members included: members left out of the body are removed (RFC 7644 §3.5.1). */
export function replaceGroup(
  write: Write,
  id: string,
  { data, members }: GroupInput,
  ifMatch: IfMatch | undefined,
) {
  return modifyGroup(write, id, ifMatch, () => ({ data, membership: [{ kind: 'replace', members }] }));
}

export function patchGroup(
  write: Write,
  id: string,
  operations: PatchOperation[],
  ifMatch: IfMatch | undefined,
) {
  return modifyGroup(write, id, ifMatch, (current) => {
    const result = applyPatch(groupResourceType, current, operations);
    return result.changed ? { data: result.data, membership: result.membership } : undefined;
  });
}

export async function deleteGroup({ trx, guard, tenant }: Write, id: string, ifMatch: IfMatch | undefined) {
  const current = await findGroup(trx, tenant.orgId, id, { forUpdate: true });
  if (!current) throw notFound(id);
  assertIfMatch(ifMatch, current.version);
  await guardManagerGroup(guard, current, true, 'scim.group.deleted');
  await deleteGroupRow(trx, tenant.orgId, id);
  await recordScimChange(
    trx,
    tenant,
    'scim.group.deleted',
    { type: 'group', id },
    { displayName: current.display_name },
    // Its memberships went with it (no group.member_removed events of their own).
    [{ type: 'group.deleted', actor: scimActor(tenant), data: { id } }],
  );
}

export function listGroups(db: Db, tenant: Tenant, query: ListQuery) {
  return listGroupsPage(db, tenant.orgId, {
    where: query.filter ? compileFilter(groupFilterTarget, query.filter, tenant.orgId) : undefined,
    order: query.sortBy ? sortExpression(groupFilterTarget, query.sortBy) : undefined,
    descending: query.sortOrder === 'descending',
    offset: query.startIndex - 1,
    limit: query.count,
  });
}

/** The memberships of the listed groups, for their `members` attribute. */
export function membershipsOf(db: Db, tenant: Tenant, groupIds: string[]) {
  return membershipsOfGroups(db, tenant.orgId, groupIds);
}
