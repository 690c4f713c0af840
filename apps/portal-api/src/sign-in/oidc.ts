/**
 * The organization's OpenID Connect provider, seen from Roster as a relying party (openid-client):
 * discovery of its metadata (cached per issuer and client for ten minutes), the authorization
 * request with PKCE (S256), `state` and `nonce`, and the code exchange that validates the ID token
 * (signature against the provider's JWKS, issuer, audience, expiry, nonce).
 */
import { openSecret } from '@roster/auth/secret-box';
import type { OidcUserNameClaim } from '@roster/db';
import type { IdentityConfig } from '@roster/directory/identity';
import { type EgressFetch, egressErrorIn } from '@roster/egress';
import * as oidc from 'openid-client';
import type { Logger } from 'pino';
import { PortalError } from '../portal-error.js';
import type { SignInIdentity } from './sign-in.service.js';

const CACHE_MS = 10 * 60 * 1000;

/**
 * What a caller is told when the provider cannot be used. Generic on purpose: the address an
 * issuer resolved to, or what an internal service answered, would help someone probing the
 * network through the issuer setting; the detail goes to the log.
 */
export function providerFailure(error: unknown, log: Logger, context: Record<string, unknown>): PortalError {
  const refused = egressErrorIn(error)?.failure === 'not_allowed';
  log.warn(
    { err: error, ...context },
    refused ? 'identity provider address refused' : 'identity provider unreachable',
  );
  return refused
    ? new PortalError(
        409,
        'sso_provider_not_allowed',
        "The identity provider's address is not allowed. An administrator checks the issuer under Identity configuration > SSO.",
      )
    : new PortalError(
        502,
        'sso_provider_unavailable',
        'The identity provider could not be reached or gave no valid OpenID configuration. Check the issuer under Identity configuration > SSO, or retry shortly.',
      );
}

export interface RelyingPartyDeps {
  secretKey: Buffer;
  /** Every request to the provider (discovery, JWKS, token) goes through it (@roster/egress). */
  fetch: EgressFetch;
  /** `config.development`: an http issuer is allowed. */
  development: boolean;
  logger: Logger;
}

export type RelyingParties = (identity: IdentityConfig) => Promise<oidc.Configuration>;

/**
 * The provider's configuration for an organization's client, from discovery (cached per issuer
 * and client for ten minutes, per app).
 */
export function relyingParties(deps: RelyingPartyDeps): RelyingParties {
  const cache = new Map<string, { config: Promise<oidc.Configuration>; until: number }>();
  const customFetch: oidc.CustomFetch = (url, options) => deps.fetch(url, options as unknown as RequestInit);
  return (identity) => {
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
    // trusts TLS alone for tokens from the token endpoint (OIDC Core §3.1.3.7). Plain http only in
    // development; the egress fetch refuses it otherwise anyway.
    const execute = [oidc.enableNonRepudiationChecks];
    if (url.protocol === 'http:' && deps.development) execute.push(oidc.allowInsecureRequests);
    const config = oidc
      .discovery(url, clientId, openSecret(sealed, deps.secretKey), undefined, {
        execute,
        [oidc.customFetch]: customFetch,
      })
      .catch((error: unknown) => {
        cache.delete(key);
        throw providerFailure(error, deps.logger, { issuer });
      });
    // Expired entries go as new ones come, so thousands of organizations do not pile up.
    for (const [stale, entry] of cache) if (entry.until <= Date.now()) cache.delete(stale);
    cache.set(key, { config, until: Date.now() + CACHE_MS });
    return config;
  };
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

/** The library's words, with the provider's own error code and description when it sent one. */
function refusalOf(error: unknown): string {
  if (error instanceof oidc.ResponseBodyError || error instanceof oidc.AuthorizationResponseError) {
    const description = error.error_description ? ` (${error.error_description})` : '';
    return `${error.message}: ${error.error}${description}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Exchanges the code of the provider's redirect (`callbackUrl`, as the browser called it) and
 * returns the validated ID token's claims. Anything the provider or the token gets wrong is a 401.
 */
export async function redeem(
  config: oidc.Configuration,
  callbackUrl: URL,
  checks: { state: string; nonce: string; codeVerifier: string },
  logger: Logger,
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
    // The token or JWKS endpoint (from the discovery document) refused or unreachable.
    if (egressErrorIn(error))
      throw providerFailure(error, logger, { issuer: config.serverMetadata().issuer });
    throw new PortalError(
      401,
      'sign_in_failed',
      `The identity provider's answer was refused: ${refusalOf(error)}. Start the sign-in again.`,
      { cause: error },
    );
  }
}

/**
 * Who the ID token names: the one configured claim, never a fallback over several. `email` counts
 * only with `email_verified: true` (a provider that lets users type any address would otherwise
 * let them pick a member); Entra ID asserts `preferred_username` (and `upn` in v1 tokens or as an
 * optional claim) for its own accounts, so an Entra organization chooses one of those.
 */
export function signInIdentityOf(claims: oidc.IDToken, claim: OidcUserNameClaim): SignInIdentity {
  const value = claims[claim];
  const userName = typeof value === 'string' ? value : undefined;
  if (claim === 'email' && userName && claims.email_verified !== true) {
    throw new PortalError(
      403,
      'email_not_verified',
      `The identity provider did not say that ${userName} is verified (email_verified is not true), so it cannot name a member: verify the address at the provider, or an administrator chooses the preferred_username or upn claim under Identity configuration > SSO.`,
    );
  }
  return {
    userName,
    source: `the ${claim} claim`,
    account: { issuer: claims.iss, subject: claims.sub },
    email: typeof claims.email === 'string' ? claims.email : undefined,
  };
}
