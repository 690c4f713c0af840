/**
 * The rules of the /Users endpoint, on parsed input. Every write runs in the route's transaction
 * (endpoints/scim-endpoint.ts) under the user's row lock.
 */
import { randomUUID } from 'node:crypto';
import type { Database, MemberRow } from '@roster/db';
import {
  deleteMember,
  findMember,
  insertMemberUnlessTaken,
  memberColumns,
  updateMemberData,
} from '@roster/directory/members';
import {
  findMemberByUserName,
  type GroupOfMember,
  groupsOfMembers,
  listVisibleMembers,
  listVisibleMembersWithGroups,
  managedByFor,
  userFilterTarget,
  type Visibility,
} from '@roster/directory/scim';
import type { Page } from '@roster/directory/scim-page';
import { memberChangeEvents } from '@roster/events';
import { ScimError, scimErrors } from '@roster/scim-core/errors';
import { applyPatch, type PatchOperation } from '@roster/scim-core/patch';
import type { ResourceData } from '@roster/scim-core/resource';
import { userResourceType } from '@roster/scim-core/schema';
import type { Kysely } from 'kysely';
import { changedAttributes, recordScimChange, scimActor } from '../audit/record.js';
import { type Tenant, visibilityOf } from '../auth/tenant.js';
import type { Created, Write } from '../endpoints/scim-endpoint.js';
import { compileFilter, sortExpression } from '../query/filter-sql.js';
import type { ListQuery } from '../query/list-query.js';
import { assertIfMatch, type IfMatch } from '../versions.js';
import {
  assertSignInEmail,
  mayTakeManagerRole,
  roleAfterChange,
  roleFromScim,
  USER_NAME_TAKEN,
} from './member-rules.js';

type Db = Kysely<Database>;

export const notFound = (id: string) =>
  scimErrors.notFound(
    `No user with id "${id}" exists in this organization. It may have been deleted; look it up by userName.`,
  );

/** A JSON value with its object keys sorted, so that equal documents stringify equally. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  const object = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(object)
      .sort()
      .map((key) => [key, canonical(object[key])]),
  );
}

/**
 * JSON equality that ignores key order: stored data comes back from jsonb with its keys
 * reordered, so a plain JSON.stringify comparison made every identical PUT (Ping replays them on
 * each resync) a write with a new version and rewritten email rows.
 */
const sameJson = (a: unknown, b: unknown) =>
  JSON.stringify(canonical(a ?? null)) === JSON.stringify(canonical(b ?? null));

/** A user by id, among those the client may see. */
const findUser = (
  db: Db,
  orgId: string,
  id: string,
  visibility: Visibility,
  options: { forUpdate?: boolean } = {},
) => findMember(db, orgId, id, { ...options, managedBy: managedByFor(visibility) });

const PROVISION_EXISTING_USERS =
  'turn on "Provision existing users" under Identity configuration > Provisioning to let the identity provider adopt it';

/** What the audit trail records of a member's change: attribute names, and status and role moves. */
function memberChanges(before: MemberRow | undefined, after: MemberRow): Record<string, unknown> {
  const changes: Record<string, unknown> = {
    attributes: changedAttributes((before?.data ?? {}) as ResourceData, after.data as ResourceData),
  };
  if (before?.active !== after.active) changes.active = { from: before?.active, to: after.active };
  if (before?.role !== after.role) changes.role = { from: before?.role, to: after.role };
  return changes;
}

/**
 * POST /Users. A userName that already exists belongs either to a member the IdP manages (409),
 * or to a portal member: adopted when the organization provisions existing users, else a 409
 * that names the setting (docs/reference/product.md#what-provisioning-does). The insert is tried first, so a
 * new userName (nearly every create) costs one statement; a concurrent create of the same userName waits for this one
 * and then finds it taken.
 */
export async function createUser(
  { trx, guard, tenant }: Write,
  input: ResourceData,
): Promise<Created<MemberRow, GroupOfMember[]>> {
  // A user is active unless the client says otherwise (Ping creates disabled users with active:false).
  const data = input.active === undefined ? { ...input, active: true } : input;
  assertSignInEmail(data);
  const role = roleFromScim(data);
  const inserted = await insertMemberUnlessTaken(trx, {
    orgId: tenant.orgId,
    id: randomUUID(),
    data,
    role: role ?? 'basic',
    managedBy: 'scim',
  });
  if (inserted) {
    await recordScimChange(
      trx,
      tenant,
      'scim.member.created',
      { type: 'member', id: inserted.id },
      memberChanges(undefined, inserted),
      memberChangeEvents(scimActor(tenant), undefined, inserted),
    );
    // A new user is in no group; an adopted portal member may be.
    return { row: inserted, related: [] };
  }
  const existing = await findMemberByUserName(trx, tenant.orgId, String(data.userName));
  if (!existing) {
    throw new ScimError(
      409,
      'A user with this userName was deleted while this request ran. Retry the request.',
    );
  }
  if (existing.managed_by !== 'portal') throw scimErrors.uniqueness(USER_NAME_TAKEN);
  if (!tenant.switches.provisionExistingUsers) {
    throw scimErrors.uniqueness(
      `A member with userName "${existing.user_name}" already exists in this organization, managed in the portal: ${PROVISION_EXISTING_USERS}.`,
    );
  }
  if (mayTakeManagerRole(existing, data, role)) {
    await guard.mayRemoveManager({ type: 'member', id: existing.id }, 'scim.member.adopted');
  }
  // Adoption: the IdP's data replaces the profile, and the member becomes scim-managed.
  const adopted = await updateMemberData(trx, tenant.orgId, existing.id, data, true, {
    role,
    managedBy: 'scim',
  });
  await recordScimChange(
    trx,
    tenant,
    'scim.member.adopted',
    { type: 'member', id: adopted.id },
    memberChanges(existing, adopted),
    memberChangeEvents(scimActor(tenant), existing, adopted),
  );
  // Its groups are read by the route when the response shows them.
  return { row: adopted, related: undefined };
}

export async function getUser(db: Db, tenant: Tenant, id: string): Promise<MemberRow> {
  const row = await findUser(db, tenant.orgId, id, visibilityOf(tenant));
  if (!row) throw notFound(id);
  return row;
}

/**
 * Read-modify-write under a row lock, so concurrent writes to one user never lose each other's changes.
 * A change that deactivates or demotes the member keeps an active manager (keep-a-manager.ts).
 *
 * A write to a portal member (visible only while the organization provisions existing users)
 * adopts it like a create would: Entra and Ping look a user up before creating it, find the
 * portal member and update it, and never send the POST that docs/reference/product.md#what-provisioning-does
 * describes (found by the conformance sessions; docs/scim-features.md).
 */
async function modifyUser(
  { trx, guard, tenant }: Write,
  id: string,
  ifMatch: IfMatch | undefined,
  change: (current: ResourceData) => ResourceData | undefined,
): Promise<MemberRow> {
  const current = await findUser(trx, tenant.orgId, id, visibilityOf(tenant), { forUpdate: true });
  if (!current) throw notFound(id);
  assertIfMatch(ifMatch, current.version);
  const currentData = current.data as ResourceData;
  const next = change(currentData);
  if (!next || sameJson(next, currentData)) return current;
  assertSignInEmail(next);
  const role = roleAfterChange(currentData, next);
  const adopting = current.managed_by === 'portal';
  const action = adopting ? 'scim.member.adopted' : 'scim.member.updated';
  if (mayTakeManagerRole(current, next, role)) await guard.mayRemoveManager({ type: 'member', id }, action);
  const row = adopting
    ? await updateMemberData(trx, tenant.orgId, id, next, true, { role, managedBy: 'scim' })
    : await updateMemberData(trx, tenant.orgId, id, next, !sameJson(next.emails, currentData.emails), {
        role,
      });
  await recordScimChange(
    trx,
    tenant,
    action,
    { type: 'member', id },
    memberChanges(current, row),
    memberChangeEvents(scimActor(tenant), current, row),
  );
  return row;
}

/**
 * PUT: the body replaces the resource (RFC 7644 §3.5.1); read-only attributes are ignored. A PUT
 * that leaves `active` out keeps the current status: silently re-enabling a deactivated member
 * because a client omitted one attribute would hand access back.
 */
export function replaceUser(write: Write, id: string, data: ResourceData, ifMatch: IfMatch | undefined) {
  return modifyUser(write, id, ifMatch, (current) => ({
    ...data,
    active: data.active ?? current.active ?? true,
  }));
}

export function patchUser(
  write: Write,
  id: string,
  operations: PatchOperation[],
  ifMatch: IfMatch | undefined,
) {
  return modifyUser(write, id, ifMatch, (current) => {
    const result = applyPatch(userResourceType, current, operations);
    return result.changed ? result.data : undefined;
  });
}

/**
 * DELETE: the member leaves the organization; the audit trail keeps that it happened. A delete
 * always may remove a manager, so its route takes the organization's lock at once
 * (`removeLocksOrganization` in user.routes.ts).
 */
export async function deleteUser({ trx, guard, tenant }: Write, id: string, ifMatch: IfMatch | undefined) {
  const current = await findUser(trx, tenant.orgId, id, visibilityOf(tenant), { forUpdate: true });
  if (!current) throw notFound(id);
  assertIfMatch(ifMatch, current.version);
  if (current.active) await guard.mayRemoveManager({ type: 'member', id }, 'scim.member.deleted');
  await deleteMember(trx, tenant.orgId, id);
  await recordScimChange(
    trx,
    tenant,
    'scim.member.deleted',
    { type: 'member', id },
    { userName: current.user_name },
    // Its memberships went with it (no group.member_removed events of their own).
    [{ type: 'member.deleted', actor: scimActor(tenant), data: { id } }],
  );
}

/**
 * A page of users; with `withGroups` (the response returns `groups`) and group sync on, their
 * groups come in the same statement.
 */
export async function listUsers(
  db: Db,
  tenant: Tenant,
  query: ListQuery,
  withGroups: boolean,
): Promise<Page<MemberRow> & { related?: Map<string, GroupOfMember[]> }> {
  const request = {
    where: query.filter ? compileFilter(userFilterTarget, query.filter, tenant.orgId) : undefined,
    order: query.sortBy ? sortExpression(userFilterTarget, query.sortBy) : undefined,
    descending: query.sortOrder === 'descending',
    offset: query.startIndex - 1,
    limit: query.count,
  };
  const visibility = visibilityOf(tenant);
  // Without group sync, groups are the portal's: not shown to the IdP (groupsOf).
  if (!withGroups || !tenant.switches.syncGroups) {
    const page = await listVisibleMembers(db, tenant.orgId, visibility, request);
    return withGroups ? { ...page, related: new Map() } : page;
  }
  const { groups, ...page } = await listVisibleMembersWithGroups(db, tenant.orgId, visibility, request);
  return { ...page, related: groups };
}

/** The groups of the listed users, for their `groups` attribute (none shown without group sync). */
export async function groupsOf(
  db: Db,
  tenant: Tenant,
  userIds: string[],
): Promise<Map<string, GroupOfMember[]>> {
  // Without group sync, groups are the portal's: not shown to the IdP.
  return tenant.switches.syncGroups ? groupsOfMembers(db, tenant.orgId, userIds) : new Map();
}
