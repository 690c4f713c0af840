/** The rules of the /Groups endpoint; every write runs in one transaction under the group's row lock. */
import { randomUUID } from 'node:crypto';
import type { Database, GroupRow } from '@roster/db';
import { ScimError, scimErrors } from '@roster/scim-core/errors';
import {
  applyPatch,
  type MemberReference,
  type MembershipChange,
  memberReferences,
  parsePatchRequest,
} from '@roster/scim-core/patch';
import { normalizeResource, type ResourceData } from '@roster/scim-core/resource';
import { groupResourceType } from '@roster/scim-core/schema';
import type { Kysely, Transaction } from 'kysely';
import { changedAttributes, recordScimChange } from '../audit/record.js';
import type { Tenant } from '../auth/tenant.js';
import { assertIfMatch } from '../http/etag.js';
import { compileFilter, sortExpression } from '../query/filter-sql.js';
import { isResourceId } from '../query/ids.js';
import type { ListQuery } from '../query/list-query.js';
import { type ManagerGuard, writeKeepingAManager } from '../resources/keep-a-manager.js';
import type { Created, ReadRelated } from '../resources/resource-routes.js';
import { visibilityOf } from '../users/users.repository.js';
import type { MemberRow } from './group-resource.js';
import * as groups from './groups.repository.js';

type Db = Kysely<Database>;

const notFound = (id: string) =>
  scimErrors.notFound(
    `No group with id "${id}" exists in this organization. It may have been deleted; look it up by displayName.`,
  );

/** The members listed in a POST or PUT body, read like PATCH member values. */
function membersOf(body: unknown): MemberReference[] {
  if (typeof body !== 'object' || body === null) return [];
  const key = Object.keys(body).find((k) => k.toLowerCase() === 'members');
  return key === undefined ? [] : memberReferences((body as Record<string, unknown>)[key]);
}

function normalizeGroup(body: unknown): ResourceData {
  const { members: _members, ...data } = normalizeResource(groupResourceType, body);
  return data;
}

export function assertGroupSync(tenant: Tenant): void {
  if (!tenant.switches.syncGroups) {
    throw new ScimError(
      403,
      'Group provisioning is off for this organization: an administrator turns on "Sync SCIM groups" under Identity configuration > Provisioning (it needs RBAC). Until then, provision users only.',
    );
  }
}

/**
 * Applies membership changes; returns how many memberships were added and removed, for the audit
 * trail. Removals touch only the memberships of members the client sees (groups.repository.ts).
 */
async function applyMembership(
  trx: Transaction<Database>,
  tenant: Tenant,
  groupId: string,
  changes: MembershipChange[],
): Promise<{ membersAdded: number; membersRemoved: number }> {
  const { orgId } = tenant;
  const visibility = visibilityOf(tenant);
  const add = (members: MemberReference[]) => groups.addMembers(trx, orgId, groupId, members, visibility);
  let membersAdded = 0;
  let membersRemoved = 0;
  for (const change of changes) {
    switch (change.kind) {
      case 'add':
        membersAdded += await add(change.members);
        break;
      case 'remove':
        membersRemoved += await groups.removeMembers(trx, orgId, groupId, change.ids, visibility);
        break;
      case 'removeAll':
        membersRemoved += await groups.removeAllMembers(trx, orgId, groupId, visibility);
        break;
      case 'removeWhere':
        membersRemoved += await groups.removeMembersWhere(trx, orgId, groupId, change.filter, visibility);
        break;
      case 'replace':
        membersRemoved += await groups.removeAllMembers(trx, orgId, groupId, visibility);
        membersAdded += await add(change.members);
        break;
    }
  }
  return { membersAdded, membersRemoved };
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
  db: Db,
  tenant: Tenant,
  body: unknown,
  readMembers: ReadRelated<MemberRow[]>,
): Promise<Created<GroupRow, MemberRow[]>> {
  const data = normalizeGroup(body);
  const members = membersOf(body);
  return writeKeepingAManager(db, tenant, async (trx, guard) => {
    const existing = await groups.findGroupByDisplayName(trx, tenant.orgId, String(data.displayName));
    const adopted = existing?.managed_by === 'portal' ? existing : undefined;
    // Adoption replaces the members the client sees.
    if (adopted) await guardManagerGroup(guard, adopted, true, 'scim.group.adopted');
    // An existing IdP group falls through to the unique index's 409.
    const row = adopted
      ? await groups.adoptGroup(trx, tenant.orgId, adopted.id, data)
      : await groups.insertGroup(trx, tenant.orgId, randomUUID(), data);
    const { membersAdded, membersRemoved } = await applyMembership(trx, tenant, row.id, [
      { kind: adopted ? 'replace' : 'add', members },
    ]);
    await recordScimChange(
      trx,
      tenant,
      adopted ? 'scim.group.adopted' : 'scim.group.created',
      { type: 'group', id: row.id },
      // A new group had no members to remove.
      { displayName: row.display_name, membersAdded, ...(adopted ? { membersRemoved } : {}) },
    );
    // The members are read back, before the commit: the body's may name unknown ids, repeats, or
    // users the client cannot see.
    return { row, related: await readMembers(trx, row.id) };
  });
}

export async function getGroup(db: Db, tenant: Tenant, id: string): Promise<GroupRow> {
  const row = isResourceId(id) ? await groups.findGroup(db, tenant.orgId, id) : undefined;
  if (!row) throw notFound(id);
  return row;
}

async function modifyGroup(
  db: Db,
  tenant: Tenant,
  id: string,
  ifMatch: string | undefined,
  change: (current: ResourceData) => { data: ResourceData; membership: MembershipChange[] } | undefined,
): Promise<GroupRow> {
  if (!isResourceId(id)) throw notFound(id);
  return writeKeepingAManager(db, tenant, async (trx, guard) => {
    // The row lock serialises writers of one group: concurrent member adds all land.
    const current = await groups.findGroup(trx, tenant.orgId, id, { forUpdate: true });
    if (!current) throw notFound(id);
    assertIfMatch(ifMatch, current.version);
    const next = change(current.data as ResourceData);
    if (!next) return current;
    // A write to a portal group adopts it, as a create would: Entra and Ping find it by name first.
    const adopting = current.managed_by === 'portal';
    const action = adopting ? 'scim.group.adopted' : 'scim.group.updated';
    await guardManagerGroup(guard, current, removesMembers(next.membership), action);
    const membership = await applyMembership(trx, tenant, id, next.membership);
    const row = adopting
      ? await groups.adoptGroup(trx, tenant.orgId, id, next.data)
      : await groups.updateGroup(trx, tenant.orgId, id, next.data);
    await recordScimChange(
      trx,
      tenant,
      action,
      { type: 'group', id },
      {
        attributes: changedAttributes(current.data as ResourceData, next.data),
        ...membership,
      },
    );
    return row;
  });
}

/** PUT replaces the group, members included: members left out of the body are removed (RFC 7644 §3.5.1). */
export function replaceGroup(db: Db, tenant: Tenant, id: string, body: unknown, ifMatch?: string) {
  const data = normalizeGroup(body);
  const members = membersOf(body);
  return modifyGroup(db, tenant, id, ifMatch, () => ({ data, membership: [{ kind: 'replace', members }] }));
}

export function patchGroup(db: Db, tenant: Tenant, id: string, body: unknown, ifMatch?: string) {
  const operations = parsePatchRequest(body);
  return modifyGroup(db, tenant, id, ifMatch, (current) => {
    const result = applyPatch(groupResourceType, current, operations);
    return result.changed ? { data: result.data, membership: result.membership } : undefined;
  });
}

export async function deleteGroup(db: Db, tenant: Tenant, id: string, ifMatch?: string): Promise<void> {
  if (!isResourceId(id)) throw notFound(id);
  await writeKeepingAManager(db, tenant, async (trx, guard) => {
    const current = await groups.findGroup(trx, tenant.orgId, id, { forUpdate: true });
    if (!current) throw notFound(id);
    assertIfMatch(ifMatch, current.version);
    await guardManagerGroup(guard, current, true, 'scim.group.deleted');
    await groups.deleteGroup(trx, tenant.orgId, id);
    await recordScimChange(
      trx,
      tenant,
      'scim.group.deleted',
      { type: 'group', id },
      {
        displayName: current.display_name,
      },
    );
  });
}

export function listGroups(db: Db, tenant: Tenant, query: ListQuery) {
  return groups.listGroups(db, tenant.orgId, {
    where: query.filter ? compileFilter(groups.groupFilterTarget, query.filter) : undefined,
    order: query.sortBy ? sortExpression(groups.groupFilterTarget, query.sortBy) : undefined,
    descending: query.sortOrder === 'descending',
    offset: query.startIndex - 1,
    limit: query.count,
  });
}

export const membersOfGroups = groups.membersOfGroups;
