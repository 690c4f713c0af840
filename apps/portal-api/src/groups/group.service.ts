/**
 * The rules of groups management (RBAC groups, docs/reference/product.md#concepts): groups exist only while
 * the organization has RBAC on; a group synced from the identity provider is read-only while it owns
 * it; a change that takes the manager role from the last active manager is refused. Changes run
 * in the caller's transaction under the organization's lock, then the group's.
 */
import { randomUUID } from 'node:crypto';
import { type Database, type GroupRow, uniqueViolation } from '@roster/db';
import * as groups from '@roster/directory/groups';
import { existingMemberIds } from '@roster/directory/members';
import { groupChangeEvents, groupState, membershipEvents } from '@roster/events';
import type { Kysely, Transaction } from 'kysely';
import { diff, eventActor, recordMemberAction } from '../audit/record.js';
import type { Actor } from '../auth/actor.js';
import { ensureManagerRemains, listMembers, type MemberRecord } from '../members/member.service.js';
import { idpOwnership, isReadOnly, managedByIdentityProvider } from '../members/ownership.js';
import { oneWithProvenance, type ProvisionedBy, withProvenance } from '../members/provenance.js';
import { lockExistingOrganization } from '../organizations/lock.js';
import { portalErrors } from '../portal-error.js';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;
export type GroupRole = 'manager' | null;
export type GroupRecord = GroupRow & { readOnly: boolean; provisionedBy: ProvisionedBy | null };
type Page = groups.GroupQuery;

const groupNotFound = (id: string) => portalErrors.notFound(`No group "${id}" in this organization.`);

function requireRbac(rbacEnabled: boolean, actor: Actor): void {
  if (!rbacEnabled) {
    throw portalErrors.conflict(
      'rbac_disabled',
      `Groups exist only while RBAC is enabled, and it is off for this organization: enable RBAC on the organization first (PATCH /api/v1/orgs/${actor.orgSlug} with {"rbacEnabled": true}).`,
    );
  }
}

/** The unique index `groups__display_name` is case-insensitive, as SCIM's displayName matching is. */
function nameTaken(error: unknown, displayName: string): unknown {
  return uniqueViolation(error) === 'groups__display_name'
    ? portalErrors.conflict(
        'group_already_exists',
        `A group named "${displayName}" already exists in this organization (names are compared case-insensitively).`,
      )
    : error;
}

/**
 * Reads (this, `getGroup`, `listGroupMembers`) take RBAC and ownership from what authentication
 * read with the credential (`actor.org`): they hold no lock that a settings change waits for, so
 * reading them a moment earlier loses nothing. Changes read both again under the organization's lock.
 */
export async function listGroups(db: Db, actor: Actor, page: Page) {
  requireRbac(actor.org.rbacEnabled, actor);
  const rows = await groups.listGroups(db, actor.orgId, page);
  return withProvenance(
    db,
    actor.orgId,
    'group',
    rows.map((row) => ({ ...row, readOnly: isReadOnly(row.managed_by, actor.org.idpOwns.groups) })),
  );
}

export async function getGroup(db: Db, actor: Actor, id: string): Promise<GroupRecord> {
  requireRbac(actor.org.rbacEnabled, actor);
  const row = await groups.findGroup(db, actor.orgId, id);
  if (!row) throw groupNotFound(id);
  return oneWithProvenance(db, actor.orgId, 'group', {
    ...row,
    readOnly: isReadOnly(row.managed_by, actor.org.idpOwns.groups),
  });
}

export async function listGroupMembers(
  db: Db,
  actor: Actor,
  id: string,
  page: Pick<Page, 'after' | 'limit'>,
): Promise<MemberRecord[]> {
  // Only the group's existence matters here: its own readOnly would be computed for nothing.
  requireRbac(actor.org.rbacEnabled, actor);
  if (!(await groups.findGroup(db, actor.orgId, id))) throw groupNotFound(id);
  return listMembers(db, actor, { groupId: id, ...page });
}

export async function createGroup(
  trx: Trx,
  actor: Actor,
  input: { displayName: string; role: GroupRole },
): Promise<GroupRecord> {
  requireRbac((await lockExistingOrganization(trx, actor.orgId)).rbacEnabled, actor);
  const row = await groups
    .insertGroup(trx, {
      orgId: actor.orgId,
      id: randomUUID(),
      data: { displayName: input.displayName },
      role: input.role,
      managedBy: 'portal',
    })
    .catch((error: unknown) => {
      throw nameTaken(error, input.displayName);
    });
  await recordMemberAction(trx, actor, 'group.created', { type: 'group', id: row.id }, { ...input }, [
    { type: 'group.created', actor: eventActor(actor), data: groupState(row) },
  ]);
  return { ...row, readOnly: false, provisionedBy: null };
}

/**
 * Locks the organization, then the group, and refuses when the identity provider owns the group:
 * what it returns is therefore writable (readOnly false). RBAC and ownership are read under the
 * lock, not taken from `actor.org`: RBAC and provisioning changes hold the same lock until they
 * commit, so these reads see the settings this change commits under; authentication's may
 * predate a switch committed since.
 */
async function lockGroup(trx: Trx, actor: Actor, id: string): Promise<GroupRow> {
  requireRbac((await lockExistingOrganization(trx, actor.orgId)).rbacEnabled, actor);
  const group = await groups.findGroup(trx, actor.orgId, id, { forUpdate: true });
  if (!group) throw groupNotFound(id);
  if (isReadOnly(group.managed_by, (await idpOwnership(trx, actor.orgId)).groups)) {
    throw managedByIdentityProvider('group');
  }
  return group;
}

export async function updateGroup(
  trx: Trx,
  actor: Actor,
  id: string,
  change: { displayName?: string | undefined; role?: GroupRole | undefined },
): Promise<GroupRecord> {
  const current = await lockGroup(trx, actor, id);
  const before: { displayName: string; role: GroupRole } = {
    displayName: current.display_name,
    role: current.role === 'manager' ? 'manager' : null,
  };
  const after = {
    displayName: change.displayName ?? before.displayName,
    role: change.role === undefined ? before.role : change.role,
  };
  const changes = diff(before, after);
  if (Object.keys(changes).length === 0) {
    return oneWithProvenance(trx, actor.orgId, 'group', { ...current, readOnly: false });
  }
  const row = await groups
    .updateGroup(trx, actor.orgId, id, {
      data: { ...current.data, displayName: after.displayName },
      role: after.role,
    })
    .catch((error: unknown) => {
      throw nameTaken(error, after.displayName);
    });
  await ensureManagerRemains(trx, actor.orgId);
  await recordMemberAction(
    trx,
    actor,
    'group.updated',
    { type: 'group', id },
    changes,
    groupChangeEvents(eventActor(actor), current, row),
  );
  return oneWithProvenance(trx, actor.orgId, 'group', { ...row, readOnly: false });
}

export async function deleteGroup(trx: Trx, actor: Actor, id: string): Promise<void> {
  const group = await lockGroup(trx, actor, id);
  await groups.deleteGroup(trx, actor.orgId, id);
  await ensureManagerRemains(trx, actor.orgId);
  await recordMemberAction(
    trx,
    actor,
    'group.deleted',
    { type: 'group', id },
    { displayName: group.display_name },
    // Its memberships went with it (no group.member_removed events of their own).
    [{ type: 'group.deleted', actor: eventActor(actor), data: { id } }],
  );
}

/**
 * Adds members to a group; those already in it are left as they are. Costs in proportion to the
 * ids sent: the group's existing membership is never read or rewritten.
 */
export async function addGroupMembers(trx: Trx, actor: Actor, id: string, memberIds: string[]) {
  const group = await lockGroup(trx, actor, id);
  const ids = [...new Set(memberIds.map((memberId) => memberId.toLowerCase()))];
  const found = await existingMemberIds(trx, actor.orgId, ids);
  const missing = ids.filter((memberId) => !found.has(memberId));
  if (missing.length > 0) {
    throw portalErrors.notFound(`No member ${missing.map((m) => `"${m}"`).join(', ')} in this organization.`);
  }
  const added = await groups.addGroupMembers(trx, actor.orgId, id, ids);
  if (added.length > 0) {
    await groups.updateGroup(trx, actor.orgId, id, {});
    await recordMemberAction(
      trx,
      actor,
      'group.members_added',
      { type: 'group', id },
      { memberIds: added },
      membershipEvents(eventActor(actor), group, added, []),
    );
  }
  return added;
}

export async function removeGroupMember(trx: Trx, actor: Actor, id: string, memberId: string): Promise<void> {
  const group = await lockGroup(trx, actor, id);
  if (!(await groups.removeGroupMember(trx, actor.orgId, id, memberId))) {
    throw portalErrors.notFound(`Member "${memberId}" is not in this group.`);
  }
  await groups.updateGroup(trx, actor.orgId, id, {});
  await ensureManagerRemains(trx, actor.orgId);
  await recordMemberAction(
    trx,
    actor,
    'group.member_removed',
    { type: 'group', id },
    { memberId },
    membershipEvents(eventActor(actor), group, [], [memberId]),
  );
}
