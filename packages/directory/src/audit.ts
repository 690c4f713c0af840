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

/** Who last changed a resource through SCIM: the identity provider and its credential. */
export interface ProvisionedBy {
  idp: string | null;
  credential: { type: 'api_key' | 'oauth_client'; id: string; name: string | null } | null;
  at: Date;
}

/**
 * For each of these members or groups, the latest change an identity provider made to it
 * (`scim.*` events), with the API key's name when the credential was one; one query along
 * `audit_events__target`. Ids without such an event are absent from the map.
 */
export async function latestProvisioningChanges(
  db: Db,
  orgId: string,
  targetType: 'member' | 'group',
  ids: string[],
): Promise<Map<string, ProvisionedBy>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('audit_events as a')
    .leftJoin('api_keys as k', (join) =>
      join
        .onRef('k.org_id', '=', 'a.org_id')
        .on('a.actor_type', '=', 'api_key')
        .onRef('k.id', '=', 'a.actor_id'),
    )
    .distinctOn('a.target_id')
    .select(['a.target_id', 'a.actor_type', 'a.actor_id', 'a.idp', 'a.occurred_at', 'k.name as key_name'])
    .where('a.org_id', '=', orgId)
    .where('a.target_type', '=', targetType)
    .where('a.target_id', 'in', ids)
    .where('a.action', 'like', 'scim.%')
    .orderBy('a.target_id')
    .orderBy('a.seq', 'desc')
    .execute();
  return new Map(
    rows.map((row) => [
      row.target_id as string,
      {
        idp: row.idp,
        credential:
          (row.actor_type === 'api_key' || row.actor_type === 'oauth_client') && row.actor_id
            ? { type: row.actor_type, id: row.actor_id, name: row.key_name }
            : null,
        at: new Date(row.occurred_at),
      },
    ]),
  );
}
