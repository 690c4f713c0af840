/**
 * The audit trail: every configuration and provisioning change, who made it (member, key or
 * OAuth client), through which identity provider, and what changed. Events outlive what they
 * describe; they are written in the same transaction as the change they record.
 */
import { randomUUID } from 'node:crypto';
import type { ActorType, AuditEventRow, Database } from '@roster/db';
import type { Kysely } from 'kysely';

type Db = Kysely<Database>;

export interface AuditEvent {
  orgId: string;
  actor: { type: ActorType; id?: string | undefined };
  /** The identity provider behind a provisioning change, when known (e.g. "entra", "ping"). */
  idp?: string | undefined;
  /** Dotted, stable: `organization.updated`, `api_key.created`, `member.deactivated`, … */
  action: string;
  target?: { type: string; id: string } | undefined;
  changes?: Record<string, unknown> | undefined;
}

export async function recordAuditEvent(db: Db, event: AuditEvent): Promise<void> {
  await auditEventInsert(db, event).execute();
}

/**
 * The audit trail's insert, unexecuted: a change that also appends provisioning events runs it
 * inside the append's statement (`appendEvents(…, {alongside})`), one round trip for both.
 */
export function auditEventInsert(db: Db, event: AuditEvent) {
  return db.insertInto('audit_events').values({
    org_id: event.orgId,
    id: randomUUID(),
    actor_type: event.actor.type,
    actor_id: event.actor.id ?? null,
    idp: event.idp ?? null,
    action: event.action,
    target_type: event.target?.type ?? null,
    target_id: event.target?.id ?? null,
    changes: event.changes ? JSON.stringify(event.changes) : null,
  });
}

export interface AuditQuery {
  from?: Date | undefined;
  to?: Date | undefined;
  actorId?: string | undefined;
  action?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  limit: number;
  /** Keyset pagination: events recorded before the one with this sequence number. */
  beforeSeq?: number | undefined;
}

/** Newest first, keyset-paged by insertion order (stable while events keep arriving, cheap at any depth). */
export async function listAuditEvents(db: Db, orgId: string, query: AuditQuery): Promise<AuditEventRow[]> {
  let select = db.selectFrom('audit_events').selectAll().where('org_id', '=', orgId);
  if (query.from) select = select.where('occurred_at', '>=', query.from);
  if (query.to) select = select.where('occurred_at', '<', query.to);
  if (query.actorId) select = select.where('actor_id', '=', query.actorId);
  if (query.action) select = select.where('action', '=', query.action);
  if (query.targetType) select = select.where('target_type', '=', query.targetType);
  if (query.targetId) select = select.where('target_id', '=', query.targetId);
  if (query.beforeSeq !== undefined) select = select.where('seq', '<', query.beforeSeq);
  return select.orderBy('seq', 'desc').limit(query.limit).execute();
}
