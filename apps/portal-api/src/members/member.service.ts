/**
 * The rules of members management: invite, change role or status, remove. Every change runs in
 * the caller's transaction under the organization's lock, so that changes of one organization
 * serialise and the last-manager check sees a settled state; it is refused when the identity
 * provider owns the member, or when no active manager would remain. Writes go through
 * @roster/directory/members, which derives the indexed columns from the SCIM document, so the
 * SCIM service sees the same member.
 */
import { randomUUID } from 'node:crypto';
import { type Database, type Role, uniqueViolation } from '@roster/db';
import * as members from '@roster/directory/members';
import { memberChangeEvents } from '@roster/events';
import type { Kysely, Transaction } from 'kysely';
import { diff, eventActor, recordMemberAction, recordMemberUpdate } from '../audit/record.js';
import type { Actor } from '../auth/actor.js';
import { lockExistingOrganization } from '../organizations/lock.js';
import { portalErrors } from '../portal-error.js';
import { idpOwnership, isReadOnly, managedByIdentityProvider } from './ownership.js';
import { oneWithProvenance, type ProvisionedBy, withProvenance } from './provenance.js';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;
type Status = 'active' | 'deactivated';
export type MemberRecord = members.MemberWithRole & {
  readOnly: boolean;
  provisionedBy: ProvisionedBy | null;
};

const memberNotFound = (id: string) => portalErrors.notFound(`No member "${id}" in this organization.`);

/** Refuses the change (rolling its transaction back) when it leaves no active manager. */
export async function ensureManagerRemains(trx: Db, orgId: string): Promise<void> {
  if (!(await members.hasActiveManager(trx, orgId))) {
    throw portalErrors.conflict(
      'last_manager',
      'This would leave the organization without an active manager. Make another member a manager first (their own role, or a group with the manager role), then retry.',
    );
  }
}

/**
 * Reads take `readOnly` from the ownership authentication read with the credential (`actor.org`):
 * they hold no lock that a settings change waits for, so reading it a moment earlier loses nothing.
 */
export async function listMembers(db: Db, actor: Actor, query: members.MemberQuery): Promise<MemberRecord[]> {
  const rows = await members.listMembers(db, actor.orgId, query);
  return withProvenance(
    db,
    actor.orgId,
    'member',
    rows.map((row) => ({ ...row, readOnly: isReadOnly(row.managed_by, actor.org.idpOwns.members) })),
  );
}

export async function getMember(db: Db, actor: Actor, id: string): Promise<MemberRecord> {
  const row = await members.findMemberWithRole(db, actor.orgId, id);
  if (!row) throw memberNotFound(id);
  return oneWithProvenance(db, actor.orgId, 'member', {
    ...row,
    readOnly: isReadOnly(row.managed_by, actor.org.idpOwns.members),
  });
}

/**
 * A member this transaction just wrote, with its new effective role. Writable by construction
 * (a portal invitation, or a member `lockMember` let through), so ownership is not read again.
 */
async function written(trx: Trx, orgId: string, id: string): Promise<MemberRecord> {
  const row = await members.findMemberWithRole(trx, orgId, id);
  if (!row) throw memberNotFound(id);
  return oneWithProvenance(trx, orgId, 'member', { ...row, readOnly: false });
}

export interface Invitation {
  email: string;
  givenName?: string | undefined;
  familyName?: string | undefined;
  displayName?: string | undefined;
  role: Role;
}

/** Creates a portal-managed member whose userName and work email are the invited address. */
export async function inviteMember(trx: Trx, actor: Actor, invitation: Invitation): Promise<MemberRecord> {
  const { email, role } = invitation;
  const data = members.portalMemberData(email, invitation);
  const id = randomUUID();
  await members
    .insertMember(trx, { orgId: actor.orgId, id, data, role, managedBy: 'portal' })
    .catch((error: unknown) => {
      throw uniqueViolation(error) === 'members__user_name'
        ? portalErrors.conflict(
            'member_already_exists',
            `A member with the userName "${email}" already exists in this organization (userNames are compared case-insensitively).`,
          )
        : error;
    });
  // Read before the record: the events' append is the change's last statement.
  const row = await written(trx, actor.orgId, id);
  await recordMemberAction(
    trx,
    actor,
    'member.created',
    { type: 'member', id },
    { userName: email, role },
    memberChangeEvents(eventActor(actor), undefined, row),
  );
  return row;
}

/**
 * Locks the organization, then the member, and refuses when the identity provider owns the member.
 * Ownership is read here, not taken from `actor.org`: a provisioning change holds the same lock
 * until it commits, so this read sees the settings this change commits under; authentication's
 * may predate a switch committed since, and the member would be changed behind the identity
 * provider's back.
 */
async function lockMember(trx: Trx, orgId: string, id: string) {
  await lockExistingOrganization(trx, orgId);
  const member = await members.findMember(trx, orgId, id, { forUpdate: true });
  if (!member) throw memberNotFound(id);
  if (isReadOnly(member.managed_by, (await idpOwnership(trx, orgId)).members)) {
    throw managedByIdentityProvider('member');
  }
  return member;
}

/**
 * Changes a member's own role and/or status. Deactivating writes `active: false` into the SCIM
 * document: the member's personal keys are refused from the next request on.
 */
export async function updateMember(
  trx: Trx,
  actor: Actor,
  id: string,
  change: { role?: Role | undefined; status?: Status | undefined },
): Promise<MemberRecord> {
  const current = await lockMember(trx, actor.orgId, id);
  const before = { role: current.role, status: (current.active ? 'active' : 'deactivated') as Status };
  const after = { role: change.role ?? before.role, status: change.status ?? before.status };
  const changes = diff(before, after);
  if (after.status !== before.status) {
    const data = { ...current.data, active: after.status === 'active' };
    await members.updateMemberData(trx, actor.orgId, id, data, false, { role: after.role });
  } else if (after.role !== before.role) {
    await members.setMemberRole(trx, actor.orgId, id, after.role);
  }
  if (Object.keys(changes).length > 0) await ensureManagerRemains(trx, actor.orgId);
  const row = await written(trx, actor.orgId, id);
  await recordMemberUpdate(
    trx,
    actor,
    'member.updated',
    { type: 'member', id },
    changes,
    memberChangeEvents(eventActor(actor), current, row),
  );
  return row;
}

/** Removes a member from the organization; the audit trail keeps who it was. */
export async function removeMember(trx: Trx, actor: Actor, id: string): Promise<void> {
  const member = await lockMember(trx, actor.orgId, id);
  await members.deleteMember(trx, actor.orgId, id);
  await ensureManagerRemains(trx, actor.orgId);
  await recordMemberAction(
    trx,
    actor,
    'member.deleted',
    { type: 'member', id },
    { userName: member.user_name },
    // Its memberships went with it (no group.member_removed events of their own).
    [{ type: 'member.deleted', actor: eventActor(actor), data: { id } }],
  );
}
