/**
 * The pull feed of provisioning events (docs/events.md): an organization's events in sequence
 * order after a cursor, so a product service that was down catches up without webhooks. Managers
 * only: events carry every member's profile.
 */
import type { Database } from '@roster/db';
import { EVENT_TYPES, type EventRecord, readEvents } from '@roster/events';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { defineRoute } from '../http/route.js';
import { orgParams, timestamp } from '../http/schemas.js';

export const eventSchema = z.object({
  id: z.string().describe('Unique across organizations (the webhook-id of its deliveries)'),
  sequence: z
    .number()
    .int()
    .describe('1, 2, 3 … per organization, in commit order: order and de-duplicate by it'),
  type: z.enum(EVENT_TYPES),
  occurredAt: timestamp,
  actor: z
    .object({
      type: z.enum(['api_key', 'oauth_client', 'member', 'system']),
      id: z.string(),
      label: z.string().optional().describe("An API key's name"),
    })
    .describe('Who made the change: the identity provider’s credential, a portal member, or the operator'),
  data: z
    .record(z.string(), z.unknown())
    .describe("The resource's new state; {id} for a deletion; {group, member} for a membership"),
});

export const toEvent = (event: EventRecord): z.output<typeof eventSchema> => ({
  id: event.id,
  sequence: event.sequence,
  type: event.type,
  occurredAt: event.occurredAt.toISOString(),
  actor: event.actor,
  data: event.data,
});

export function eventRoutes(db: Kysely<Database>) {
  return [
    defineRoute({
      method: 'get',
      path: '/orgs/{org}/events',
      operationId: 'listEvents',
      summary: 'Read provisioning events in sequence order, after a cursor',
      description:
        'Every change to members, groups, memberships and the identity configuration, in the order it committed, kept for ROSTER_EVENT_RETENTION_DAYS (30). Start with after=0; pass each page’s `next` as the following `after`. An empty page returns `next` equal to `after`: poll again later with it. A first sequence above after+1 means the events in between are past retention.',
      tag: 'Events',
      access: 'manager',
      params: orgParams,
      query: z.object({
        after: z.coerce
          .number()
          .int()
          .min(0)
          .max(Number.MAX_SAFE_INTEGER)
          .default(0)
          .describe('The last sequence already seen (0: from the oldest kept)'),
        limit: z.coerce
          .number()
          .int()
          .min(1)
          .max(1000)
          .default(100)
          .describe('At most this many events (1 to 1000)'),
      }),
      responses: {
        200: {
          description: 'Events after the cursor, oldest first',
          schema: z.object({
            events: z.array(eventSchema),
            next: z
              .number()
              .int()
              .describe('The `after` of the next request: the last sequence on this page'),
            hasMore: z.boolean().describe('Whether more events were already there beyond this page'),
          }),
        },
      },
      async handle({ actor, query }) {
        // One more than the page: a further event tells whether there is more.
        const events = await readEvents(db, actor.orgId, query.after, query.limit + 1);
        const page = events.slice(0, query.limit);
        return {
          status: 200,
          body: {
            events: page.map(toEvent),
            next: page.at(-1)?.sequence ?? query.after,
            hasMore: events.length > query.limit,
          },
        };
      },
    }),
  ];
}
