/**
 * Provisioning health: is provisioning working, and if not, what to change. The state
 * of the organization and of each credential, from the per-minute counts; the kinds of failure of
 * the last day with a fix hint for each kind Roster knows. Managers only.
 */

import { blockedCredentials, failureKinds, IDLE_AFTER_MINUTES, stateOf } from '@roster/activity/health';
import { credentialTotals, lastSuccesses, recentFailures } from '@roster/activity/rows';
import type { Database } from '@roster/db';
import { listApiKeys } from '@roster/directory/api-keys';
import { getIdentityConfig } from '@roster/directory/identity';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { defineRoute } from '../http/route.js';
import { orgParams, timestamp } from '../http/schemas.js';

/** What the health answer says of this process's activity writer (an ActivityWriter). */
export interface ActivityRecording {
  readonly enabled: boolean;
  readonly queueDepth: number;
  readonly dropped: number;
}

/** Failures of the last day grouped into kinds: at most this many of the newest are read. */
const MAX_FAILURES_READ = 5000;

const state = z
  .enum(['healthy', 'degraded', 'failing', 'idle', 'never_connected'])
  .describe(
    'failing: more than half of the requests of the last 80 minutes (two Entra ID cycles) failed, or a blocking refusal (see failureKinds) of that time has had no success of its kind since; degraded: more than 5% failed; idle: no request for 80 minutes; never_connected: no request recorded',
  );
const counts = z.object({ requests: z.number().int(), failures: z.number().int() });
const times = {
  lastRequestAt: timestamp.nullable(),
  lastSuccessAt: timestamp.nullable(),
  lastFailureAt: timestamp.nullable(),
};

const healthSchema = z.object({
  state,
  recording: z
    .object({
      enabled: z.boolean(),
      queued: z.number().int().describe('Requests waiting to be recorded'),
      dropped: z
        .number()
        .int()
        .describe(
          'Requests this process could not record since it started (database unreachable): the counts above miss them',
        ),
    })
    .nullable()
    .describe("The answering process's activity recording; null where this process records none"),
  ...times,
  lastHour: counts,
  lastDay: counts,
  credentials: z.array(
    z.object({
      credential: z
        .object({ type: z.enum(['api_key', 'oauth_client']), id: z.string() })
        .nullable()
        .describe(
          'null: requests refused before a credential was accepted (e.g. the other authentication method)',
        ),
      name: z.string().nullable().describe("The API key's name; null for the OAuth client and for none"),
      state,
      ...times,
      lastHour: counts,
      lastDay: counts,
    }),
  ),
  failureKinds: z
    .array(
      z.object({
        status: z.number().int(),
        scimType: z.string().nullable(),
        detail: z.string().describe('The SCIM error detail with values, ids and numbers left out'),
        count: z.number().int().describe('Over the last day'),
        lastAt: timestamp,
        exampleRequestId: z.string().describe('The latest request of this kind (see the activity list)'),
        hint: z.string().nullable().describe('What to change, when Roster knows'),
        blocking: z
          .boolean()
          .describe(
            'Refuses every request of its kind until a setting changes (e.g. group sync off): the state is failing until one succeeds',
          ),
      }),
    )
    .describe('Failures of the last day by kind, the most frequent first'),
});

const iso = (time: Date | null) => (time ? time.toISOString() : null);
const latest = (values: (Date | null)[]) =>
  values.reduce<Date | null>((a, b) => (b && (!a || b > a) ? b : a), null);
const sum = (list: { requests: number; failures: number }[]) => ({
  requests: list.reduce((s, c) => s + c.requests, 0),
  failures: list.reduce((s, c) => s + c.failures, 0),
});

export function healthRoutes(db: Kysely<Database>, activity?: ActivityRecording) {
  return [
    defineRoute({
      method: 'get',
      path: '/orgs/{org}/provisioning/health',
      operationId: 'getProvisioningHealth',
      summary: 'Is provisioning working, and if not, what to change',
      tag: 'Provisioning',
      access: 'manager',
      params: orgParams,
      responses: { 200: { description: 'The provisioning health', schema: healthSchema } },
      async handle({ actor }) {
        const now = new Date();
        const recentSince = new Date(now.getTime() - IDLE_AFTER_MINUTES * 60_000);
        const [totals, failures, successes, keys, identity] = await Promise.all([
          credentialTotals(db, actor.orgId, now, recentSince),
          recentFailures(db, actor.orgId, new Date(now.getTime() - 24 * 3600_000), MAX_FAILURES_READ),
          lastSuccesses(db, actor.orgId, recentSince),
          listApiKeys(db, actor.orgId),
          getIdentityConfig(db, actor.orgId),
        ]);
        const blocked = blockedCredentials(failures, successes, recentSince);
        // The credentials an IdP may use now: those never used are `never_connected`.
        const live = [
          ...keys
            .filter(
              (k) =>
                k.kind === 'system' &&
                k.scopes.includes('scim') &&
                !k.revoked_at &&
                !(k.expires_at && new Date(k.expires_at) <= now),
            )
            .map((k) => `api_key:${k.id}`),
          ...(identity.oauthClientId ? [`oauth_client:${identity.oauthClientId}`] : []),
        ];
        const names = new Map(keys.map((k) => [`api_key:${k.id}`, k.name]));
        for (const credential of live) {
          if (!totals.some((t) => t.credential === credential)) {
            const none = { requests: 0, failures: 0 };
            totals.push({
              credential,
              hour: none,
              day: none,
              recent: none,
              lastRequestAt: null,
              lastSuccessAt: null,
              lastFailureAt: null,
            });
          }
        }
        const lastRequestAt = latest(totals.map((t) => t.lastRequestAt));
        const credentials = totals.map((t) => {
          const [type, ...id] = t.credential.split(':');
          return {
            credential: type === 'api_key' || type === 'oauth_client' ? { type, id: id.join(':') } : null,
            name: names.get(t.credential) ?? null,
            state: stateOf(t.recent, t.lastRequestAt, now, blocked.has(t.credential)),
            lastRequestAt: iso(t.lastRequestAt),
            lastSuccessAt: iso(t.lastSuccessAt),
            lastFailureAt: iso(t.lastFailureAt),
            lastHour: t.hour,
            lastDay: t.day,
          };
        });
        return {
          status: 200,
          body: {
            state: stateOf(sum(totals.map((t) => t.recent)), lastRequestAt, now, blocked.size > 0),
            recording: activity
              ? { enabled: activity.enabled, queued: activity.queueDepth, dropped: activity.dropped }
              : null,
            lastRequestAt: iso(lastRequestAt),
            lastSuccessAt: iso(latest(totals.map((t) => t.lastSuccessAt))),
            lastFailureAt: iso(latest(totals.map((t) => t.lastFailureAt))),
            lastHour: sum(totals.map((t) => t.hour)),
            lastDay: sum(totals.map((t) => t.day)),
            credentials,
            failureKinds: failureKinds(failures).map((kind) => ({
              ...kind,
              lastAt: kind.lastAt.toISOString(),
            })),
          },
        };
      },
    }),
  ];
}
