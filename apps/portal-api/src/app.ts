/**
 * The portal API as a Koa app, under /api/v1. Request path: observe → error edge → JSON body →
 * route (authenticate, check access, validate with the route's schemas) → directory / services.
 */
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Database } from '@roster/db';
import { createMetrics, FALLBACK_ROUTE, type Metrics, observe } from '@roster/observability';
import Koa from 'koa';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { apiKeyRoutes } from './api-keys/api-key.routes.js';
import { auditRoutes } from './audit/audit.routes.js';
import { authenticator } from './auth/authenticate.js';
import { portalErrorHandler } from './http/error-handler.js';
import { PortalError } from './http/portal-error.js';
import { mountRoutes, openApiDocument, type RouteDefinition } from './http/route.js';
import { memberRoutes } from './members/member.routes.js';
import { organizationRoutes } from './organizations/organization.routes.js';

export interface PortalAppOptions {
  db: Kysely<Database>;
  logger: Logger;
  config: { maxBodyBytes: number; trustProxy: boolean };
  /** Shared with the other apps of the process, so one /metrics covers them all. */
  metrics?: Metrics;
}

export function portalRoutes(db: Kysely<Database>): RouteDefinition[] {
  return [...organizationRoutes(db), ...memberRoutes(db), ...apiKeyRoutes(db), ...auditRoutes(db)];
}

export const API_INFO = {
  title: 'Roster portal API',
  version: '1.0.0',
  description:
    "What a customer's administrator does to switch provisioning on: organization, members, identity configuration, API keys, audit trail.",
};

/** The /api/v1 router: the declared routes, the OpenAPI document built from them, and the fallbacks. */
export function createPortalRouter(db: Kysely<Database>, logger: Logger, maxBodyBytes: number): Router {
  const routes = portalRoutes(db);
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
  );
  router.get('/openapi.json', (ctx) => {
    ctx.body = document;
  });
  mountRoutes(
    router,
    routes,
    authenticator(db, (error) => logger.warn({ err: error }, 'could not record API key use')),
  );
  router.all(FALLBACK_ROUTE, '/{*rest}', (ctx) => {
    const allowed = [
      ...new Set((ctx.matched ?? []).filter((l) => l.name !== FALLBACK_ROUTE).flatMap((l) => l.methods)),
    ].filter((m) => m !== 'HEAD');
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

export function createPortalApp({ db, logger, config, metrics = createMetrics() }: PortalAppOptions): Koa {
  const app = new Koa({ proxy: config.trustProxy });
  app.on('error', (error) => logger.warn({ err: error }, 'connection error'));
  app.use(observe(logger, metrics));
  app.use(createPortalRouter(db, logger, config.maxBodyBytes).routes());
  return app;
}
