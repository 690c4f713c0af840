/**
 * The token endpoint's grants (RFC 6749 §4.1.3, §4.4, §6): client credentials for IdPs that
 * provision on their own (Ping, Entra's client-credentials apps), the authorization code with PKCE
 * and the refresh token for IdPs that use a manager's approval. Every grant yields a short-lived
 * access token for the organization's SCIM service.
 */
import { createHash } from 'node:crypto';
import { ACCESS_TOKEN_LIFETIME_SECONDS, clientSecretId, signAccessToken } from '@roster/auth/access-tokens';
import type { Database } from '@roster/db';
import { exchangeAuthorizationCode, type OAuthClient, rotateRefreshToken } from '@roster/directory/oauth';
import type { Kysely } from 'kysely';
import type { AuthenticatedClient } from './client-authentication.js';
import type { Form } from './form.js';
import { OAuthError } from './oauth-error.js';
import { grantableScope, SCOPE_REFUSED } from './scope.js';

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
}

/** The default lifetime of a refresh token (ROSTER_REFRESH_TOKEN_TTL): each use starts it again. */
export const REFRESH_TOKEN_LIFETIME_SECONDS = 30 * 24 * 3600;

/** The organization's switches allow OAuth clients to provision right now. */
export function assertClientMayProvision(client: OAuthClient): void {
  const { switches } = client;
  const refuse = (description: string) => new OAuthError(400, 'unauthorized_client', description);
  if (!switches.scimEnabled)
    throw refuse(
      'SCIM provisioning is turned off for this organization: an administrator turns it on under Identity configuration > Provisioning.',
    );
  if (switches.plan !== 'enterprise')
    throw refuse("SCIM provisioning needs the Enterprise plan; this organization's plan has changed.");
  if (switches.scimAuthMethod !== 'oauth2') {
    throw refuse(
      "This organization's SCIM provisioning uses the HTTP Header method: the identity provider sends a system API key with the scim scope, not an OAuth token.",
    );
  }
}

/** RFC 7636 §4.1: 43–128 unreserved characters. */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

const pkceMatches = (verifier: string, challenge: string) =>
  VERIFIER.test(verifier) && createHash('sha256').update(verifier).digest('base64url') === challenge;

export function tokenService(
  db: Kysely<Database>,
  signingKey: Uint8Array,
  lifetimeSeconds = ACCESS_TOKEN_LIFETIME_SECONDS,
  refreshTokenTtlSeconds = REFRESH_TOKEN_LIFETIME_SECONDS,
) {
  async function accessToken(
    client: AuthenticatedClient,
    issuer: string,
    scope: string,
    familyId?: string,
  ): Promise<TokenResponse> {
    const token = await signAccessToken(
      signingKey,
      {
        issuer,
        orgId: client.orgId,
        clientId: client.clientId,
        secretId: clientSecretId(client.secret.hash),
        scope,
        familyId,
      },
      lifetimeSeconds,
    );
    return { access_token: token, token_type: 'Bearer', expires_in: lifetimeSeconds, scope };
  }

  const invalidGrant = (description: string) => new OAuthError(400, 'invalid_grant', description);

  return {
    async grant(client: AuthenticatedClient, form: Form, issuer: string): Promise<TokenResponse> {
      const grantType = form.required('grant_type');
      switch (grantType) {
        case 'client_credentials': {
          const scope = grantableScope(form.optional('scope'));
          if (!scope) throw new OAuthError(400, 'invalid_scope', SCOPE_REFUSED);
          return accessToken(client, issuer, scope);
        }
        case 'authorization_code': {
          const code = form.required('code');
          const verifier = form.required('code_verifier');
          const redirectUri = form.optional('redirect_uri');
          const exchange = await exchangeAuthorizationCode(
            db,
            client.orgId,
            code,
            refreshTokenTtlSeconds,
            (approved) =>
              approved.clientId === client.clientId &&
              // RFC 6749 §4.1.3: required, and identical, when the authorization request carried it.
              (approved.redirectUriSent
                ? redirectUri === approved.redirectUri
                : redirectUri === undefined || redirectUri === approved.redirectUri) &&
              pkceMatches(verifier, approved.codeChallenge),
          );
          if (exchange.kind === 'replayed') {
            throw invalidGrant(
              'The authorization code was already used. A code works once; the tokens issued for it are now revoked. Ask a manager to approve again.',
            );
          }
          if (exchange.kind !== 'issued') {
            throw invalidGrant(
              'The authorization code is not valid: it is unknown, expired, for another client, the redirect_uri differs from (or omits) the one sent to the authorization endpoint, or the code_verifier does not match. Ask a manager to approve again.',
            );
          }
          const { approval, refreshToken, familyId } = exchange;
          return {
            ...(await accessToken(client, issuer, approval.scope, familyId)),
            refresh_token: refreshToken,
          };
        }
        case 'refresh_token': {
          const presented = form.required('refresh_token');
          // Checked before the rotation, which a refusal afterwards would waste.
          const requested = form.optional('scope');
          if (requested !== undefined && grantableScope(requested) === undefined) {
            throw new OAuthError(400, 'invalid_scope', SCOPE_REFUSED);
          }
          const use = await rotateRefreshToken(
            db,
            client.orgId,
            client.clientId,
            presented,
            refreshTokenTtlSeconds,
          );
          if (use.kind === 'reused') {
            throw invalidGrant(
              'This refresh token was already used: each use returns a new one and ends the old. As it may have been stolen, every refresh token of the same approval is now revoked. Ask a manager to approve again.',
            );
          }
          if (use.kind === 'expired') {
            throw invalidGrant(
              'The refresh token has expired (unused for longer than its lifetime). Ask a manager to approve again.',
            );
          }
          if (use.kind === 'invalid') {
            throw invalidGrant(
              'The refresh token is not valid: it is unknown, for another client, or was revoked. Ask a manager to approve again.',
            );
          }
          return {
            ...(await accessToken(client, issuer, use.scope, use.familyId)),
            refresh_token: use.refreshToken,
          };
        }
        default:
          throw new OAuthError(
            400,
            'unsupported_grant_type',
            `grant_type ${grantType} is not supported: use client_credentials, authorization_code or refresh_token.`,
          );
      }
    },
  };
}
