/**
 * No SCIM write may lock an organization out. An active manager (an active member whose
 * effective role is manager, directly or through a group with the manager role while RBAC is on)
 * is who signs in to the portal, holds its keys and can turn provisioning off. A write that would
 * leave the organization without one (deactivating, deleting or demoting a member, removing
 * members from or deleting a group with the manager role, adopting a portal member or group) is
 * refused with a 403 and rolled back whole; the refusal is recorded in the audit trail.
 *
 * The check must see a settled state: two requests each removing one of two managers must not
 * both pass. So it runs under the organization's lock, the one the portal's member and group
 * changes take first. Taking it on every write would serialise all of an organization's
 * provisioning, so a write takes it only when it may take the manager role from someone, which it
 * learns once it holds its user's or group's row lock. Waiting for the organization's lock then
 * would take the two locks in the portal's opposite order and could deadlock; such a write rolls
 * back instead (it has written nothing yet) and runs again with the organization's lock first.
 */
import type { Database } from '@roster/db';
import { hasActiveManager } from '@roster/directory/members';
import { lockOrganization } from '@roster/directory/organizations';
import { ScimError } from '@roster/scim-core/errors';
import type { Kysely, Transaction } from 'kysely';
import { recordScimChange } from '../audit/record.js';
import type { Tenant } from '../auth/tenant.js';

type Target = { type: 'member' | 'group'; id: string };

/** The audit trail's name of the rule, on each refusal it records. */
export const LAST_MANAGER_RULE = 'keep_an_active_manager';

export const LAST_MANAGER_DETAIL =
  'Refused: this change would leave the organization without an active manager (an active member ' +
  'with the manager role, their own or through a group), and then nobody could sign in to the ' +
  'portal to manage it. No SCIM write may remove the last one: make another member a manager in ' +
  'the portal first, then retry.';

export interface ManagerGuard {
  /**
   * Declares, before the write changes anything, that it may take the manager role from an
   * active member: the write then runs under the organization's lock (restarting to take it
   * first) and is refused if it leaves no active manager. `action` is what it would record.
   */
  mayRemoveManager(target: Target, action: string): Promise<void>;
}

/** Thrown to roll the first attempt back when it turns out to need the organization's lock. */
class NeedsOrganizationLock extends Error {}

/** Thrown to roll the write back when it removed the last active manager. */
class LastManagerRemoved extends Error {
  constructor(
    readonly target: Target,
    readonly action: string,
  ) {
    super('The change would leave the organization without an active manager.');
  }
}

function attempt<T>(
  db: Kysely<Database>,
  tenant: Tenant,
  locked: boolean,
  work: (trx: Transaction<Database>, guard: ManagerGuard) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    if (locked) await lockOrganization(trx, tenant.orgId);
    let watched: { target: Target; action: string } | undefined;
    const guard: ManagerGuard = {
      async mayRemoveManager(target, action) {
        if (!locked) throw new NeedsOrganizationLock();
        // An organization without an active manager already has none this write could take
        // (the operator restores one); its writes are not held up by the rule.
        if (watched === undefined && (await hasActiveManager(trx, tenant.orgId))) {
          watched = { target, action };
        }
      },
    };
    const result = await work(trx, guard);
    if (watched && !(await hasActiveManager(trx, tenant.orgId))) {
      throw new LastManagerRemoved(watched.target, watched.action);
    }
    return result;
  });
}

/**
 * Runs a SCIM write in a transaction that keeps an active manager. `lockFirst` takes the
 * organization's lock at once, for writes that always call `mayRemoveManager` (a user's delete).
 */
export async function writeKeepingAManager<T>(
  db: Kysely<Database>,
  tenant: Tenant,
  work: (trx: Transaction<Database>, guard: ManagerGuard) => Promise<T>,
  options: { lockFirst?: boolean } = {},
): Promise<T> {
  try {
    try {
      return await attempt(db, tenant, options.lockFirst ?? false, work);
    } catch (error) {
      if (!(error instanceof NeedsOrganizationLock)) throw error;
      return await attempt(db, tenant, true, work);
    }
  } catch (error) {
    if (!(error instanceof LastManagerRemoved)) throw error;
    // Recorded after the rollback, on its own: the refused change left nothing else behind.
    await recordScimChange(db, tenant, `scim.${error.target.type}.refused`, error.target, {
      rule: LAST_MANAGER_RULE,
      refused: error.action,
    });
    throw new ScimError(403, LAST_MANAGER_DETAIL, { cause: error });
  }
}
