/**
 * What the portal reads and asks of deliveries, each statement scoped to one organization: an
 * endpoint's deliveries with every attempt, redelivering one event, replaying from a sequence.
 */
import type { Database, WebhookAttemptsTable, WebhookDeliveriesTable } from '@roster/db';
import { type Kysely, type Selectable, sql } from 'kysely';

type Db = Kysely<Database>;

export type DeliveryRow = Selectable<WebhookDeliveriesTable> & { event_id: string; event_type: string };
export type AttemptRow = Selectable<WebhookAttemptsTable>;

/** An endpoint's deliveries, newest first, `limit` of them before the delivery `beforeId`. */
export async function listDeliveries(
  db: Db,
  orgId: string,
  endpointId: string,
  query: { limit: number; beforeId?: number | undefined },
): Promise<Array<DeliveryRow & { attemptRows: AttemptRow[] }>> {
  let select = db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('events as e', (join) =>
      join.onRef('e.org_id', '=', 'd.org_id').onRef('e.sequence', '=', 'd.event_sequence'),
    )
    .selectAll('d')
    .select(['e.id as event_id', 'e.type as event_type'])
    .where('d.org_id', '=', orgId)
    .where('d.endpoint_id', '=', endpointId);
  if (query.beforeId !== undefined) select = select.where('d.id', '<', query.beforeId);
  const deliveries = await select.orderBy('d.id', 'desc').limit(query.limit).execute();
  if (deliveries.length === 0) return [];
  const attempts = await db
    .selectFrom('webhook_attempts')
    .selectAll()
    .where('org_id', '=', orgId)
    .where(
      'delivery_id',
      'in',
      deliveries.map((d) => Number(d.id)),
    )
    .orderBy('delivery_id')
    .orderBy('attempt')
    .execute();
  return deliveries.map((d) => ({
    ...d,
    id: Number(d.id),
    event_sequence: Number(d.event_sequence),
    attemptRows: attempts.filter((a) => Number(a.delivery_id) === Number(d.id)),
  }));
}

/**
 * Schedules the event `sequence` again for the endpoint, due now, whatever its type and earlier
 * deliveries. Undefined when the organization has no such event (never, or past retention).
 */
export async function redeliverEvent(
  db: Db,
  orgId: string,
  endpointId: string,
  sequence: number,
): Promise<number | undefined> {
  // A read, then the insert: Citus does not route an insert … select whose organization is a parameter.
  const event = await db
    .selectFrom('events')
    .select('sequence')
    .where('org_id', '=', orgId)
    .where('sequence', '=', sequence)
    .executeTakeFirst();
  if (!event) return undefined;
  const row = await db
    .insertInto('webhook_deliveries')
    .values({ org_id: orgId, endpoint_id: endpointId, event_sequence: sequence })
    .returning('id')
    .executeTakeFirst();
  return row ? Number(row.id) : undefined;
}

/**
 * Replays from `fromSequence`: moves the endpoint's cursor back before it, so the dispatcher
 * schedules every event from there that the endpoint's filter takes, again (at-least-once: the
 * consumer de-duplicates by the webhook-id or the sequence). A cursor already before it stays.
 */
export async function replayFrom(
  db: Db,
  orgId: string,
  endpointId: string,
  fromSequence: number,
): Promise<boolean> {
  const result = await db
    .updateTable('webhook_endpoints')
    .set({ cursor_sequence: sql`least(cursor_sequence, ${fromSequence - 1})`, updated_at: sql`now()` })
    .where('org_id', '=', orgId)
    .where('id', '=', endpointId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Re-enabling an endpoint: what waited for it is due now, with a fresh retry window. */
export async function restartPendingDeliveries(db: Db, orgId: string, endpointId: string): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ next_attempt_at: sql`now()`, retrying_since: sql`now()` })
    .where('org_id', '=', orgId)
    .where('endpoint_id', '=', endpointId)
    .where('state', '=', 'pending')
    .execute();
}
