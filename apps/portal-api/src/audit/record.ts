/**
 * How the portal records what a member did: in the caller's transaction, as that member; and the
 * change's provisioning events (docs/events.md), in the same statement as its audit entry.
 */
import type { Database, EventActor } from '@roster/db';
import { type AuditEvent, auditEventInsert, recordAuditEvent } from '@roster/directory/audit';
import { appendEvents, type NewEvent } from '@roster/events';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor.js';

type Target = { type: string; id: string };

/** The member who made a change, as its provisioning events name them. */
export const eventActor = (actor: Actor): EventActor => ({ type: 'member', id: actor.memberId });

/**
 * Records a member's action in the audit trail, and appends the change's events in the same
 * statement. Call it as the change's last write (the events' append requires it: packages/events).
 */
export async function recordMemberAction(
  trx: Kysely<Database>,
  actor: Actor,
  action: string,
  target: Target,
  changes?: Record<string, unknown>,
  events: readonly NewEvent[] = [],
): Promise<void> {
  const audit: AuditEvent = {
    orgId: actor.orgId,
    actor: { type: 'member', id: actor.memberId },
    action,
    target,
    changes,
  };
  if (events.length === 0) return recordAuditEvent(trx, audit);
  await appendEvents(trx, actor.orgId, events, { alongside: [auditEventInsert(trx, audit)] });
}

/** Records an update only when it changed something (a no-op save leaves no event). */
export async function recordMemberUpdate(
  trx: Kysely<Database>,
  actor: Actor,
  action: string,
  target: Target,
  changes: Record<string, unknown>,
  events: readonly NewEvent[] = [],
): Promise<void> {
  if (Object.keys(changes).length > 0) await recordMemberAction(trx, actor, action, target, changes, events);
}

/** `{field: {from, to}}` for each field whose value differs (never pass secrets here). */
export function diff<T extends Record<string, unknown>>(before: T, after: T): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(after)
      .filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]))
      .map((field) => [field, { from: before[field], to: after[field] }]),
  );
}
