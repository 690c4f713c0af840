/** Settings from the environment, parsed and checked once at start-up. */
import type { RateLimits } from '@roster/rate-limit';

export interface Config {
  readonly port: number;
  readonly host: string;
  /** PostgreSQL URL; absent means the embedded PGlite database in `dataDir`. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  /**
   * How long a query may wait for PostgreSQL before the request is answered 503 (0: no limit), and
   * how long to wait for a connection. Without them a frozen or cut-off database hangs requests.
   */
  readonly databaseQueryTimeoutMs: number;
  readonly databaseConnectTimeoutMs: number;
  /** Largest request body accepted, in bytes. */
  readonly maxBodyBytes: number;
  /** Largest `count` a list request may ask for; larger values are clamped (RFC 7644 §3.4.2.4). */
  readonly maxPageSize: number;
  /** Trust `X-Forwarded-*` from a load balancer when building URLs. */
  readonly trustProxy: boolean;
  readonly logLevel: string;
  /**
   * Lifetime of the OAuth access tokens issued to SCIM clients, in seconds. Entra's gallery
   * validation wants 3600–21600; short lifetimes serve the conformance suite's token-expiry session.
   */
  readonly accessTokenTtlSeconds: number;
  /**
   * Lifetime of an OAuth refresh token, in seconds: a token unused for this long is refused. Each
   * use returns a successor with a fresh lifetime, so an identity provider that refreshes every
   * cycle keeps its grant, and one that stopped loses it.
   */
  readonly refreshTokenTtlSeconds: number;
  /** Lifetime of a portal session started by single sign-on, in seconds. */
  readonly sessionTtlSeconds: number;
  /**
   * SCIM requests a second per credential and per organization, averaged over a window; 0 turns a
   * limit off. The defaults leave ample room above Entra ID's documented 25 requests a second per
   * tenant, so a well-behaved IdP never sees a 429.
   */
  readonly rateLimits: RateLimits;
  /**
   * Portal API requests a second per credential (a personal API key or a session) and per
   * organization, counted apart from its SCIM requests; 0 turns a limit off. An administrator's
   * browser makes a few requests a second, a script more: the defaults leave room for both.
   */
  readonly portalRateLimits: RateLimits;
  /**
   * The OAuth endpoints' limits: token requests per client (by address while it fails to
   * authenticate), authorization requests per address, both per organization, in a bucket apart.
   * An identity provider asks for a token about once an access token's lifetime, so the defaults
   * (one a second per client, averaged over a minute) are far above what it needs.
   */
  readonly oauthRateLimits: RateLimits;
  /** Single sign-on requests (/sso/*) per address and per organization, in a bucket apart. */
  readonly signInRateLimits: RateLimits;
  /**
   * Record every SCIM request's outcome for the provisioning health view (packages/activity), on
   * by default; `ROSTER_ACTIVITY_RECORDING=false` turns it off (the benchmark compares both).
   */
  readonly activityRecording: boolean;
  /** Days provisioning activity is kept before it is deleted (`ROSTER_ACTIVITY_RETENTION_DAYS`). */
  readonly activityRetentionDays: number;
  /**
   * Days provisioning events are kept for the feed and webhooks before they are deleted, by age
   * only (`ROSTER_EVENT_RETENTION_DAYS`, docs/events.md).
   */
  readonly eventRetentionDays: number;
  /**
   * Create the demo organization and print fresh keys at start (the quick start): on by default on
   * the embedded database, off on PostgreSQL unless `ROSTER_DEMO=true`, so that a production
   * database never gets a demo organization with printed keys.
   */
  readonly demo: boolean;
  /** Lifetime of the operator's one-time setup links (`roster create-org --admin`), in seconds. */
  readonly setupLinkTtlSeconds: number;
  /**
   * Development conveniences (loopback and plain-http identity providers, a generated secret key,
   * URLs from the Host header): on with `ROSTER_ENV=development`, and implied by the embedded
   * database, which is for trying Roster on one machine. On PostgreSQL they are off unless set, so
   * production settings are the defaults.
   */
  readonly development: boolean;
  /**
   * `PUBLIC_URL`: the origin clients reach Roster at (`https://roster.example.com`), from which
   * every externally visible URL is built (no path: Roster is served at the root). Unset, URLs come
   * from the request's Host header, which only development allows (apps/roster refuses to start).
   */
  readonly publicUrl: URL | undefined;
  /** Webhook delivery (apps/roster runs it in every process; packages/webhooks). */
  readonly webhooks: WebhookSettings;
}

export interface WebhookSettings {
  /** `ROSTER_WEBHOOK_DELIVERY`: this process delivers webhooks (default true; any process may). */
  readonly delivery: boolean;
  /** `ROSTER_WEBHOOK_RETRY_WINDOW_SECONDS`: how long a failing delivery is retried (default a day). */
  readonly retryWindowSeconds: number;
  /** `ROSTER_WEBHOOK_RETRY_BASE_MS`: the first retry's delay, doubled each time (default 5 s). */
  readonly retryBaseMs: number;
  /** `ROSTER_WEBHOOK_LEASE_SECONDS`: how long a claimed delivery is one process's (default 60). */
  readonly leaseSeconds: number;
  /** `ROSTER_WEBHOOK_POLL_MS`: how often to look for work besides the commit notifications (default 1000). */
  readonly pollMs: number;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw}".`);
  }
  return value;
}

function environment(env: NodeJS.ProcessEnv): 'development' | 'production' | undefined {
  const raw = env.ROSTER_ENV;
  if (raw === undefined || raw === '') return undefined;
  if (raw !== 'development' && raw !== 'production') {
    throw new Error(`ROSTER_ENV must be "development" or "production", got "${raw}".`);
  }
  return raw;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw !== 'true' && raw !== 'false') throw new Error(`${name} must be "true" or "false", got "${raw}".`);
  return raw === 'true';
}

function origin(env: NodeJS.ProcessEnv, name: string): URL | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${name} must be an absolute URL such as https://roster.example.com, got "${raw}".`);
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.search || url.hash || url.username || url.password) {
    throw new Error(`${name} must be an http(s) URL without query, fragment or credentials, got "${raw}".`);
  }
  // Routes live at the root (/scim/v2, /api/v1, /oauth, /sso): a path here would be a prefix a
  // proxy strips, which the URLs Roster builds (and the Origin check of browser requests) do not
  // know about. Refused rather than half-supported.
  if (url.pathname !== '/') {
    throw new Error(`${name} must be an origin without a path (https://roster.example.com), got "${raw}".`);
  }
  return url;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  const development = (environment(env) ?? (databaseUrl ? 'production' : 'development')) === 'development';
  return Object.freeze({
    development,
    publicUrl: origin(env, 'PUBLIC_URL'),
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    databaseUrl,
    dataDir: env.ROSTER_DATA_DIR || '.data/pglite',
    databaseQueryTimeoutMs: integer(env, 'DATABASE_QUERY_TIMEOUT_MS', 30_000, 0, 600_000),
    databaseConnectTimeoutMs: integer(env, 'DATABASE_CONNECT_TIMEOUT_MS', 5_000, 1, 600_000),
    // 2 MiB holds a PUT of a group with ~40,000 members; larger groups are changed with PATCH.
    maxBodyBytes: integer(env, 'SCIM_MAX_BODY_BYTES', 2 * 1024 * 1024, 1024, 64 * 1024 * 1024),
    maxPageSize: integer(env, 'SCIM_MAX_PAGE_SIZE', 1000, 1, 10_000),
    trustProxy: env.TRUST_PROXY === 'true',
    logLevel: env.LOG_LEVEL || 'info',
    demo: flag(env, 'ROSTER_DEMO', !databaseUrl),
    setupLinkTtlSeconds: integer(env, 'ROSTER_SETUP_LINK_TTL', 24 * 3600, 60, 30 * 24 * 3600),
    accessTokenTtlSeconds: integer(env, 'ROSTER_ACCESS_TOKEN_TTL', 3600, 1, 21_600),
    sessionTtlSeconds: integer(env, 'ROSTER_SESSION_TTL', 12 * 3600, 60, 30 * 24 * 3600),
    refreshTokenTtlSeconds: integer(env, 'ROSTER_REFRESH_TOKEN_TTL', 30 * 24 * 3600, 60, 365 * 24 * 3600),
    rateLimits: Object.freeze({
      perCredential: integer(env, 'SCIM_RATE_LIMIT_PER_CREDENTIAL', 100, 0, 1_000_000),
      perOrganization: integer(env, 'SCIM_RATE_LIMIT_PER_ORGANIZATION', 200, 0, 1_000_000),
      windowSeconds: integer(env, 'SCIM_RATE_LIMIT_WINDOW_SECONDS', 10, 1, 3600),
    }),
    portalRateLimits: Object.freeze({
      perCredential: integer(env, 'PORTAL_RATE_LIMIT_PER_CREDENTIAL', 50, 0, 1_000_000),
      perOrganization: integer(env, 'PORTAL_RATE_LIMIT_PER_ORGANIZATION', 100, 0, 1_000_000),
      windowSeconds: integer(env, 'PORTAL_RATE_LIMIT_WINDOW_SECONDS', 10, 1, 3600),
    }),
    oauthRateLimits: Object.freeze({
      perCredential: integer(env, 'OAUTH_RATE_LIMIT_PER_CLIENT', 1, 0, 1_000_000),
      perOrganization: integer(env, 'OAUTH_RATE_LIMIT_PER_ORGANIZATION', 5, 0, 1_000_000),
      windowSeconds: integer(env, 'OAUTH_RATE_LIMIT_WINDOW_SECONDS', 60, 1, 3600),
    }),
    activityRecording: flag(env, 'ROSTER_ACTIVITY_RECORDING', true),
    activityRetentionDays: integer(env, 'ROSTER_ACTIVITY_RETENTION_DAYS', 30, 1, 3650),
    eventRetentionDays: integer(env, 'ROSTER_EVENT_RETENTION_DAYS', 30, 1, 3650),
    signInRateLimits: Object.freeze({
      perCredential: integer(env, 'SIGN_IN_RATE_LIMIT_PER_ADDRESS', 5, 0, 1_000_000),
      perOrganization: integer(env, 'SIGN_IN_RATE_LIMIT_PER_ORGANIZATION', 20, 0, 1_000_000),
      windowSeconds: integer(env, 'SIGN_IN_RATE_LIMIT_WINDOW_SECONDS', 60, 1, 3600),
    }),
    webhooks: Object.freeze({
      delivery: flag(env, 'ROSTER_WEBHOOK_DELIVERY', true),
      retryWindowSeconds: integer(env, 'ROSTER_WEBHOOK_RETRY_WINDOW_SECONDS', 24 * 3600, 1, 7 * 24 * 3600),
      retryBaseMs: integer(env, 'ROSTER_WEBHOOK_RETRY_BASE_MS', 5_000, 10, 3600_000),
      leaseSeconds: integer(env, 'ROSTER_WEBHOOK_LEASE_SECONDS', 60, 10, 3600),
      pollMs: integer(env, 'ROSTER_WEBHOOK_POLL_MS', 1_000, 10, 60_000),
    }),
  });
}
