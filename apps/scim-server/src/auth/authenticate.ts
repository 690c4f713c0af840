/**
 * Bearer authentication for the SCIM service, by the method the organization configured
 * (docs/reference/product.md#the-administrators-flow): a system API key with the `scim` scope (HTTP Header), or an access token from
 * the organization's OAuth 2.0 authorization server. The organization comes from the base URL and
 * the credential must be that organization's. Every refusal of the credential itself is the same
 * 401 whether the organization exists or not, so the endpoint does not reveal which exist.
 *
 * The slug is resolved to the organization first (its id and switches), then the credential is
 * read with `org_id` a constant; both through the process's credential cache when it has one
 * (docs/security.md#the-credential-cache). The secret is compared with its hash, and expiry times
 * checked, on every request, cached or not.
 */
import { clientSecretId, looksLikeJwt, SCIM_SCOPE, verifyAccessToken } from '@roster/auth/access-tokens';
import { parseApiKey, verifySecret } from '@roster/auth/api-keys';
import type { Database } from '@roster/db';
import { findKeyInOrganization, touchKey } from '@roster/directory/api-keys';
import type { CredentialCache } from '@roster/directory/credential-cache';
import type { ScimSwitches } from '@roster/directory/identity';
import { findOAuthClientCredential, isExpired } from '@roster/directory/oauth';
import { SLUG } from '@roster/directory/organizations';
import { organizationResolver } from '@roster/directory/tenant-routing';
import { ScimError } from '@roster/scim-core/errors';
import type { Context, Next } from 'koa';
import type { Kysely } from 'kysely';
import { idpOf } from '../audit/record.js';
import { tokenEndpointUrl } from '../http/context.js';
import type { Tenant } from './tenant.js';

function unauthorized(detail: string, error?: string): ScimError {
  // RFC 6750 §3: the challenge names the problem when a token was presented.
  const challenge = error ? `Bearer realm="SCIM", error="${error}"` : 'Bearer realm="SCIM"';
  return new ScimError(401, detail, { headers: { 'WWW-Authenticate': challenge } });
}

const INVALID = 'The bearer token is not valid for this SCIM base URL. Check the token and the tenant URL.';

/**
 * The organization's own switches: SCIM must be on, on the Enterprise plan, and the credential
 * must be of the method the administrator chose (the 401 names the configured one).
 */
function assertProvisioningAllowed(
  switches: ScimSwitches,
  presented: 'http_header' | 'oauth2',
  tokenEndpoint: string,
): void {
  if (!switches.scimEnabled) {
    throw new ScimError(
      403,
      'SCIM provisioning is turned off for this organization. An administrator turns it on under Identity configuration > Provisioning.',
    );
  }
  if (switches.plan !== 'enterprise') {
    throw new ScimError(
      403,
      "SCIM provisioning needs the Enterprise plan; this organization's plan has changed.",
    );
  }
  if (switches.scimAuthMethod !== presented) {
    throw unauthorized(
      switches.scimAuthMethod === 'oauth2'
        ? `This organization's SCIM provisioning is configured for OAuth 2.0, not an API key: obtain an access token from ${tokenEndpoint} with the client credentials grant.`
        : "This organization's SCIM provisioning is configured for the HTTP Header method, not OAuth 2.0: send a system API key with the scim scope as the bearer token.",
      'invalid_token',
    );
  }
}

export interface AuthenticateOptions {
  db: Kysely<Database>;
  /** Verifies OAuth access tokens (`accessTokenKey` of @roster/auth/access-tokens). */
  accessTokenKey: Uint8Array;
  onTouchError: (error: unknown) => void;
  /** The process's credential cache (absent: every request reads the database). */
  credentialCache?: CredentialCache | undefined;
}

export function authenticate({ db, accessTokenKey, onTouchError, credentialCache }: AuthenticateOptions) {
  const resolveOrganization = organizationResolver(db, credentialCache);
  const cached = <T extends object>(key: string, orgId: string, load: () => Promise<T | undefined>) =>
    credentialCache ? credentialCache.lookup(key, () => orgId, load) : load();

  async function byApiKey(
    ctx: Context,
    orgSlug: string,
    token: string,
    tokenEndpoint: string,
  ): Promise<Tenant> {
    const parsed = parseApiKey(token);
    const route = parsed && (await resolveOrganization(orgSlug));
    const credential =
      parsed &&
      route &&
      (await cached(`key:${route.orgId}:${parsed.id}`, route.orgId, () =>
        findKeyInOrganization(db, route.orgId, parsed.id),
      ));
    if (!parsed || !route || !credential || !verifySecret(parsed.secret, credential.secretHash)) {
      throw unauthorized(INVALID, 'invalid_token');
    }
    if (credential.revokedAt) {
      throw unauthorized(
        'This API key has been revoked. Generate a new key and update the identity provider.',
        'invalid_token',
      );
    }
    if (credential.expiresAt && credential.expiresAt.getTime() <= Date.now()) {
      throw unauthorized(
        `This API key expired at ${credential.expiresAt.toISOString()}. Generate a new key and update the identity provider.`,
        'invalid_token',
      );
    }
    if (credential.kind !== 'system' || !credential.scopes.includes('scim')) {
      throw new ScimError(
        403,
        'This API key may not call the SCIM service: use a system key with the scim scope.',
      );
    }
    assertProvisioningAllowed(route.organization, 'http_header', tokenEndpoint);
    touchKey(db, credential, onTouchError);
    ctx.state.logFields = { ...ctx.state.logFields, keyId: credential.keyId };
    return {
      orgId: route.orgId,
      orgSlug: route.orgSlug,
      credential: { type: 'api_key', id: credential.keyId },
      switches: route.organization,
    };
  }

  async function byAccessToken(orgSlug: string, token: string, tokenEndpoint: string): Promise<Tenant> {
    const verified = await verifyAccessToken(accessTokenKey, token);
    if (!verified.ok) {
      throw unauthorized(
        verified.problem === 'expired'
          ? `The access token has expired: obtain a new one from ${tokenEndpoint}.`
          : INVALID,
        'invalid_token',
      );
    }
    const claims = verified.token;
    const route = await resolveOrganization(orgSlug);
    if (!route || claims.orgId !== route.orgId) {
      throw unauthorized(
        'This access token was issued for another organization: use the token endpoint of this SCIM base URL.',
        'invalid_token',
      );
    }
    if (!claims.scope.split(' ').includes(SCIM_SCOPE)) {
      throw new ScimError(403, 'The access token lacks the scim scope: request a token with scope "scim".', {
        headers: { 'WWW-Authenticate': 'Bearer realm="SCIM", error="insufficient_scope", scope="scim"' },
      });
    }
    assertProvisioningAllowed(route.organization, 'oauth2', tokenEndpoint);
    const client = await cached(`oauth:${route.orgId}:${claims.familyId ?? ''}`, route.orgId, () =>
      findOAuthClientCredential(db, route.orgId, claims.familyId),
    );
    // The token names the secret it was obtained with: it lives only as long as that secret.
    const secret =
      client && claims.clientId === client.clientId
        ? client.secrets.find((live) => clientSecretId(live.hash) === claims.secretId)
        : undefined;
    if (!secret) {
      throw unauthorized(
        `The client secret this access token was obtained with has been revoked or rotated: obtain a new token from ${tokenEndpoint} with a current secret.`,
        'invalid_token',
      );
    }
    if (client?.familyRevoked) {
      throw unauthorized(
        'The approval this access token was issued under has been revoked (a used refresh token or authorization code was presented again): a manager approves the identity provider again.',
        'invalid_token',
      );
    }
    if (isExpired(secret.expiresAt)) {
      throw unauthorized(
        `The client secret this access token was obtained with expired at ${secret.expiresAt?.toISOString()}: obtain a new token from ${tokenEndpoint} with a current secret.`,
        'invalid_token',
      );
    }
    return {
      orgId: route.orgId,
      orgSlug: route.orgSlug,
      credential: { type: 'oauth_client', id: claims.clientId },
      switches: route.organization,
    };
  }

  return async function authenticateScimClient(ctx: Context, next: Next): Promise<void> {
    const header = ctx.get('authorization');
    const match = /^bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) {
      throw unauthorized(
        header
          ? 'The Authorization header must be "Bearer <token>" with a system API key that has the scim scope, or an OAuth 2.0 access token.'
          : 'Authentication required: send "Authorization: Bearer <token>" with a system API key that has the scim scope, or an OAuth 2.0 access token.',
      );
    }
    const orgSlug = String(ctx.params.org ?? '');
    // A slug no organization can have (control characters, NUL) is refused before it reaches SQL.
    if (!SLUG.test(orgSlug)) throw unauthorized(INVALID, 'invalid_token');
    const tokenEndpoint = tokenEndpointUrl(ctx, orgSlug);
    const tenant = looksLikeJwt(match[1])
      ? await byAccessToken(orgSlug, match[1], tokenEndpoint)
      : await byApiKey(ctx, orgSlug, match[1], tokenEndpoint);
    tenant.idp = idpOf(ctx.get('user-agent'));
    ctx.state.tenant = tenant;
    ctx.state.logFields = { ...ctx.state.logFields, org: tenant.orgSlug, credential: tenant.credential };
    await next();
  };
}
