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

/** The body: Standard Webhooks' `type`, `timestamp`, `data`, with the event's id, sequence, organization and actor. */
export function webhookBody(event: WebhookEvent): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    timestamp: event.occurredAt.toISOString(),
    sequence: event.sequence,
    organizationId: event.orgId,
    actor: event.actor,
    data: event.data,
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
