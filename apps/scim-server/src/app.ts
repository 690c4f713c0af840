/**
 * The SCIM service as a Koa app. Request path: observe (request id, log, metrics) → SCIM router
 * (`/scim/v2/:org`): activity (every outcome) → error edge → authenticate → rate limit → JSON body → Users / Groups /
 * discovery routes.
 * Health, readiness and metrics sit beside it.
 */
import Router from '@koa/router';
import { ActivityWriter } from '@roster/activity';
import { accessTokenKey } from '@roster/auth/access-tokens';
import { ephemeralSecretKey } from '@roster/auth/secret-box';
import type { Database } from '@roster/db';
import type { CredentialCache } from '@roster/directory/credential-cache';
import { allowedMethods, createMetrics, FALLBACK_ROUTE, type Metrics, observe } from '@roster/observability';
import { publicOrigin } from '@roster/observability/public-origin';
import { securityHeaders } from '@roster/observability/security-headers';
import { RateLimiter } from '@roster/rate-limit';
import { ScimError } from '@roster/scim-core/errors';
import Koa from 'koa';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { authenticate } from './auth/authenticate.js';
import type { Config } from './config.js';
import { registerDiscoveryRoutes } from './discovery/discovery.routes.js';
import { registerGroupRoutes } from './groups/group.routes.js';
import { activityMetrics, recordActivity } from './http/activity.js';
import type { ScimDeps } from './http/context.js';
import { jsonBody } from './http/json-body.js';
import { rateLimit } from './http/rate-limit.js';
import { scimErrorHandler } from './http/scim-errors.js';
import { registerUserRoutes } from './users/user.routes.js';

export interface AppOptions {
  db: Kysely<Database>;
  config: Config;
  logger: Logger;
  /** Set `draining` on shutdown: readiness then fails so the load balancer stops sending traffic. */
  lifecycle?: { draining: boolean };
  /** Shared with the other apps of the process, so one /metrics covers them all. */
  metrics?: Metrics;
  /**
   * The server's 32-byte secret key (ROSTER_SECRET_KEY), from which the key that verifies OAuth
   * access tokens is derived; the portal's authorization server signs with the same. Without it,
   * the process's ephemeral key (tokens then work only within this process).
   */
  secretKey?: Buffer;
  /** Counts requests against the configured rate limits (default: one on `db` with `config.rateLimits`). */
  rateLimiter?: RateLimiter;
  /** Records each SCIM request's outcome (default: one on `db`); the caller closes it on shutdown. */
  activityWriter?: ActivityWriter;
  /** The process's credential cache, listening to invalidations (absent: credentials are read on every request). */
  credentialCache?: CredentialCache | undefined;
}

function scimRouter(
  deps: ScimDeps & {
    accessTokenKey: Uint8Array;
    rateLimiter: RateLimiter;
    activity: ActivityWriter;
    metrics: Metrics;
    credentialCache: CredentialCache | undefined;
  },
): Router {
  const router = new Router({ prefix: '/scim/v2/:org' });
  router.use(recordActivity(deps.activity, activityMetrics(deps.metrics, deps.activity)));
  router.use(
    scimErrorHandler((ctx, error) =>
      deps.logger.error({ err: error, requestId: ctx.state.requestId }, 'unexpected error'),
    ),
  );
  router.use(
    authenticate({
      db: deps.db,
      accessTokenKey: deps.accessTokenKey,
      onTouchError: (error) => deps.logger.warn({ err: error }, 'could not record API key use'),
      credentialCache: deps.credentialCache,
    }),
  );
  router.use(rateLimit(deps.rateLimiter));
  router.use(jsonBody(deps.config.maxBodyBytes));
  registerUserRoutes(router, deps);
  registerGroupRoutes(router, deps);
  registerDiscoveryRoutes(router, deps);
  // Anything else under the base URL: a SCIM 404, never Koa's plain-text one.
  router.all(FALLBACK_ROUTE, '/{*rest}', (ctx) => {
    // A known endpoint asked with a method it lacks (`DELETE /Users`): 405 with the methods it has.
    const allowed = allowedMethods(ctx);
    if (allowed.length > 0) {
      const methods = allowed.join(', ');
      throw new ScimError(
        405,
        `${ctx.method} is not supported at ${ctx.path}; this endpoint supports ${methods}.`,
        { headers: { Allow: methods } },
      );
    }
    throw new ScimError(
      404,
      `There is no SCIM endpoint at ${ctx.path}. Endpoints: /Users, /Groups, /ServiceProviderConfig, /ResourceTypes, /Schemas.`,
    );
  });
  return router;
}

function operationsRouter(db: Kysely<Database>, metrics: Metrics, lifecycle: { draining: boolean }): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    if (lifecycle.draining) {
      ctx.status = 503;
      ctx.body = { status: 'draining', detail: 'The process is shutting down.' };
      return;
    }
    try {
      await sql`select 1`.execute(db);
      ctx.body = { status: 'ready' };
    } catch {
      ctx.status = 503;
      ctx.set('Retry-After', '5');
      ctx.body = { status: 'unavailable', detail: 'The database cannot be reached.' };
    }
  });
  router.get('/metrics', async (ctx) => {
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
  return router;
}

export function createScimApp({
  db,
  config,
  logger,
  lifecycle = { draining: false },
  metrics = createMetrics(),
  secretKey = ephemeralSecretKey(),
  rateLimiter = new RateLimiter(db, config.rateLimits, {
    onSyncError: (error) => logger.warn({ err: error }, 'could not share rate limit counts'),
  }),
  activityWriter = new ActivityWriter(db, {
    enabled: config.activityRecording,
    retentionDays: config.activityRetentionDays,
    onError: (error) => logger.warn({ err: error }, 'could not record provisioning activity'),
  }),
  credentialCache,
}: AppOptions): Koa {
  const app = new Koa({ proxy: config.trustProxy });
  app.on('error', (error) => logger.warn({ err: error }, 'connection error'));
  app.use(observe(logger, metrics));
  app.use(securityHeaders());
  app.use(publicOrigin(config.publicUrl));
  app.use(async (ctx, next) => {
    // `https://host/scim/v2/acme/` + `/Users` (a base URL with a trailing slash, seen from Ping) works.
    if (ctx.path.includes('//')) ctx.path = ctx.path.replace(/\/{2,}/g, '/');
    await next();
  });
  const scim = scimRouter({
    db,
    config,
    logger,
    accessTokenKey: accessTokenKey(secretKey),
    rateLimiter,
    activity: activityWriter,
    metrics,
    credentialCache,
  });
  app.use(scim.routes());
  const operations = operationsRouter(db, metrics, lifecycle);
  app.use(operations.routes());
  app.use((ctx) => {
    ctx.status = 404;
    ctx.body = { error: 'not_found', detail: 'SCIM endpoints live under /scim/v2/{organization}/.' };
  });
  return app;
}
