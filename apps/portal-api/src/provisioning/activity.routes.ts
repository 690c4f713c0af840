/**
 * Provisioning activity: every SCIM request that reached the organization and its
 * outcome, newest first, for an administrator finding out why provisioning fails. Managers only.
 */

import { listActivity } from '@roster/activity/rows';
import type { Database, ProvisioningActivityTable } from '@roster/db';
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import { idCursor, pageQuery } from '../http/keyset.js';
import { defineRoute } from '../http/route.js';
import { orgParams, timestamp } from '../http/schemas.js';

const CREDENTIAL = /^(api_key|oauth_client):([A-Za-z0-9._~-]{1,200})$/;

export const activitySchema = z.object({
  id: z.string(),
  at: timestamp,
  requestId: z.string().describe('The X-Request-Id of the request (the IdP may show it too)'),
  credential: z
    .object({ type: z.enum(['api_key', 'oauth_client']), id: z.string() })
    .nullable()
    .describe('The API key or OAuth client; null when the request was refused before one was accepted'),
  idp: z.string().nullable().describe('entra, ping, or the User-Agent as sent'),
  method: z.string(),
  resourceType: z.string().nullable(),
  resourceId: z.string().nullable(),
  status: z.number().int(),
  outcome: z.enum(['succeeded', 'failed']),
  scimType: z.string().nullable(),
  detail: z.string().nullable().describe('The SCIM error detail the IdP was given'),
  durationMs: z.number().int(),
});

export const toActivity = (row: Selectable<ProvisioningActivityTable>): z.output<typeof activitySchema> => ({
  id: String(row.id),
  at: new Date(row.at).toISOString(),
  requestId: row.request_id,
  credential:
    row.credential_type && row.credential_id ? { type: row.credential_type, id: row.credential_id } : null,
  idp: row.idp,
  method: row.method,
  resourceType: row.resource_type,
  resourceId: row.resource_id,
  status: row.status,
  outcome: row.status < 400 ? 'succeeded' : 'failed',
  scimType: row.scim_type,
  detail: row.detail,
  durationMs: row.duration_ms,
});

export const activityQuery = z.object({
  outcome: z.enum(['succeeded', 'failed']).optional(),
  status: z.coerce.number().int().min(100).max(599).optional(),
  resourceType: z.string().max(50).optional().describe('Users, Groups, …'),
  credential: z
    .string()
    .regex(CREDENTIAL)
    .optional()
    .describe('api_key:<key id> or oauth_client:<client id>'),
  idp: z.string().max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional().describe('Requests at or after this time'),
  to: z.iso.datetime({ offset: true }).optional().describe('Requests before this time'),
  requestId: z.string().max(128).optional(),
});

/** The filter of the activity list and export, from their validated query. */
export function activityFilter(query: z.output<typeof activityQuery>) {
  const credential = query.credential ? CREDENTIAL.exec(query.credential) : null;
  return {
    outcome: query.outcome,
    status: query.status,
    resourceType: query.resourceType,
    credential: credential?.[1] && credential[2] ? { type: credential[1], id: credential[2] } : undefined,
    idp: query.idp,
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
    requestId: query.requestId,
  };
}

export function activityRoutes(db: Kysely<Database>) {
  return [
    defineRoute({
      method: 'get',
      path: '/orgs/{org}/provisioning/activity',
      operationId: 'listProvisioningActivity',
      summary: 'List SCIM requests and their outcomes, newest first',
      description:
        'Every SCIM request that reached this organization (successes and refusals), kept for ROSTER_ACTIVITY_RETENTION_DAYS. Recorded within about a second of the request.',
      tag: 'Provisioning',
      access: 'manager',
      params: orgParams,
      query: activityQuery.extend({
        limit: pageQuery.limit,
        cursor: idCursor,
      }),
      responses: {
        200: {
          description: 'One page of requests',
          schema: z.object({ activity: z.array(activitySchema), nextCursor: z.string().nullable() }),
        },
      },
      async handle({ actor, query }) {
        const rows = await listActivity(db, actor.orgId, {
          ...activityFilter(query),
          // One more than the page: a further row tells whether there is a next page.
          limit: query.limit + 1,
          beforeId: query.cursor,
        });
        const page = rows.slice(0, query.limit);
        const last = page[page.length - 1];
        return {
          status: 200,
          body: {
            activity: page.map(toActivity),
            nextCursor: rows.length > query.limit && last ? String(last.id) : null,
          },
        };
      },
    }),
  ];
}
