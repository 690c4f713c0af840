/**
 * The portal API as a Koa app, under /api/v1. Request path: observe → error edge → JSON body →
 * route (authenticate, rate limit, check access, validate with the route's schemas) → directory / services.
 * Beside it, under /oauth and /.well-known, the organizations' OAuth 2.0 authorization servers
 * for SCIM clients (oauth/), signing with a key derived from the same server secret.
 */
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import { accessTokenKey } from '@roster/auth/access-tokens';
import { ephemeralSecretKey } from '@roster/auth/secret-box';
import type { Database } from '@roster/db';
import { type EgressFetch, egressFetch } from '@roster/egress';
import { allowedMethods, createMetrics, FALLBACK_ROUTE, type Metrics, observe } from '@roster/observability';
import { jsonDeeperThan, MAX_JSON_DEPTH } from '@roster/observability/json-depth';
import { publicOrigin } from '@roster/observability/public-origin';
import { securityHeaders } from '@roster/observability/security-headers';
import { RateLimiter, type RateLimits } from '@roster/rate-limit';
import Koa from 'koa';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { apiKeyRoutes } from './api-keys/api-key.routes.js';
import { auditRoutes } from './audit/audit.routes.js';
import { authenticator } from './auth/authenticate.js';
import { eventRoutes } from './events/events.routes.js';
import { groupRoutes } from './groups/group.routes.js';
import { portalErrorHandler } from './http/error-handler.js';
import { rateLimited, signInRateLimit } from './http/rate-limit.js';
import { mountRoutes, openApiDocument, type RouteDefinition } from './http/route.js';
import { identityRoutes } from './identity/identity.routes.js';
import { memberRoutes } from './members/member.routes.js';
import { createOAuthRouter } from './oauth/oauth.routes.js';
import { organizationRoutes } from './organizations/organization.routes.js';
import { PortalError } from './portal-error.js';
import { activityRoutes } from './provisioning/activity.routes.js';
import { adoptionPreviewRoutes } from './provisioning/adoption-preview.routes.js';
import { exportRoutes } from './provisioning/export.routes.js';
import { type ActivityRecording, healthRoutes } from './provisioning/health.routes.js';
import { timelineRoutes } from './provisioning/timeline.routes.js';
import { createSetupLinkRouter } from './sign-in/setup-link.routes.js';
import { createSignInRouter } from './sign-in/sign-in.routes.js';
import { webhookRoutes } from './webhooks/webhook.routes.js';

export interface PortalAppOptions {
  db: Kysely<Database>;
  logger: Logger;
  /** `accessTokenTtlSeconds`: lifetime of the OAuth access tokens it issues (default 3600). */
  config: {
    maxBodyBytes: number;
    trustProxy: boolean;
    /** PUBLIC_URL: the origin of every URL the app builds; absent, the request's (development). */
    publicUrl?: URL | undefined;
    accessTokenTtlSeconds?: number;
    /** Lifetime of sign-in sessions (default 12 h). */
    sessionTtlSeconds?: number;
    /** Portal API requests a second per credential and per organization; absent: not limited. */
    portalRateLimits?: RateLimits;
    /**
     * `config.development` (ROSTER_ENV=development): identity providers may be reached over plain
     * http and at loopback or private addresses. Absent: production rules.
     */
    development?: boolean;
    /** Lifetime of OAuth refresh tokens, restarted by each use (default 30 days). */
    refreshTokenTtlSeconds?: number;
    /** Token requests per OAuth client, authorization requests per address, and both per organization; absent: not limited. */
    oauthRateLimits?: RateLimits;
    /** Single sign-on requests (/sso/*) per address and per organization; absent: not limited. */
    signInRateLimits?: RateLimits;
  };
  /** How the server reaches identity providers (default: @roster/egress's fetch under `config.development`). */
  egress?: EgressFetch;
  /** Shared with the other apps of the process, so one /metrics covers them all. */
  metrics?: Metrics;
  /**
   * 32 bytes that seal secrets at rest (the SSO client secret), e.g. `secretKeyFrom(env)` from
   * `@roster/auth/secret-box`. It must be the same across restarts and across instances: without
   * it, a random per-process key is used (fine for tests, not for production: what it sealed
   * cannot be opened by another process).
   */
  secretKey?: Buffer;
  /** Counts requests against the portal's limits (default: one on `db` with `config.portalRateLimits`). */
  rateLimiter?: RateLimiter;
  /** Counts /oauth/{org}/token and /authorize requests (default: one with `config.oauthRateLimits`). */
  oauthRateLimiter?: RateLimiter;
  /** Counts /sso/* requests (default: one with `config.signInRateLimits`). */
  signInRateLimiter?: RateLimiter;
  /** This process's provisioning activity writer, whose drops the health answer reports (apps/roster). */
  activity?: ActivityRecording;
}

/** What routes need beyond the database. */
export interface PortalDeps {
  secretKey: Buffer;
  /** `config.development`: which identity provider addresses may be saved. */
  development: boolean;
  activity?: ActivityRecording | undefined;
}

export function portalRoutes(db: Kysely<Database>, deps: PortalDeps): RouteDefinition[] {
  return [
    ...organizationRoutes(db),
    ...memberRoutes(db),
    ...groupRoutes(db),
    ...apiKeyRoutes(db),
    ...identityRoutes(db, deps),
    ...auditRoutes(db),
    ...activityRoutes(db),
    ...healthRoutes(db, deps.activity),
    ...exportRoutes(db),
    ...webhookRoutes(db, deps),
    ...eventRoutes(db),
    ...adoptionPreviewRoutes(db),
    ...timelineRoutes(db),
  ];
}

export const API_INFO = {
  title: 'Roster portal API',
  version: '1.0.0',
  description:
    "What a customer's administrator does to switch provisioning on: organization, members, identity configuration, API keys, audit trail, webhooks.",
};

/** The /api/v1 router: the declared routes, the OpenAPI document built from them, and the fallbacks. */
export function createPortalRouter(
  db: Kysely<Database>,
  logger: Logger,
  maxBodyBytes: number,
  deps: PortalDeps = { secretKey: ephemeralSecretKey(), development: false },
  rateLimiter?: RateLimiter,
): Router {
  const routes = portalRoutes(db, deps);
  const document = openApiDocument(routes, API_INFO);
  const router = new Router({ prefix: '/api/v1' });
  router.use(
    portalErrorHandler((ctx, error) =>
      logger.error({ err: error, requestId: ctx.state.requestId }, 'unexpected error'),
    ),
  );
  router.use(
    bodyParser({
      enableTypes: ['json'],
      extendTypes: { json: ['application/json', 'application/*+json'] },
      jsonLimit: maxBodyBytes,
    }),
    (ctx, next) => {
      if (jsonDeeperThan(ctx.request.body)) {
        throw new PortalError(
          400,
          'invalid_request',
          `The request body nests deeper than ${MAX_JSON_DEPTH} levels; no portal API request does.`,
        );
      }
      return next();
    },
  );
  router.get('/openapi.json', (ctx) => {
    ctx.body = document;
  });
  const authenticate = authenticator(db, (error) =>
    logger.warn({ err: error }, 'could not record API key use'),
  );
  mountRoutes(router, routes, rateLimiter ? rateLimited(authenticate, rateLimiter) : authenticate);
  router.all(FALLBACK_ROUTE, '/{*rest}', (ctx) => {
    const allowed = allowedMethods(ctx);
    if (allowed.length > 0) {
      throw new PortalError(
        405,
        'method_not_allowed',
        `${ctx.method} is not supported here; use ${allowed.join(', ')}.`,
        {
          headers: { Allow: allowed.join(', ') },
        },
      );
    }
    throw new PortalError(
      404,
      'not_found',
      `There is no portal API endpoint at ${ctx.path}. See /api/v1/openapi.json.`,
    );
  });
  return router;
}

const NOT_LIMITED: RateLimits = { perCredential: 0, perOrganization: 0, windowSeconds: 10 };

export function createPortalApp({
  db,
  logger,
  config,
  metrics = createMetrics(),
  secretKey,
  egress = egressFetch({ development: config.development ?? false }),
  rateLimiter = new RateLimiter(db, config.portalRateLimits ?? NOT_LIMITED, {
    organizationBucket: 'portal',
    onSyncError: (error) => logger.warn({ err: error }, 'could not share rate limit counts'),
  }),
  // Each in a bucket of its own: a burst of sign-ins never uses up the identity provider's tokens.
  oauthRateLimiter = new RateLimiter(db, config.oauthRateLimits ?? NOT_LIMITED, {
    organizationBucket: 'oauth',
    onSyncError: (error) => logger.warn({ err: error }, 'could not share rate limit counts'),
  }),
  signInRateLimiter = new RateLimiter(db, config.signInRateLimits ?? NOT_LIMITED, {
    organizationBucket: 'sign_in',
    onSyncError: (error) => logger.warn({ err: error }, 'could not share rate limit counts'),
  }),
  activity,
}: PortalAppOptions): Koa {
  if (secretKey && secretKey.length !== 32) {
    throw new Error(
      'The portal secret key must be 32 bytes (AES-256): see secretKeyFrom in @roster/auth/secret-box.',
    );
  }
  if (!secretKey) {
    logger.warn(
      'no secret key configured: SSO client secrets are sealed with a random per-process key and cannot be opened after a restart or by another instance',
    );
  }
  const app = new Koa({ proxy: config.trustProxy });
  app.on('error', (error) => logger.warn({ err: error }, 'connection error'));
  app.use(observe(logger, metrics));
  app.use(securityHeaders());
  app.use(publicOrigin(config.publicUrl));
  const key = secretKey ?? ephemeralSecretKey();
  const development = config.development ?? false;
  app.use(
    createPortalRouter(
      db,
      logger,
      config.maxBodyBytes,
      { secretKey: key, development, activity },
      rateLimiter,
    ).routes(),
  );
  app.use(
    createOAuthRouter(db, logger, accessTokenKey(key), {
      accessTokenTtlSeconds: config.accessTokenTtlSeconds,
      refreshTokenTtlSeconds: config.refreshTokenTtlSeconds,
      rateLimiter: oauthRateLimiter,
    }).routes(),
  );
  app.use(signInRateLimit(db, signInRateLimiter));
  app.use(
    createSignInRouter(db, logger, {
      secretKey: key,
      sessionTtlSeconds: config.sessionTtlSeconds ?? 12 * 3600,
      development,
      fetch: egress,
    }).routes(),
  );
  app.use(
    createSetupLinkRouter(db, logger, { sessionTtlSeconds: config.sessionTtlSeconds ?? 12 * 3600 }).routes(),
  );
  return app;
}
