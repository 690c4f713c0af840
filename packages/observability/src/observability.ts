/**
 * Request ids, one structured log line per request, and Prometheus metrics. Logs never carry
 * credentials: query strings (filter values such as email addresses, OAuth codes) are left out of
 * the request line, tokens are cut from its path, and headers (at debug only) pass through the
 * logger's redaction (logger.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';
import type { Logger } from 'pino';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { loggablePath } from './logger.js';

export { createLogger, loggablePath, REDACTED, REDACTED_PATHS } from './logger.js';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'roster_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'roster_http_request_duration_seconds',
    help: 'HTTP request duration by method and route',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  // No organization label: the cache's effect, not a tenant's traffic (which the logs have).
  const credentialCache = new Counter({
    name: 'roster_credential_cache_events_total',
    help: 'Credential cache lookups (hit, miss), invalidations received, and resets (the notification connection lost)',
    labelNames: ['event'],
    registers: [registry],
  });
  return { registry, requests, duration, credentialCache };
}

export type Metrics = ReturnType<typeof createMetrics>;

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The name of catch-all routes (SCIM 404/405 answers); they never label metrics. */
export const FALLBACK_ROUTE = 'fallback';

interface MatchedLayer {
  name?: string | null;
  path: string | RegExp;
  methods: string[];
}

/**
 * The methods the routes on this request's path accept, HEAD left out: what the fallback route's
 * 405 names in `Allow`. Empty when no route has the path (a 404).
 */
export function allowedMethods(ctx: Context): string[] {
  const matched = (ctx as Context & { matched?: MatchedLayer[] }).matched ?? [];
  const methods = matched.filter((layer) => layer.name !== FALLBACK_ROUTE).flatMap((layer) => layer.methods);
  return [...new Set(methods)].filter((method) => method !== 'HEAD');
}

/** The most specific route that matched, as its pattern: bounded label values, no ids or org slugs. */
function routeLabel(ctx: Context): string {
  const layers = ((ctx as Context & { matched?: MatchedLayer[] }).matched ?? []).filter(
    (layer) => layer.methods.length > 0 && layer.name !== FALLBACK_ROUTE,
  );
  const path = layers[layers.length - 1]?.path;
  return typeof path === 'string' ? path : 'unmatched';
}

export function observe(logger: Logger, metrics: Metrics) {
  return async function observeRequest(ctx: Context, next: Next): Promise<void> {
    const started = process.hrtime.bigint();
    const incoming = ctx.get('x-request-id');
    const requestId = REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.state.log = logger.child({ requestId });
    ctx.set('X-Request-Id', requestId);
    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeLabel(ctx);
      metrics.requests.inc({ method: ctx.method, route, status: String(ctx.status) });
      metrics.duration.observe({ method: ctx.method, route }, seconds);
      // Apps add what they know (organization, key id, error code) to ctx.state.logFields.
      const fields = ctx.state.logFields as Record<string, unknown> | undefined;
      const log = ctx.state.log as Logger;
      // At debug, the headers too (what an identity provider sends is the first question when it
      // fails): credentials among them are redacted by the logger (createLogger).
      const headers = log.isLevelEnabled('debug')
        ? { req: { headers: ctx.req.headers }, res: { headers: ctx.response.headers } }
        : {};
      log.info(
        {
          method: ctx.method,
          path: loggablePath(ctx.path),
          route,
          status: ctx.status,
          durationMs: Math.round(seconds * 1000 * 100) / 100,
          ...fields,
          ...headers,
        },
        'request',
      );
    }
  };
}
