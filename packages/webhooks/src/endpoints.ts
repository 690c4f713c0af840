/**
 * All SQL about webhook endpoints, each statement scoped to one organization. A new endpoint
 * starts at the organization's current event sequence: it receives what happens from now on, and
 * a replay (deliveries.ts) sends it older events on request.
 */
import { randomUUID } from 'node:crypto';
import type { Database, WebhookEndpointsTable } from '@roster/db';
import { lastSequence } from '@roster/events';
import { type Kysely, type Selectable, sql } from 'kysely';

type Db = Kysely<Database>;

export type WebhookEndpointRow = Omit<Selectable<WebhookEndpointsTable>, 'secret_sealed'>;

const COLUMNS = [
  'org_id',
  'id',
  'url',
  'description',
  'event_types',
  'enabled',
  'cursor_sequence',
  'failing_since',
  'disabled_reason',
  'created_at',
  'updated_at',
] as const;

export interface NewEndpoint {
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
  secretSealed: string;
}

export async function createEndpoint(
  db: Db,
  orgId: string,
  endpoint: NewEndpoint,
): Promise<WebhookEndpointRow> {
  // From now on: the organization's last sequence (0 before its first event). Read first rather
  // than in a subquery of the insert, which Citus does not take.
  const cursor = await lastSequence(db, orgId);
  return db
    .insertInto('webhook_endpoints')
    .values({
      org_id: orgId,
      id: randomUUID(),
      url: endpoint.url,
      description: endpoint.description,
      event_types: endpoint.eventTypes,
      enabled: endpoint.enabled,
      secret_sealed: endpoint.secretSealed,
      cursor_sequence: cursor,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
}

export function listEndpoints(db: Db, orgId: string): Promise<WebhookEndpointRow[]> {
  return db
    .selectFrom('webhook_endpoints')
    .select(COLUMNS)
    .where('org_id', '=', orgId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function findEndpoint(
  db: Db,
  orgId: string,
  id: string,
  forUpdate = false,
): Promise<WebhookEndpointRow | undefined> {
  const query = db
    .selectFrom('webhook_endpoints')
    .select(COLUMNS)
    .where('org_id', '=', orgId)
    .where('id', '=', id);
  return (forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

export interface EndpointChanges {
  url?: string | undefined;
  description?: string | undefined;
  eventTypes?: string[] | undefined;
  enabled?: boolean | undefined;
}

export async function updateEndpoint(
  db: Db,
  orgId: string,
  id: string,
  changes: EndpointChanges,
): Promise<WebhookEndpointRow | undefined> {
  return db
    .updateTable('webhook_endpoints')
    .set({
      ...(changes.url !== undefined ? { url: changes.url } : {}),
      ...(changes.description !== undefined ? { description: changes.description } : {}),
      ...(changes.eventTypes !== undefined ? { event_types: changes.eventTypes } : {}),
      // Enabling again starts a fresh retry window; disabling by hand says so.
      ...(changes.enabled === true ? { enabled: true, failing_since: null, disabled_reason: null } : {}),
      ...(changes.enabled === false ? { enabled: false, disabled_reason: 'disabled by a manager' } : {}),
      updated_at: sql`now()`,
    })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirst();
}

export async function setEndpointSecret(
  db: Db,
  orgId: string,
  id: string,
  secretSealed: string,
): Promise<boolean> {
  const result = await db
    .updateTable('webhook_endpoints')
    .set({ secret_sealed: secretSealed, updated_at: sql`now()` })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Deletes the endpoint with its deliveries and their attempts (cascade). */
export async function deleteEndpoint(db: Db, orgId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('webhook_endpoints')
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
