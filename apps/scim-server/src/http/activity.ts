/**
 * Provisioning activity: every SCIM request whose base URL names an organization is
 * recorded with its outcome, whatever it is (a 401 of the wrong method, a 403, a 409, a 429), so
 * an administrator can see why provisioning fails. It sits outside the error edge, so it sees the
 * status and the SCIM error the client got; recording only queues (packages/activity writes in
 * batches), so it adds no database round trip to the request. Bodies and tokens are never kept.
 */
import type { ActivityWriter } from '@roster/activity';
import { redactValues } from '@roster/activity/health';
import { SLUG } from '@roster/directory/organizations';
import type { Metrics } from '@roster/observability';
import type { Context, Next } from 'koa';
import { Counter, Gauge, Histogram } from 'prom-client';
import { idpOf } from '../audit/record.js';
import type { Tenant } from '../auth/tenant.js';

const RESOURCE_TYPES = new Set([
  'Users',
  'Groups',
  'ServiceProviderConfig',
  'ResourceTypes',
  'Schemas',
  'Bulk',
  'Me',
]);
/** Longest resource id and detail kept (ids are ours or the client's; details are ours). */
const MAX_ID = 200;
const MAX_DETAIL = 1000;

/** The writer's and the SCIM outcomes' metrics, on the process's registry (no per-organization labels). */
export function activityMetrics(metrics: Metrics, writer: ActivityWriter) {
  const registers = [metrics.registry];
  const outcomes = new Counter({
    name: 'roster_scim_outcomes_total',
    help: 'SCIM requests by outcome class (2xx, 4xx, 5xx) and resource type',
    labelNames: ['class', 'resource_type'],
    registers,
  });
  new Gauge({
    name: 'roster_activity_queue_depth',
    help: 'Provisioning activity entries waiting to be written',
    registers,
    collect() {
      this.set(writer.queueDepth);
    },
  });
  const flushes = new Histogram({
    name: 'roster_activity_flush_seconds',
    help: 'Time to write one batch of provisioning activity',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const drops = new Counter({
    name: 'roster_activity_dropped_total',
    help: 'Provisioning activity entries dropped because the queue was full (database unreachable)',
    registers,
  });
  writer.observe({
    flushed: (_entries, seconds) => flushes.observe(seconds),
    dropped: (entries) => drops.inc(entries),
  });
  return {
    outcome: (status: number, resourceType: string | undefined) =>
      outcomes.inc({ class: `${Math.floor(status / 100)}xx`, resource_type: resourceType ?? 'other' }),
  };
}

export type ActivityMetrics = ReturnType<typeof activityMetrics>;

/** `/scim/v2/{org}/Users/{id}` → Users and the id; anything else under the base URL has no type. */
function resourceOf(path: string): { resourceType?: string; resourceId?: string } {
  const [, , , , type, id] = path.split('/');
  if (!type || !RESOURCE_TYPES.has(type)) return {};
  return { resourceType: type, resourceId: id ? safeDecode(id).slice(0, MAX_ID) : undefined };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function recordActivity(writer: ActivityWriter, metrics: ActivityMetrics) {
  return async function recordOutcome(ctx: Context, next: Next): Promise<void> {
    const started = performance.now();
    try {
      await next();
    } finally {
      const { resourceType, resourceId } = resourceOf(ctx.path);
      metrics.outcome(ctx.status, resourceType);
      const orgSlug = String(ctx.params.org ?? '');
      if (writer.enabled && SLUG.test(orgSlug)) {
        const tenant = ctx.state.tenant as Tenant | undefined;
        const failed = (ctx.state.logFields ?? {}) as { scimType?: string; detail?: string };
        writer.record({
          at: new Date(),
          orgId: tenant?.orgId,
          orgSlug,
          requestId: String(ctx.state.requestId ?? ''),
          credential: tenant?.credential,
          idp: tenant?.idp ?? idpOf(ctx.get('user-agent')),
          method: ctx.method,
          resourceType,
          resourceId,
          status: ctx.status,
          scimType: ctx.status >= 400 ? failed.scimType : undefined,
          // The detail as the client got it, less the values it quotes (a userName is profile data).
          detail:
            ctx.status >= 400 && failed.detail ? redactValues(failed.detail).slice(0, MAX_DETAIL) : undefined,
          durationMs: performance.now() - started,
        });
      }
    }
  };
}
