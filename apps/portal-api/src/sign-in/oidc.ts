/**
 * The organization's OpenID Connect provider, seen from Roster as a relying party (openid-client):
 * discovery of its metadata (cached per issuer and client for ten minutes), the authorization
 * request with PKCE (S256), `state` and `nonce`, and the code exchange that validates the ID token
 * (signature against the provider's JWKS, issuer, audience, expiry, nonce).
 */
import { openSecret } from '@roster/auth/secret-box';
import type { IdentityConfig } from '@roster/directory/identity';
import * as oidc from 'openid-client';
import { PortalError } from '../http/portal-error.js';
import { isLoopback } from '../http/schemas.js';

const CACHE_MS = 10 * 60 * 1000;
const cache = new Map<string, { config: Promise<oidc.Configuration>; until: number }>();

const unavailable = (issuer: string, error: unknown) =>
  new PortalError(
    502,
    'sso_provider_unavailable',
    `The identity provider at ${issuer} could not be reached or gave no valid OpenID configuration (${
      error instanceof Error ? error.message : String(error)
    }). Check the issuer under Identity configuration > SSO, or retry shortly.`,
  );

/** The provider's configuration for this organization's client. */
export function relyingParty(identity: IdentityConfig, secretKey: Buffer): Promise<oidc.Configuration> {
  const { oidcIssuer: issuer, oidcClientId: clientId, oidcClientSecretEncrypted: sealed } = identity;
  if (!issuer || !clientId || !sealed) {
    throw new PortalError(
      409,
      'sso_incomplete',
      'Single sign-on is not fully configured: an administrator sets the issuer, client id and secret under Identity configuration > SSO.',
    );
  }
  const key = `${issuer}\n${clientId}\n${sealed}`;
  const cached = cache.get(key);
  if (cached && cached.until > Date.now()) return cached.config;
  const url = new URL(issuer);
  // The ID token's signature is checked against the provider's JWKS: openid-client otherwise
  // trusts TLS alone for tokens from the token endpoint (OIDC Core §3.1.3.7).
  const execute = [oidc.enableNonRepudiationChecks];
  if (url.protocol === 'http:' && isLoopback(url)) execute.push(oidc.allowInsecureRequests);
  const config = oidc
    .discovery(url, clientId, openSecret(sealed, secretKey), undefined, { execute })
    .catch((error: unknown) => {
      cache.delete(key);
      throw unavailable(issuer, error);
    });
  // Expired entries go as new ones come, so thousands of organizations do not pile up.
  for (const [stale, entry] of cache) if (entry.until <= Date.now()) cache.delete(stale);
  cache.set(key, { config, until: Date.now() + CACHE_MS });
  return config;
}

export interface AuthorizationRequest {
  url: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export async function authorizationRequest(
  config: oidc.Configuration,
  redirectUri: string,
): Promise<AuthorizationRequest> {
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    response_type: 'code',
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { url, state, nonce, codeVerifier };
}

/**
 * Exchanges the code of the provider's redirect (`callbackUrl`, as the browser called it) and
 * returns the validated ID token's claims. Anything the provider or the token gets wrong is a 401.
 */
export async function redeem(
  config: oidc.Configuration,
  callbackUrl: URL,
  checks: { state: string; nonce: string; codeVerifier: string },
): Promise<oidc.IDToken> {
  try {
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: checks.codeVerifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('the provider returned no ID token');
    return claims;
  } catch (error) {
    throw new PortalError(
      401,
      'sign_in_failed',
      `The identity provider's answer was refused: ${error instanceof Error ? error.message : String(error)}. Start the sign-in again.`,
      { cause: error },
    );
  }
}

/** The names an ID token gives its user, most specific first (Entra: preferred_username / upn). */
export function identifiersOf(claims: oidc.IDToken): string[] {
  return ['preferred_username', 'upn', 'email']
    .map((claim) => claims[claim])
    .filter((value): value is string => typeof value === 'string' && value.trim() !== '');
}
