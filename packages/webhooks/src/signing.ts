/**
 * A Standard Webhooks request (https://www.standardwebhooks.com): the body, and the headers
 * `webhook-id` (the event's id, stable across retries, for de-duplication), `webhook-timestamp`
 * (seconds, this attempt's) and `webhook-signature` (`v1,` + base64 HMAC-SHA256 of
 * `id.timestamp.body`), signed by the `standardwebhooks` library, which consumers verify with.
 */
import { Webhook } from 'standardwebhooks';

export interface WebhookEvent {
  id: string;
  type: string;
  sequence: number;
  orgId: string;
  occurredAt: Date;
  actor: unknown;
  data: unknown;
}

/**
 * The body: the event as the pull feed gives it (`id`, `sequence`, `type`, `occurredAt`, `actor`,
 * `data`), so one handler serves both, plus Standard Webhooks' `timestamp` and the organization.
 */
export function webhookBody(event: WebhookEvent): string {
  const occurredAt = event.occurredAt.toISOString();
  return JSON.stringify({
    id: event.id,
    sequence: event.sequence,
    type: event.type,
    occurredAt,
    actor: event.actor,
    data: event.data,
    timestamp: occurredAt,
    organizationId: event.orgId,
  });
}

export function signedHeaders(
  secret: string,
  eventId: string,
  body: string,
  now = new Date(),
): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'Roster-Webhooks/1',
    'webhook-id': eventId,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(eventId, now, body),
  };
}
