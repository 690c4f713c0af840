/**
 * Provisioning events: the transactional outbox. Every change to an organization's members,
 * groups, memberships and identity configuration appends its event here inside the change's own
 * transaction, so a change that rolls back leaves no event and a committed change always has one.
 * The pull feed reads this table; webhook delivery (a separate module) leases from it.
 *
 * Numbering: each organization's events are numbered 1, 2, 3 … without gaps. The number comes
 * from the organization's row in `event_sequences`, updated (locked) in the appending statement
 * and held until commit, so two transactions of one organization number their events in commit
 * order: a reader that has seen sequence N and asks for `after=N` never skips an event whose
 * transaction committed later with a smaller number. The price is that an organization's writes
 * serialize from their event append to their commit (writes of different organizations do not).
 */
import { randomUUID } from 'node:crypto';
import {
  type Database,
  deleteInBatches,
  type EventActor,
  RetentionJob,
  type RetentionJobOptions,
} from '@roster/db';
import { type Kysely, type OperationNodeSource, type RawBuilder, sql } from 'kysely';
import type { EventRecord, EventType, NewEvent } from './types.js';

export type { EventActor } from '@roster/db';
export {
  groupChangeEvents,
  groupState,
  memberChangeEvents,
  memberState,
  membershipEvents,
} from './payloads.js';
export { EVENT_TYPES, type EventRecord, type EventType, type NewEvent } from './types.js';

/** The NOTIFY channel an append signals at commit, with the organization's id as payload. */
export const EVENTS_CHANNEL = 'roster_events';

type Db = Kysely<Database>;

interface EventRow {
  org_id: string;
  sequence: number | string | bigint;
  id: string;
  type: string;
  occurred_at: Date | string;
  actor: EventActor | string;
  data: Record<string, unknown> | string;
}

const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

function toRecord(row: EventRow): EventRecord {
  return {
    orgId: row.org_id,
    sequence: Number(row.sequence),
    id: row.id,
    type: row.type as EventType,
    occurredAt: new Date(row.occurred_at),
    actor: json(row.actor),
    data: json(row.data),
  };
}

/** A write another module builds (an insert of the audit trail) that an append runs in its own statement. */
export type Alongside = OperationNodeSource & { execute(): Promise<unknown> };

/**
 * The appending statement. One statement: the writes `alongside` (each a data-modifying CTE),
 * the counter's upsert (which takes and keeps the organization's row lock), the rows, and
 * `pg_notify`, which PostgreSQL delivers at commit only (never on rollback). Returns the appended
 * rows in sequence order.
 */
function appendEventsStatement(
  orgId: string,
  events: readonly NewEvent[],
  alongside: readonly Alongside[],
): RawBuilder<EventRow> {
  const payload = JSON.stringify(
    events.map((e) => ({ id: randomUUID(), type: e.type, actor: e.actor, data: e.data })),
  );
  return sql<EventRow>`
    with ${sql.join(
      alongside.map((write, i) => sql`${sql.raw(`alongside_${i}`)} as (${write}),`),
      sql` `,
    )} counter as (
      insert into event_sequences as s (org_id, last_sequence) values (${orgId}::uuid, ${events.length}::bigint)
      on conflict (org_id) do update set last_sequence = s.last_sequence + excluded.last_sequence
      returning s.last_sequence
    ), appended as (
      insert into events (org_id, sequence, id, type, actor, data)
      select ${orgId}::uuid, counter.last_sequence - ${events.length}::bigint + e.ord,
        (e.value ->> 'id')::uuid, e.value ->> 'type', e.value -> 'actor', e.value -> 'data'
      from counter, jsonb_array_elements(${payload}::jsonb) with ordinality as e (value, ord)
      returning org_id, sequence, id, type, occurred_at, actor, data
    )
    -- "is null": a column of pg_notify's void type cannot cross Citus's coordinator (the
    -- notification is still sent by the coordinator, where the listeners are).
    select appended.* from appended, (select pg_notify(${EVENTS_CHANNEL}, ${orgId}::text) is null) as notified
    order by appended.sequence`;
}

/**
 * Appends events to an organization's outbox inside the caller's transaction (`trx`), in the
 * order given, in one round trip; `alongside`, writes of the same change that run in the same
 * statement (the audit trail's insert), which saves a SCIM write a round trip.
 *
 * Call it as the change's LAST write before commit: from the append to the commit the
 * transaction holds its organization's counter, and a transaction that waited for another lock
 * while holding it could deadlock with one that holds that lock and waits for the counter.
 * Outside a transaction the statement is its own.
 */
export async function appendEvents(
  trx: Db,
  orgId: string,
  events: readonly NewEvent[],
  options: { alongside?: readonly Alongside[] } = {},
): Promise<EventRecord[]> {
  const alongside = options.alongside ?? [];
  if (events.length === 0) {
    for (const write of alongside) await write.execute();
    return [];
  }
  const { rows } = await appendEventsStatement(orgId, events, alongside).execute(trx);
  return rows.map(toRecord);
}

/** An organization's events after `afterSequence` (0: from the oldest kept), in sequence order. */
export async function readEvents(
  db: Db,
  orgId: string,
  afterSequence: number,
  limit: number,
): Promise<EventRecord[]> {
  const rows = await db
    .selectFrom('events')
    .select(['org_id', 'sequence', 'id', 'type', 'occurred_at', 'actor', 'data'])
    .where('org_id', '=', orgId)
    .where('sequence', '>', afterSequence)
    .orderBy('sequence')
    .limit(limit)
    .execute();
  return rows.map(toRecord);
}

/** The last sequence number an organization has handed out (0: none yet). */
export async function lastSequence(db: Db, orgId: string): Promise<number> {
  const row = await db
    .selectFrom('event_sequences')
    .select('last_sequence')
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  return Number(row?.last_sequence ?? 0);
}

/**
 * Deletes events that occurred before `before`, one organization and `batchSize` rows a
 * statement (short statements, short locks). Each statement takes the organization's oldest
 * `batchSize` events in sequence order through the primary key and deletes those before the first
 * one that is still young: events are appended in time order (to within one transaction's
 * length), so no index on the time is needed, and an organization whose oldest event is young
 * costs one index probe. The counter is kept, so numbering never restarts.
 */
export async function deleteEventsBefore(db: Db, before: Date, batchSize = 1000): Promise<number> {
  const orgs = await db.selectFrom('event_sequences').select('org_id').execute();
  let deleted = 0;
  for (const { org_id: orgId } of orgs) {
    deleted += await deleteInBatches(async () => {
      const result = await sql`
        with oldest as (
          select sequence, occurred_at from events where org_id = ${orgId}::uuid order by sequence limit ${batchSize}::int
        ), young as (
          select min(sequence) as sequence from oldest where occurred_at >= ${before}::timestamptz
        )
        delete from events where org_id = ${orgId}::uuid and sequence in (
          select sequence from oldest where sequence < coalesce((select sequence from young), 9223372036854775807))`.execute(
        db,
      );
      return Number(result.numAffectedRows ?? 0);
    }, batchSize);
  }
  return deleted;
}

/**
 * Retention by age only (`ROSTER_EVENT_RETENTION_DAYS`): every process deletes the events older
 * than `retentionDays` every `intervalMs`, whatever a consumer has read; `stop()` on shutdown.
 */
export function startEventRetention(
  db: Db,
  retentionDays: number,
  options: RetentionJobOptions = {},
): RetentionJob {
  return new RetentionJob(
    () => deleteEventsBefore(db, new Date(Date.now() - retentionDays * 86_400_000)),
    options,
  );
}
