/**
 * GET .../provisioning/adoption-preview: before "Provision existing users" is saved, who will be
 * handed over to the identity provider, who will conflict, and which portal groups the IdP's
 * groups will adopt. Managers only; reads only.
 */
import type { Database } from '@roster/db';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { defineRoute } from '../http/route.js';
import { orgParams } from '../http/schemas.js';
import { adoptionPreview, CONFLICT_HINTS, type ConflictKind } from './adoption-preview.js';

const candidateSchema = z.object({
  id: z.string(),
  userName: z.string(),
  displayName: z.string().nullable(),
  emails: z.array(z.string()),
  effectiveRole: z.enum(['basic', 'manager']),
  status: z.enum(['active', 'deactivated']),
});

const conflictKind = z
  .enum(['user_name_case', 'not_matchable', 'no_sign_in_email'])
  .describe(
    'user_name_case: an email address with capitals (adopted; the IdP spelling replaces it); not_matchable: the userName is not an email address; no_sign_in_email: neither is there a work or primary email',
  );

const previewSchema = z.object({
  provisionExistingUsers: z.boolean().describe('The saved setting: true means adoption already happens'),
  syncGroups: z.boolean().describe('The saved setting: groups are adopted only with group sync on'),
  handOver: z.object({
    count: z.number().int().describe('Portal members an IdP user of the same userName adopts'),
    items: z.array(candidateSchema).describe('The first `limit` by userName'),
  }),
  conflicts: z.object({
    count: z.number().int(),
    byKind: z.object({
      user_name_case: z.number().int(),
      not_matchable: z.number().int(),
      no_sign_in_email: z.number().int(),
    }),
    items: z
      .array(candidateSchema.extend({ kind: conflictKind, hint: z.string() }))
      .describe('The first `limit` by userName'),
  }),
  groups: z.object({
    count: z.number().int().describe('Portal groups an IdP group of the same name (ignoring case) adopts'),
    items: z
      .array(
        z.object({
          id: z.string(),
          displayName: z.string(),
          role: z.enum(['manager']).nullable(),
          memberCount: z.number().int(),
        }),
      )
      .describe('The first `limit` by name'),
  }),
});

const emailsOf = (data: Record<string, unknown>) =>
  (Array.isArray(data.emails) ? (data.emails as { value?: unknown }[]) : []).flatMap((e) =>
    typeof e?.value === 'string' ? [e.value] : [],
  );

const toCandidate = (row: {
  id: string;
  user_name: string;
  display_name: string | null;
  data: Record<string, unknown>;
  effective_role: 'basic' | 'manager';
  active: boolean;
}) => ({
  id: row.id,
  userName: row.user_name,
  displayName: row.display_name,
  emails: emailsOf(row.data),
  effectiveRole: row.effective_role,
  status: row.active ? ('active' as const) : ('deactivated' as const),
});

export function adoptionPreviewRoutes(db: Kysely<Database>) {
  return [
    defineRoute({
      method: 'get',
      path: '/orgs/{org}/provisioning/adoption-preview',
      operationId: 'getAdoptionPreview',
      summary: 'Before "Provision existing users" is saved: who the identity provider adopts, who conflicts',
      description:
        "Classifies the organization's portal-managed members by how the identity provider's userName (an email address) meets theirs, with the portal groups an IdP group of the same name adopts under group sync. Reads only; counts cover every member, lists the first `limit` of each.",
      tag: 'Provisioning',
      access: 'manager',
      params: orgParams,
      query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
      responses: { 200: { description: 'The adoption preview', schema: previewSchema } },
      async handle({ actor, query }) {
        const preview = await adoptionPreview(db, actor, query.limit);
        const { hand_over, ...byKind } = preview.counts;
        const body: z.output<typeof previewSchema> = {
          provisionExistingUsers: preview.provisionExistingUsers,
          syncGroups: preview.syncGroups,
          handOver: { count: hand_over, items: preview.handOver.map(toCandidate) },
          conflicts: {
            count: byKind.user_name_case + byKind.not_matchable + byKind.no_sign_in_email,
            byKind,
            items: preview.conflicts.map((row) => ({
              ...toCandidate(row),
              kind: row.kind,
              hint: CONFLICT_HINTS[row.kind as ConflictKind],
            })),
          },
          groups: {
            count: preview.groupCount,
            items: preview.groups.map((group) => ({
              id: group.id,
              displayName: group.display_name,
              role: group.role === 'manager' ? 'manager' : null,
              memberCount: Number(group.member_count),
            })),
          },
        };
        return { status: 200, body };
      },
    }),
  ];
}
