/** The rules of the /Groups endpoint; every write runs in one transaction under the group's row lock. */
import { randomUUID } from 'node:crypto';
import type { Database, GroupRow } from '@roster/db';
import { scimErrors } from '@roster/scim-core/errors';
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
import type { Tenant } from '../auth/authenticate.js';
import { assertIfMatch } from '../http/etag.js';
import { compileFilter, sortExpression } from '../query/filter-sql.js';
import { isResourceId } from '../query/ids.js';
import type { ListQuery } from '../query/list-query.js';
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

async function applyMembership(
  trx: Transaction<Database>,
  orgId: string,
  groupId: string,
  changes: MembershipChange[],
) {
  for (const change of changes) {
    switch (change.kind) {
      case 'add':
        await groups.addMembers(trx, orgId, groupId, change.members);
        break;
      case 'remove':
        await groups.removeMembers(trx, orgId, groupId, change.ids);
        break;
      case 'removeAll':
        await groups.removeAllMembers(trx, orgId, groupId);
        break;
      case 'removeWhere':
        await groups.removeMembersWhere(trx, orgId, groupId, change.filter);
        break;
      case 'replace':
        await groups.removeAllMembers(trx, orgId, groupId);
        await groups.addMembers(trx, orgId, groupId, change.members);
        break;
    }
  }
}

export async function createGroup(db: Db, tenant: Tenant, body: unknown): Promise<GroupRow> {
  const data = normalizeGroup(body);
  const members = membersOf(body);
  return db.transaction().execute(async (trx) => {
    const row = await groups.insertGroup(trx, tenant.orgId, randomUUID(), data);
    if (members.length > 0) await groups.addMembers(trx, tenant.orgId, row.id, members);
    return row;
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
  return db.transaction().execute(async (trx) => {
    // The row lock serialises writers of one group: concurrent member adds all land.
    const current = await groups.findGroup(trx, tenant.orgId, id, { forUpdate: true });
    if (!current) throw notFound(id);
    assertIfMatch(ifMatch, current.version);
    const next = change(current.data as ResourceData);
    if (!next) return current;
    await applyMembership(trx, tenant.orgId, id, next.membership);
    return groups.updateGroup(trx, tenant.orgId, id, next.data);
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
  if (!ifMatch) {
    if (!(await groups.deleteGroup(db, tenant.orgId, id))) throw notFound(id);
    return;
  }
  await db.transaction().execute(async (trx) => {
    const current = await groups.findGroup(trx, tenant.orgId, id, { forUpdate: true });
    if (!current) throw notFound(id);
    assertIfMatch(ifMatch, current.version);
    await groups.deleteGroup(trx, tenant.orgId, id);
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
