/**
 * The identity configuration's rules (docs/reference/product.md#the-administrators-flow): what the SSO and provisioning pages show, the
 * preconditions of each change (each a 409 with a stable code and what to do), and the OAuth client
 * that the OAuth 2.0 method of SCIM needs. Routes lock the organization (organizations/lock.ts), call these, save and audit.
 */
import { randomBytes } from 'node:crypto';
import type { Plan } from '@roster/db';
import type { IdentityConfig } from '@roster/directory/identity';
import { type PortalError, portalErrors } from '../portal-error.js';
import type { IdentityUrls } from './identity-urls.js';

export interface IdentityDeps {
  /** Seals the SSO client secret at rest (AES-256-GCM, see @roster/auth/secret-box). */
  secretKey: Buffer;
  /** `config.development`: an identity provider may be at an http or non-public address. */
  development: boolean;
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
