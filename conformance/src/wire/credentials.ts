/**
 * How a simulated IdP authenticates to the SCIM endpoint: a long-lived bearer secret (Entra's
 * Secret Token, Ping's "OAuth 2 Bearer Token"), or OAuth 2.0 client credentials through
 * openid-client, with the client authentication each IdP uses at the token endpoint
 * (docs/reference/entra.md#authentication: Microsoft's validation posts the secret in the form;
 * docs/reference/ping.md#oauth-token-request: HTTP Basic).
 */
import * as oidc from 'openid-client';

export interface Credentials {
  /** The `Authorization` header value for the next request. */
  authorization(): Promise<string>;
  /** Called when the target answered 401: true when a fresh credential is worth one more try. */
  renew(): Promise<boolean>;
  /**
   * Called at the start of a cycle: Entra checks and refreshes its token there
   * (docs/reference/entra.md#authentication).
   */
  refreshIfExpired(): Promise<void>;
  /** Tokens obtained so far (0 for a static secret). */
  readonly tokensFetched: number;
  /** Seconds the current token was granted for, if any. */
  readonly grantedLifetime: number | undefined;
}

export function staticBearer(token: string): Credentials {
  return {
    authorization: async () => `Bearer ${token}`,
    renew: async () => false,
    refreshIfExpired: async () => {},
    tokensFetched: 0,
    grantedLifetime: undefined,
  };
}

export interface ClientCredentialsOptions {
  clientId: string;
  clientSecret: string;
  /** The token endpoint as an admin types it into the IdP. */
  tokenUrl?: string;
  /** The authorization server's issuer, for RFC 8414 discovery; derived from `tokenUrl` if absent. */
  issuer?: string;
  clientAuthentication: 'client_secret_basic' | 'client_secret_post';
  scope?: string;
  /** What sends discovery and token requests: the global `fetch` when absent. */
  fetch?: typeof fetch;
}

const insecure = (url: string) => url.startsWith('http:');

/**
 * The issuer to discover: the given one, or the token URL without its last segment
 * (`…/oauth/acme/token` → `…/oauth/acme`, Roster's and many servers' layout).
 */
function issuerOf(options: ClientCredentialsOptions): string | undefined {
  if (options.issuer) return options.issuer;
  return options.tokenUrl?.replace(/\/[^/]*\/?$/, '');
}

/** The authorization server's metadata by discovery, else a configuration naming only the token URL. */
async function configure(options: ClientCredentialsOptions): Promise<oidc.Configuration> {
  const auth =
    options.clientAuthentication === 'client_secret_basic'
      ? oidc.ClientSecretBasic(options.clientSecret)
      : oidc.ClientSecretPost(options.clientSecret);
  const issuer = issuerOf(options);
  if (!issuer) throw new Error('OAuth client credentials need a token URL or an issuer to discover.');
  try {
    const config = await oidc.discovery(new URL(issuer), options.clientId, undefined, auth, {
      algorithm: 'oauth2',
      ...(insecure(issuer) ? { execute: [oidc.allowInsecureRequests] } : {}),
      // Kept by the configuration for its token requests too.
      ...(options.fetch ? { [oidc.customFetch]: options.fetch } : {}),
    });
    const discovered = config.serverMetadata().token_endpoint;
    if (!options.tokenUrl || discovered === options.tokenUrl) return config;
  } catch (error) {
    if (!options.tokenUrl) throw error;
  }
  // No metadata (or metadata naming another endpoint): use the token URL as typed, as the IdPs do.
  const tokenUrl = options.tokenUrl as string;
  const config = new oidc.Configuration(
    { issuer: new URL(tokenUrl).origin, token_endpoint: tokenUrl },
    options.clientId,
    undefined,
    auth,
  );
  if (insecure(tokenUrl)) oidc.allowInsecureRequests(config);
  if (options.fetch) config[oidc.customFetch] = options.fetch;
  return config;
}

export function clientCredentials(options: ClientCredentialsOptions): Credentials {
  let config: Promise<oidc.Configuration> | undefined;
  let token: { value: string; expiresAt: number; lifetime: number } | undefined;
  let fetched = 0;

  async function fetchToken() {
    config ??= configure(options);
    let configuration: oidc.Configuration;
    try {
      configuration = await config;
    } catch (error) {
      config = undefined; // discovery is tried again on the next request
      throw error;
    }
    const response = await oidc.clientCredentialsGrant(
      configuration,
      options.scope ? { scope: options.scope } : {},
    );
    // As granted: `expiresIn()` counts down from the response, a second short by the time it is read.
    const lifetime = response.expires_in ?? 3600;
    token = { value: response.access_token, expiresAt: Date.now() + lifetime * 1000, lifetime };
    fetched += 1;
  }

  return {
    async authorization() {
      if (!token) await fetchToken();
      return `Bearer ${token?.value}`;
    },
    async renew() {
      await fetchToken();
      return true;
    },
    async refreshIfExpired() {
      if (!token || token.expiresAt <= Date.now()) await fetchToken();
    },
    get tokensFetched() {
      return fetched;
    },
    get grantedLifetime() {
      return token?.lifetime;
    },
  };
}
