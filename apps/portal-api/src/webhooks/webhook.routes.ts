/**
 * Webhook endpoints: where an organization's events are sent, signed per Standard Webhooks, with
 * an optional event-type filter. The signing secret (`whsec_…`) is in the creation and rotation
 * responses only; it is stored sealed with the server key. Each endpoint's deliveries list every
 * attempt; a manager may redeliver one event or replay from a sequence number. Managers only,
 * every change audited (never with the secret).
 */
import type { Database } from '@roster/db';
import { isUuid } from '@roster/directory/ids';
import { checkDestination, EgressError } from '@roster/egress';
import { EVENT_TYPES } from '@roster/events';
import {
  type AttemptRow,
  type DeliveryRow,
  listDeliveries,
  redeliverEvent,
  replayFrom,
  restartPendingDeliveries,
} from '@roster/webhooks/deliveries';
import {
  createEndpoint,
  deleteEndpoint,
  findEndpoint,
  listEndpoints,
  setEndpointSecret,
  updateEndpoint,
  type WebhookEndpointRow,
} from '@roster/webhooks/endpoints';
import { newSigningSecret, sealSigningSecret } from '@roster/webhooks/secrets';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { diff, recordMemberAction, recordMemberUpdate } from '../audit/record.js';
import { idCursor, pageQuery } from '../http/keyset.js';
import { defineRoute } from '../http/route.js';
import { orgParams, timestamp } from '../http/schemas.js';
import { portalErrors } from '../portal-error.js';

const webhookParams = orgParams.extend({
  webhookId: z.string().refine(isUuid, 'Not a webhook id.').describe('The webhook endpoint id'),
});

const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  eventTypes: z.array(z.string()).describe('The event types sent; empty: every type'),
  enabled: z.boolean(),
  disabledReason: z
    .string()
    .nullable()
    .describe('Why it is disabled: by a manager, or after every delivery failed for the retry window'),
  failingSince: timestamp.nullable().describe('Since when every attempt has failed; null after a success'),
  lastScheduledSequence: z.number().int().describe('The last event sequence scheduled for this endpoint'),
  createdAt: timestamp,
  updatedAt: timestamp,
});

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

const toWebhook = (row: WebhookEndpointRow): z.output<typeof webhookSchema> => ({
  id: row.id,
  url: row.url,
  description: row.description,
  eventTypes: row.event_types,
  enabled: row.enabled,
  disabledReason: row.disabled_reason,
  failingSince: iso(row.failing_since),
  lastScheduledSequence: Number(row.cursor_sequence),
  createdAt: new Date(row.created_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
});

const attemptSchema = z.object({
  attempt: z.number().int(),
  attemptedAt: timestamp,
  statusCode: z.number().int().nullable().describe('null: no response (refused, unreachable, timed out)'),
  durationMs: z.number().int(),
  error: z.string().nullable(),
  responsePrefix: z.string().nullable().describe('The start of the response body (at most 1,024 characters)'),
});

const deliverySchema = z.object({
  id: z.string(),
  eventId: z.string().describe('The webhook-id header'),
  eventType: z.string(),
  sequence: z.number().int(),
  state: z.enum(['pending', 'delivered', 'failed']).describe('failed: given up after the retry window'),
  nextAttemptAt: timestamp.nullable().describe('When a pending delivery is tried next'),
  createdAt: timestamp,
  deliveredAt: timestamp.nullable(),
  attempts: z.array(attemptSchema),
});

const toAttempt = (row: AttemptRow): z.output<typeof attemptSchema> => ({
  attempt: row.attempt,
  attemptedAt: new Date(row.attempted_at).toISOString(),
  statusCode: row.status_code,
  durationMs: row.duration_ms,
  error: row.error,
  responsePrefix: row.response_prefix,
});

const toDelivery = (row: DeliveryRow & { attemptRows: AttemptRow[] }): z.output<typeof deliverySchema> => ({
  id: String(row.id),
  eventId: row.event_id,
  eventType: row.event_type,
  sequence: Number(row.event_sequence),
  state: row.state,
  nextAttemptAt: row.state === 'pending' ? new Date(row.next_attempt_at).toISOString() : null,
  createdAt: new Date(row.created_at).toISOString(),
  deliveredAt: iso(row.delivered_at),
  attempts: row.attemptRows.map(toAttempt),
});

const eventTypes = z
  .array(z.enum(EVENT_TYPES))
  .max(EVENT_TYPES.length)
  .transform((types) => [...new Set(types)])
  .describe('Only these event types are sent; empty or omitted: every type');

const url = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .refine((value) => {
    // Zod runs this after a failed URL check too.
    const parsed = URL.canParse(value) ? new URL(value) : undefined;
    return !parsed || (parsed.username === '' && parsed.password === '');
  }, 'The URL must not carry a user name or password: the signature authenticates Roster.')
  .describe(
    'Where events are POSTed: https, a public address (plain http and private addresses only in development)',
  );

const newWebhookSchema = z
  .object({
    url,
    description: z.string().trim().max(500).default(''),
    eventTypes: eventTypes.default([]),
    enabled: z.boolean().default(true),
  })
  .strict();

const webhookChangesSchema = z
  .object({
    url: url.optional(),
    description: z.string().trim().max(500).optional(),
    eventTypes: eventTypes.optional(),
    enabled: z.boolean().optional().describe('true also restarts the retry window of what is pending'),
  })
  .strict();

/**
 * Refuses at save time what the egress rules refuse without resolving the host (scheme, metadata
 * names, addresses written in the URL); a host name is checked again at each delivery.
 */
function allowedUrl(value: string, development: boolean): void {
  try {
    checkDestination(new URL(value), development);
  } catch (error) {
    if (!(error instanceof EgressError)) throw error;
    throw portalErrors.invalidRequest(
      'The webhook URL is not allowed: it must be an https URL of a public host (plain http, loopback, private and link-local addresses only in development).',
    );
  }
}

const notFound = (id: string) => portalErrors.notFound(`No webhook "${id}" in this organization.`);

const target = (id: string) => ({ type: 'webhook', id });

/** What the webhook routes need of the process: the key that seals signing secrets, and whether private addresses are allowed. */
export interface WebhookDeps {
  secretKey: Buffer;
  /** `config.development`: plain http and private addresses allowed for endpoints. */
  development: boolean;
}

export function webhookRoutes(db: Kysely<Database>, deps: WebhookDeps) {
  return [
    defineRoute({
      method: 'get',
      path: '/orgs/{org}/webhooks',
      operationId: 'listWebhooks',
      summary: 'List webhook endpoints',
      tag: 'Webhooks',
      access: 'manager',
      params: orgParams,
      responses: {
        200: {
          description: 'The endpoints, oldest first',
          schema: z.object({ webhooks: z.array(webhookSchema) }),
        },
      },
      async handle({ actor }) {
        const rows = await listEndpoints(db, actor.orgId);
        return { status: 200, body: { webhooks: rows.map(toWebhook) } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/orgs/{org}/webhooks',
      operationId: 'createWebhook',
      summary: 'Create a webhook endpoint; its signing secret is shown in this response only',
      description:
        'Events from now on are POSTed to the URL, signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature) with the secret; verify them with the standardwebhooks library. To send older events, replay from a sequence number.',
      tag: 'Webhooks',
      access: 'manager',
      params: orgParams,
      body: newWebhookSchema,
      responses: {
        201: {
          description: 'The endpoint, with its signing secret',
          schema: webhookSchema.extend({ secret: z.string().describe('whsec_…; shown once') }),
        },
      },
      async handle({ actor, body }) {
        allowedUrl(body.url, deps.development);
        const secret = newSigningSecret();
        const created = await db.transaction().execute(async (trx) => {
          const row = await createEndpoint(trx, actor.orgId, {
            url: body.url,
            description: body.description,
            eventTypes: body.eventTypes,
            enabled: body.enabled,
            secretSealed: sealSigningSecret(secret, deps.secretKey),
          });
          await recordMemberAction(trx, actor, 'webhook.created', target(row.id), {
            url: body.url,
            eventTypes: body.eventTypes,
            enabled: body.enabled,
          });
          return row;
        });
        return { status: 201, body: { ...toWebhook(created), secret } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/orgs/{org}/webhooks/{webhookId}',
      operationId: 'getWebhook',
      summary: 'Get a webhook endpoint (never its secret)',
      tag: 'Webhooks',
      access: 'manager',
      params: webhookParams,
      responses: { 200: { description: 'The endpoint', schema: webhookSchema } },
      async handle({ actor, params }) {
        const row = await findEndpoint(db, actor.orgId, params.webhookId);
        if (!row) throw notFound(params.webhookId);
        return { status: 200, body: toWebhook(row) };
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/orgs/{org}/webhooks/{webhookId}',
      operationId: 'updateWebhook',
      summary: 'Change the URL, description, event-type filter, or enable or disable it',
      description:
        'Events that happen while an endpoint is disabled are sent once it is enabled again; enabling restarts the retry window of what is pending.',
      tag: 'Webhooks',
      access: 'manager',
      params: webhookParams,
      body: webhookChangesSchema,
      responses: { 200: { description: 'The endpoint', schema: webhookSchema } },
      async handle({ actor, params, body }) {
        if (body.url !== undefined) allowedUrl(body.url, deps.development);
        const updated = await db.transaction().execute(async (trx) => {
          const before = await findEndpoint(trx, actor.orgId, params.webhookId, true);
          if (!before) throw notFound(params.webhookId);
          const after = await updateEndpoint(trx, actor.orgId, params.webhookId, body);
          if (!after) throw notFound(params.webhookId);
          if (body.enabled === true && !before.enabled) {
            await restartPendingDeliveries(trx, actor.orgId, params.webhookId);
          }
          const view = (row: WebhookEndpointRow) => ({
            url: row.url,
            description: row.description,
            eventTypes: row.event_types,
            enabled: row.enabled,
          });
          await recordMemberUpdate(
            trx,
            actor,
            'webhook.updated',
            target(after.id),
            diff(view(before), view(after)),
          );
          return after;
        });
        return { status: 200, body: toWebhook(updated) };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/orgs/{org}/webhooks/{webhookId}',
      operationId: 'deleteWebhook',
      summary: 'Delete a webhook endpoint with its deliveries; nothing more is sent to it',
      tag: 'Webhooks',
      access: 'manager',
      params: webhookParams,
      responses: { 204: { description: 'Deleted' } },
      async handle({ actor, params }) {
        await db.transaction().execute(async (trx) => {
          const row = await findEndpoint(trx, actor.orgId, params.webhookId, true);
          if (!row) throw notFound(params.webhookId);
          await deleteEndpoint(trx, actor.orgId, params.webhookId);
          await recordMemberAction(trx, actor, 'webhook.deleted', target(row.id), { url: row.url });
        });
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/orgs/{org}/webhooks/{webhookId}/rotate-secret',
      operationId: 'rotateWebhookSecret',
      summary: 'Replace the signing secret; the new one is shown in this response only',
      description:
        'Deliveries from now on, retries included, are signed with the new secret only: update the consumer at once.',
      tag: 'Webhooks',
      access: 'manager',
      params: webhookParams,
      responses: {
        200: {
          description: 'The new secret',
          schema: z.object({ secret: z.string().describe('whsec_…; shown once') }),
        },
      },
      async handle({ actor, params }) {
        const secret = newSigningSecret();
        await db.transaction().execute(async (trx) => {
          const sealed = sealSigningSecret(secret, deps.secretKey);
          if (!(await setEndpointSecret(trx, actor.orgId, params.webhookId, sealed))) {
            throw notFound(params.webhookId);
          }
          await recordMemberAction(trx, actor, 'webhook.secret_rotated', target(params.webhookId));
        });
        return { status: 200, body: { secret } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/orgs/{org}/webhooks/{webhookId}/deliveries',
      operationId: 'listWebhookDeliveries',
      summary: "List an endpoint's deliveries, newest first, each with every attempt",
      tag: 'Webhooks',
      access: 'manager',
      params: webhookParams,
      query: z.object({ limit: pageQuery.limit, cursor: idCursor }),
      responses: {
        200: {
          description: 'One page of deliveries',
          schema: z.object({ deliveries: z.array(deliverySchema), nextCursor: z.string().nullable() }),
        },
      },
      async handle({ actor, params, query }) {
        if (!(await findEndpoint(db, actor.orgId, params.webhookId))) throw notFound(params.webhookId);
        const rows = await listDeliveries(db, actor.orgId, params.webhookId, {
          // One more than the page: a further row tells whether there is a next page.
          limit: query.limit + 1,
          beforeId: query.cursor ? Number(query.cursor) : undefined,
        });
        const page = rows.slice(0, query.limit);
        const last = page[page.length - 1];
        return {
          status: 200,
          body: {
            deliveries: page.map(toDelivery),
            nextCursor: rows.length > query.limit && last ? String(last.id) : null,
          },
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/orgs/{org}/webhooks/{webhookId}/redeliver',
      operationId: 'redeliverWebhookEvent',
      summary: 'Send one event to the endpoint again, whatever its filter and earlier deliveries',
      tag: 'Webhooks',
      access: 'manager',
      params: webhookParams,
      body: z.object({ sequence: z.number().int().min(1).describe("The event's sequence number") }).strict(),
      responses: {
        202: { description: 'Scheduled', schema: z.object({ deliveryId: z.string() }) },
      },
      async handle({ actor, params, body }) {
        const deliveryId = await db.transaction().execute(async (trx) => {
          if (!(await findEndpoint(trx, actor.orgId, params.webhookId))) throw notFound(params.webhookId);
          const id = await redeliverEvent(trx, actor.orgId, params.webhookId, body.sequence);
          if (id === undefined) {
            throw portalErrors.notFound(
              `No event with sequence ${body.sequence} in this organization (never, or older than the retention).`,
            );
          }
          await recordMemberAction(trx, actor, 'webhook.redelivered', target(params.webhookId), {
            sequence: body.sequence,
          });
          return id;
        });
        return { status: 202, body: { deliveryId: String(deliveryId) } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/orgs/{org}/webhooks/{webhookId}/replay',
      operationId: 'replayWebhookEvents',
      summary: 'Send every event from a sequence number on again (those the filter takes)',
      description:
        'Events still kept (the retention) from fromSequence on are scheduled again, in sequence order; consumers de-duplicate by webhook-id or sequence.',
      tag: 'Webhooks',
      access: 'manager',
      params: webhookParams,
      body: z
        .object({ fromSequence: z.number().int().min(1).describe('The first event sequence to send again') })
        .strict(),
      responses: {
        202: {
          description: 'Scheduled',
          schema: z.object({
            fromSequence: z.number().int().describe('Events from this sequence on are sent again'),
          }),
        },
      },
      async handle({ actor, params, body }) {
        await db.transaction().execute(async (trx) => {
          if (!(await replayFrom(trx, actor.orgId, params.webhookId, body.fromSequence))) {
            throw notFound(params.webhookId);
          }
          await recordMemberAction(trx, actor, 'webhook.replayed', target(params.webhookId), {
            fromSequence: body.fromSequence,
          });
        });
        // A JSON body like every other answer (an empty 202 went out as Koa's text "Accepted").
        return { status: 202, body: { fromSequence: body.fromSequence } };
      },
    }),
  ];
}
