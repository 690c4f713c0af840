/**
 * An authorization-code request (RFC 6749 §4.1.1 with PKCE, RFC 7636), checked the same way when
 * the IdP sends the browser to the authorization endpoint and when a manager approves it.
 *
 * Client and redirect URI are checked first: until both are known good, errors are shown, never
 * sent to the redirect URI (§4.1.2.1, no open redirector). After that, errors travel back to the
 * client on the redirect URI.
 */
import type { OAuthClient } from '@roster/directory/oauth';
import { grantableScope, SCOPE_REFUSED } from './scope.js';

export interface AuthorizationParams {
  responseType?: string | undefined;
  clientId?: string | undefined;
  redirectUri?: string | undefined;
  scope?: string | undefined;
  state?: string | undefined;
  codeChallenge?: string | undefined;
  codeChallengeMethod?: string | undefined;
}

export interface ValidAuthorization {
  clientId: string;
  redirectUri: string;
  /** Whether the request named redirect_uri (else the one registered URI): the token request must then repeat it. */
  redirectUriSent: boolean;
  scope: string;
  state: string | undefined;
  codeChallenge: string;
}

export type AuthorizationCheck =
  /** Show the problem to the user; the client or its redirect URI cannot be trusted. */
  | { kind: 'show'; description: string }
  /** Send `error` back to the client on its redirect URI. */
  | { kind: 'redirect'; redirectTo: string }
  | { kind: 'valid'; request: ValidAuthorization };

/** RFC 7636 §4.2: BASE64URL(SHA-256(verifier)) is 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

export function redirectWith(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}

export function checkAuthorization(
  client: OAuthClient | undefined,
  params: AuthorizationParams,
): AuthorizationCheck {
  if (!client?.clientId || params.clientId !== client.clientId) {
    return {
      kind: 'show',
      description:
        'Unknown client_id for this organization: use the client ID shown under Identity configuration > Provisioning (OAuth 2.0).',
    };
  }
  if (!client.switches.scimEnabled || client.switches.scimAuthMethod !== 'oauth2') {
    return {
      kind: 'show',
      description:
        'This organization does not provision through OAuth 2.0: an administrator chooses it under Identity configuration > Provisioning.',
    };
  }
  // Exact string match against a registered URI (RFC 9700 §4.1.3); with one registered, it may be omitted.
  const registered = client.redirectUris;
  const redirectUri = params.redirectUri ?? (registered.length === 1 ? registered[0] : undefined);
  if (!redirectUri || !registered.includes(redirectUri)) {
    return {
      kind: 'show',
      description: `The redirect_uri is not registered for this client. An administrator registers it under Identity configuration > Provisioning ("oauthRedirectUris").`,
    };
  }
  const back = (error: string, description: string): AuthorizationCheck => ({
    kind: 'redirect',
    redirectTo: redirectWith(redirectUri, { error, error_description: description, state: params.state }),
  });
  if (params.responseType !== 'code') {
    return back('unsupported_response_type', 'Only response_type=code is supported.');
  }
  if (
    !params.codeChallenge ||
    !S256_CHALLENGE.test(params.codeChallenge) ||
    params.codeChallengeMethod !== 'S256'
  ) {
    return back('invalid_request', 'PKCE is required: send code_challenge with code_challenge_method=S256.');
  }
  const scope = grantableScope(params.scope);
  if (!scope) return back('invalid_scope', SCOPE_REFUSED);
  return {
    kind: 'valid',
    request: {
      clientId: client.clientId,
      redirectUri,
      redirectUriSent: params.redirectUri !== undefined,
      scope,
      state: params.state,
      codeChallenge: params.codeChallenge,
    },
  };
}
