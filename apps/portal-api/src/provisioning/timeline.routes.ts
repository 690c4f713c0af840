/**
 * GET .../provisioning/health/timeline: requests and failures over time, for the console's chart
 * of provisioning activity (and for scripts). From the per-minute counts; managers only.
 */
import { activityTimeline } from '@roster/activity/rows';
import type { Database } from '@roster/db';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { defineRoute } from '../http/route.js';
import { orgParams, timestamp } from '../http/schemas.js';

/** Each timeline has at most this many buckets (plus the partial one now is in). */
const BUCKETS = 48;

const timelineSchema = z.object({
  bucketSeconds: z.number().int().describe('The length of each bucket'),
  buckets: z.array(
    z.object({
      start: timestamp,
      requests: z.number().int(),
      failures: z.number().int().describe('Answered with a 4xx or 5xx'),
    }),
  ),
});

export function timelineRoutes(db: Kysely<Database>) {
  return [
    defineRoute({
      method: 'get',
      path: '/orgs/{org}/provisioning/health/timeline',
      operationId: 'getProvisioningTimeline',
      summary: 'Requests and failures over time',
      description: `The last \`hours\` in ${BUCKETS} buckets (e.g. 30 minutes each over a day), oldest first, empty ones included.`,
      tag: 'Provisioning',
      access: 'manager',
      params: orgParams,
      query: z.object({
        hours: z.coerce.number().int().min(1).max(168).default(24).describe('How far back (1–168)'),
        credential: z
          .string()
          .regex(/^(api_key|oauth_client):[A-Za-z0-9._~-]{1,200}$/)
          .optional()
          .describe('Only this credential: api_key:<key id> or oauth_client:<client id>'),
      }),
      responses: { 200: { description: 'The timeline', schema: timelineSchema } },
      async handle({ actor, query }) {
        const bucketSeconds = (query.hours * 3600) / BUCKETS;
        const now = new Date();
        const since = new Date(now.getTime() - query.hours * 3600_000);
        const buckets = await activityTimeline(db, actor.orgId, {
          since,
          now,
          bucketSeconds,
          credential: query.credential,
        });
        return {
          status: 200,
          body: {
            bucketSeconds,
            buckets: buckets.map((b) => ({ ...b, start: b.start.toISOString() })),
          },
        };
      },
    }),
  ];
}
