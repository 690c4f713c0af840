/**
 * The caller of a SCIM request: the organization and the credential authentication found. It sits
 * at the bottom of the app (it imports no module of the app) so that repositories, the audit trail
 * and the request context can name it without importing the middleware that builds it.
 */
import type { ScimSwitches } from '@roster/directory/identity';
import type { Visibility } from '@roster/directory/scim';

export interface Tenant {
  orgId: string;
  orgSlug: string;
  /** Who is calling, for logs and the audit trail (never a secret). */
  credential: { type: 'api_key' | 'oauth_client'; id: string };
  /** An API key's name (its label in provisioning events); an OAuth client has none. */
  credentialName?: string | undefined;
  /** The organization's provisioning settings at the time of the request. */
  switches: ScimSwitches;
  /** The identity provider calling, as far as it identifies itself (for the audit trail). */
  idp?: string | undefined;
}

/** Which members this caller sees: all of them only while the organization provisions existing users. */
export const visibilityOf = (tenant: Tenant): Visibility =>
  tenant.switches.provisionExistingUsers ? 'all' : 'scim';
