/** The organization's lock as portal changes take it: a 404 in the portal's error model when it is gone. */
import type { Database } from '@roster/db';
import { type LockedOrganization, lockOrganization } from '@roster/directory/organizations';
import type { Kysely } from 'kysely';
import { portalErrors } from '../portal-error.js';

/** Takes the organization's lock (@roster/directory/organizations) and returns its plan and RBAC switch. */
export async function lockExistingOrganization(
  trx: Kysely<Database>,
  orgId: string,
): Promise<LockedOrganization> {
  const organization = await lockOrganization(trx, orgId);
  if (!organization) throw portalErrors.notFound('The organization no longer exists.');
  return organization;
}
