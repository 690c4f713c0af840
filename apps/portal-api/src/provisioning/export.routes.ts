/**
 * Exports of the provisioning activity and of the audit trail, as NDJSON or CSV, streamed (issue
 * 17). Managers only; the same filters as the lists.
 */
import { listActivity } from '@roster/activity/rows';
import type { AuditEventRow, Database } from '@roster/db';
import { listAuditEvents } from '@roster/directory/audit';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { defineRoute } from '../http/route.js';
import { orgParams } from '../http/schemas.js';
import { activityFilter, activityQuery, toActivity } from './activity.routes.js';
import { exportResponse, pages } from './export.js';

const format = z.enum(['ndjson', 'csv']).default('ndjson').describe('ndjson (one JSON object a line) or csv');

const flatActivity = (row: Parameters<typeof toActivity>[0]) => {
  const { credential, ...rest } = toActivity(row);
  return { ...rest, credentialType: credential?.type ?? null, credentialId: credential?.id ?? null };
};

const ACTIVITY_COLUMNS = [
  'id',
  'at',
  'requestId',
  'credentialType',
  'credentialId',
  'idp',
  'method',
  'resourceType',
  'resourceId',
  'status',
  'outcome',
  'scimType',
  'detail',
  'durationMs',
];

const auditRecord = (row: AuditEventRow) => ({
  id: row.id,
  occurredAt: new Date(row.occurred_at).toISOString(),
  actorType: row.actor_type,
  actorId: row.actor_id,
  idp: row.idp,
  action: row.action,
  targetType: row.target_type,
  targetId: row.target_id,
  changes: row.changes,
});

const AUDIT_COLUMNS = [
  'id',
  'occurredAt',
  'actorType',
  'actorId',
  'idp',
  'action',
  'targetType',
  'targetId',
  'changes',
];

const streamed = 'The rows, newest first, streamed (NDJSON or CSV with a header line)';

export function exportRoutes(db: Kysely<Database>) {
  return [
    defineRoute({
      method: 'get',
      path: '/orgs/{org}/provisioning/activity/export',
      operationId: 'exportProvisioningActivity',
      summary: 'Export the provisioning activity as NDJSON or CSV',
      tag: 'Provisioning',
      access: 'manager',
      params: orgParams,
      query: activityQuery.extend({ format }),
      responses: { 200: { description: streamed } },
      async handle({ actor, query }) {
        const filter = activityFilter(query);
        const rows = pages((last: { id: string } | undefined, limit) =>
          listActivity(db, actor.orgId, { ...filter, limit, beforeId: last?.id }),
        );
        async function* records() {
          for await (const row of rows) yield flatActivity(row as Parameters<typeof toActivity>[0]);
        }
        return exportResponse(records(), query.format, ACTIVITY_COLUMNS, 'provisioning-activity');
      },
    }),
    defineRoute({
      method: 'get',
      path: '/orgs/{org}/audit-events/export',
      operationId: 'exportAuditEvents',
      summary: 'Export the audit trail as NDJSON or CSV',
      tag: 'Audit',
      access: 'manager',
      params: orgParams,
      query: z.object({
        from: z.iso.datetime({ offset: true }).optional().describe('Events at or after this time'),
        to: z.iso.datetime({ offset: true }).optional().describe('Events before this time'),
        action: z.string().max(100).optional(),
        format,
      }),
      responses: { 200: { description: streamed } },
      async handle({ actor, query }) {
        const rows = pages((last: AuditEventRow | undefined, limit) =>
          listAuditEvents(db, actor.orgId, {
            from: query.from ? new Date(query.from) : undefined,
            to: query.to ? new Date(query.to) : undefined,
            action: query.action,
            limit,
            beforeSeq: last ? Number(last.seq) : undefined,
          }),
        );
        async function* records() {
          for await (const row of rows) yield auditRecord(row);
        }
        return exportResponse(records(), query.format, AUDIT_COLUMNS, 'audit-events');
      },
    }),
  ];
}
