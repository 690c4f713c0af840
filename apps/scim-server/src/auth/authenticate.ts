/**
 * Bearer authentication for the SCIM service. The organization comes from the base URL; the
 * credential must be a live system key of that same organization with the `scim` scope, and the
 * organization must have SCIM provisioning switched on with the HTTP Header method.
 * Every refusal of the credential itself is the same 401 whether the organization exists or not,
 * so the endpoint does not reveal which organizations exist.
 */
import { parseApiKey, verifySecret } from '@roster/auth/api-keys';
import type { Database } from '@roster/db';
import { findKeyCredential, type KeyCredential, touchKey } from '@roster/directory/api-keys';
import { ScimError } from '@roster/scim-core/errors';
import type { Context, Next } from 'koa';
import type { Kysely } from 'kysely';

export interface Tenant {
  orgId: string;
  orgSlug: string;
  /** The credential, for logs and the audit trail (never the secret). */
  keyId: string;
}

const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="SCIM"' };

function unauthorized(detail: string): ScimError {
  return new ScimError(401, detail, { headers: CHALLENGE });
}

/**
 * The organization's own switches (PRODUCT.md §2): SCIM must be on, on the Enterprise plan, and
 * the credential must be of the method the administrator chose.
 */
function assertProvisioningAllowed(organization: KeyCredential['organization'], tokenEndpoint: string): void {
  if (!organization.scimEnabled) {
    throw new ScimError(
      403,
      'SCIM provisioning is turned off for this organization. An administrator turns it on under Identity configuration > Provisioning.',
    );
  }
  if (organization.plan !== 'enterprise') {
    throw new ScimError(
      403,
      "SCIM provisioning needs the Enterprise plan; this organization's plan has changed.",
    );
  }
  if (organization.scimAuthMethod !== 'http_header') {
    throw unauthorized(
      `This organization's SCIM provisioning is configured for OAuth 2.0, not an API key: obtain an access token from ${tokenEndpoint} with the client credentials grant.`,
    );
  }
}

export function authenticate(db: Kysely<Database>, onTouchError: (error: unknown) => void) {
  return async function authenticateScimClient(ctx: Context, next: Next): Promise<void> {
    const header = ctx.get('authorization');
    const match = /^bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) {
      throw unauthorized(
        header
          ? 'The Authorization header must be "Bearer <token>" with a system API key that has the scim scope.'
          : 'Authentication required: send "Authorization: Bearer <token>" with a system API key that has the scim scope.',
      );
    }
    const parsed = parseApiKey(match[1]);
    const orgSlug = String(ctx.params.org ?? '');
    const credential = parsed && (await findKeyCredential(db, orgSlug, parsed.id));
    if (!parsed || !credential || !verifySecret(parsed.secret, credential.secretHash)) {
      throw unauthorized(
        'The bearer token is not valid for this SCIM base URL. Check the token and the tenant URL.',
      );
    }
    if (credential.revokedAt) {
      throw unauthorized(
        'This API key has been revoked. Generate a new key and update the identity provider.',
      );
    }
    if (credential.kind !== 'system' || !credential.scopes.includes('scim')) {
      throw new ScimError(
        403,
        'This API key may not call the SCIM service: use a system key with the scim scope.',
      );
    }
    assertProvisioningAllowed(
      credential.organization,
      `${ctx.protocol}://${ctx.host}/oauth/${orgSlug}/token`,
    );
    touchKey(db, credential, onTouchError);
    const tenant: Tenant = { orgId: credential.orgId, orgSlug: credential.orgSlug, keyId: credential.keyId };
    ctx.state.tenant = tenant;
    ctx.state.logFields = { ...ctx.state.logFields, org: tenant.orgSlug, keyId: tenant.keyId };
    await next();
  };
}
