/**
 * The identity configuration's rules (docs/reference/product.md#the-administrators-flow): what the SSO and provisioning pages show, the
 * preconditions of each change (each a 409 with a stable code and what to do), and the OAuth client
 * that the OAuth 2.0 method of SCIM needs. Routes lock, call these, save and audit.
 */
import { randomBytes } from 'node:crypto';
import type { Database, Plan } from '@roster/db';
import type { IdentityConfig } from '@roster/directory/identity';
import type { Kysely } from 'kysely';
import { type PortalError, portalErrors } from '../http/portal-error.js';

export interface IdentityDeps {
  /** Seals the SSO client secret at rest (AES-256-GCM, see @roster/auth/secret-box). */
  secretKey: Buffer;
  /** `config.development`: an identity provider may be at an http or non-public address. */
  development: boolean;
}

/** The origin every URL the portal shows is built from: PUBLIC_URL's (see @roster/observability/public-origin). */
export { originOf } from '@roster/observability/public-origin';

/** The URLs the portal shows, for the request's origin (`https://roster.example.com`). */
export function identityUrls(origin: string, slug: string) {
  return {
    scimEndpointUrl: `${origin}/scim/v2/${slug}`,
    apiKeysUrl: `${origin}/api/v1/orgs/${slug}/api-keys`,
    tokenEndpoint: `${origin}/oauth/${slug}/token`,
    authorizationEndpoint: `${origin}/oauth/${slug}/authorize`,
    ssoUrl: `${origin}/api/v1/orgs/${slug}/identity/sso`,
    provisioningUrl: `${origin}/api/v1/orgs/${slug}/identity/provisioning`,
    organizationUrl: `${origin}/api/v1/orgs/${slug}`,
    signInUrl: `${origin}/sso/${slug}/login`,
    redirectUri: `${origin}/sso/${slug}/callback`,
    /** Also Roster's SAML entity id. */
    samlMetadataUrl: `${origin}/sso/${slug}/saml/metadata`,
    samlAcsUrl: `${origin}/sso/${slug}/saml/acs`,
  };
}

export type IdentityUrls = ReturnType<typeof identityUrls>;

/**
 * Locks the organization row (FOR NO KEY UPDATE) and returns what the preconditions need. Every
 * identity configuration change takes this lock first, then the configuration row's: changes of
 * one organization serialise even before its configuration row exists (the first save inserts
 * it), and the plan and RBAC cannot change underneath a check. Foreign-key checks (FOR KEY SHARE)
 * are not blocked by it.
 */
export async function lockOrganization(
  trx: Kysely<Database>,
  orgId: string,
): Promise<{ plan: Plan; rbacEnabled: boolean }> {
  const row = await trx
    .selectFrom('organizations')
    .select(['plan', 'rbac_enabled'])
    .where('id', '=', orgId)
    .forNoKeyUpdate()
    .executeTakeFirst();
  if (!row) throw portalErrors.notFound('The organization no longer exists.');
  return { plan: row.plan, rbacEnabled: row.rbac_enabled };
}

export interface ProvisioningRequest {
  mode: IdentityConfig['provisioningMode'];
  scimEnabled: boolean;
  authMethod: IdentityConfig['scimAuthMethod'];
  provisionExistingUsers: boolean;
  syncGroups: boolean;
  confirmSyncGroups?: boolean | undefined;
}

/** The first precondition the requested provisioning settings break, in the documented order. */
export async function provisioningPrecondition(
  request: ProvisioningRequest,
  state: {
    config: IdentityConfig;
    plan: Plan;
    rbacEnabled: boolean;
    /** Called only when the HTTP Header method is asked for with SCIM on. */
    hasLiveScimKey: () => Promise<boolean>;
    urls: IdentityUrls;
  },
): Promise<PortalError | undefined> {
  const { config, urls } = state;
  if (request.scimEnabled) {
    if (request.mode === 'manual') {
      return portalErrors.precondition(
        'scim_requires_identity_provider_mode',
        'SCIM provisioning needs the "Use Identity Provider" mode: send "mode": "identity_provider" together with "scimEnabled": true.',
      );
    }
    if (state.plan !== 'enterprise') {
      return portalErrors.precondition(
        'scim_requires_enterprise_plan',
        `SCIM provisioning is part of the Enterprise plan and this organization is on the ${state.plan} plan. The plan is set by the Roster operator: ask them to move the organization to Enterprise, then save again.`,
      );
    }
    if (!config.ssoEnabled) {
      return portalErrors.precondition(
        'scim_requires_sso',
        `SCIM provisioning needs single sign-on: configure and enable SSO first (PUT ${urls.ssoUrl}), then save again.`,
      );
    }
    if (request.authMethod === 'http_header' && !(await state.hasLiveScimKey())) {
      return portalErrors.precondition(
        'scim_requires_scim_key',
        `The HTTP Header method needs a system API key with the scim scope for the identity provider, and this organization has no live one. Create one on the API keys page (POST ${urls.apiKeysUrl} with {"kind": "system", "name": "…"}), then save again.`,
      );
    }
  }
  const turningGroupSyncOn = request.syncGroups && !config.syncGroups;
  if (turningGroupSyncOn && !state.rbacEnabled) {
    return portalErrors.precondition(
      'group_sync_requires_rbac',
      `Syncing SCIM groups needs RBAC: enable RBAC for the organization first (PATCH ${urls.organizationUrl} with {"rbacEnabled": true}), then save again.`,
    );
  }
  if (turningGroupSyncOn && request.confirmSyncGroups !== true) {
    return portalErrors.precondition(
      'group_sync_requires_confirmation',
      'Enabling groups sync hands group management to the identity provider. The groups that should stay must already exist in the identity provider with the same names before the switch. Resend with "confirmSyncGroups": true to enable groups sync.',
    );
  }
  return undefined;
}

export const newOAuthClientId = () => `roster-${randomBytes(12).toString('hex')}`;
