/** The audit trail: every configuration and provisioning change, filterable and paged. */
import type { AuditEventRow, Database } from '@roster/db';
import { listAuditEvents } from '@roster/directory/audit';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { idCursor, pageQuery } from '../http/keyset.js';
import { defineRoute } from '../http/route.js';
import { orgParams, timestamp } from '../http/schemas.js';

const auditEventSchema = z.object({
  id: z.string(),
  occurredAt: timestamp,
  actor: z.object({
    type: z.enum(['member', 'api_key', 'oauth_client', 'system']),
    id: z.string().nullable(),
  }),
  idp: z.string().nullable().describe('The identity provider behind a provisioning change'),
  action: z.string().describe('e.g. organization.updated, api_key.created, member.deactivated'),
  target: z.object({ type: z.string(), id: z.string() }).nullable(),
  changes: z.record(z.string(), z.unknown()).nullable(),
});

const toEvent = (row: AuditEventRow): z.output<typeof auditEventSchema> => ({
  id: row.id,
  occurredAt: new Date(row.occurred_at).toISOString(),
  actor: { type: row.actor_type, id: row.actor_id },
  idp: row.idp,
  action: row.action,
  target: row.target_type && row.target_id ? { type: row.target_type, id: row.target_id } : null,
  changes: row.changes,
});

export function auditRoutes(db: Kysely<Database>) {
  return [
    defineRoute({
      method: 'get',
      path: '/orgs/{org}/audit-events',
      operationId: 'listAuditEvents',
      summary: 'List audit events, newest first',
      tag: 'Audit',
      access: 'manager',
      params: orgParams,
      query: z.object({
        from: z.iso.datetime({ offset: true }).optional().describe('Events at or after this time'),
        to: z.iso.datetime({ offset: true }).optional().describe('Events before this time'),
        actor: z.string().max(200).optional().describe('A member id, key id or OAuth client id'),
        action: z.string().max(100).optional(),
        targetType: z.string().max(50).optional(),
        targetId: z.string().max(200).optional(),
        limit: pageQuery.limit,
        cursor: idCursor,
      }),
      responses: {
        200: {
          description: 'One page of events',
          schema: z.object({ events: z.array(auditEventSchema), nextCursor: z.string().nullable() }),
        },
      },
      async handle({ actor, query }) {
        const rows = await listAuditEvents(db, actor.orgId, {
          from: query.from ? new Date(query.from) : undefined,
          to: query.to ? new Date(query.to) : undefined,
          actorId: query.actor,
          action: query.action,
          targetType: query.targetType,
          targetId: query.targetId,
          // One more than the page: a further row tells whether there is a next page (no empty last page).
          limit: query.limit + 1,
          beforeSeq: query.cursor ? Number(query.cursor) : undefined,
        });
        const page = rows.slice(0, query.limit);
        const last = page[page.length - 1];
        return {
          status: 200,
          body: {
            events: page.map(toEvent),
            nextCursor: rows.length > query.limit && last ? String(last.seq) : null,
          },
        };
      },
    }),
  ];
}
