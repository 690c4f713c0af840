/**
 * Who may change a member or a group (docs/reference/product.md#ownership). A `scim`-managed one is read-only
 * here while the identity provider owns it: SCIM provisioning on in identity-provider mode (and,
 * for groups, group sync on). The rule is computed from the current configuration, never stored,
 * so switching SCIM off hands everything back without rewriting a row.
 */
import type { Database, ManagedBy, ProvisioningMode } from '@roster/db';
import { getIdentityConfig } from '@roster/directory/identity';
import type { Kysely } from 'kysely';
import type { IdpOwnership } from '../auth/actor.js';
import { portalErrors } from '../portal-error.js';

/** The rule itself, from the identity configuration's switches (or a credential's copy of them). */
export function ownershipOf(switches: {
  provisioningMode: ProvisioningMode;
  scimEnabled: boolean;
  syncGroups: boolean;
}): IdpOwnership {
  const scimOn = switches.provisioningMode === 'identity_provider' && switches.scimEnabled;
  return { members: scimOn, groups: scimOn && switches.syncGroups };
}

/**
 * What the identity provider owns now, read afresh: what a change checks inside its transaction,
 * after taking the organization's lock. Reads use the ownership authentication read (`actor.org`).
 */
export async function idpOwnership(db: Kysely<Database>, orgId: string): Promise<IdpOwnership> {
  return ownershipOf(await getIdentityConfig(db, orgId));
}

export const isReadOnly = (managedBy: ManagedBy, idpOwns: boolean) => managedBy === 'scim' && idpOwns;

export function managedByIdentityProvider(what: 'member' | 'group') {
  const handBack =
    what === 'member' ? 'switch SCIM provisioning off' : 'switch group sync or SCIM provisioning off';
  return portalErrors.conflict(
    'managed_by_identity_provider',
    `This ${what} is managed by the identity provider through SCIM, which owns it: make the change in the identity provider, or ${handBack} to manage it here.`,
  );
}
