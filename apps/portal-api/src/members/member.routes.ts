/** Members as the portal shows them. For now: a member's own profile (any role may read it). */
import type { Database, MemberRow } from '@roster/db';
import { findMember } from '@roster/directory/members';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { portalErrors } from '../http/portal-error.js';
import { defineRoute } from '../http/route.js';
import { orgParams, timestamp } from '../http/schemas.js';

export const memberSchema = z.object({
  id: z.string(),
  userName: z.string(),
  displayName: z.string().nullable(),
  emails: z.array(z.string()),
  role: z.enum(['basic', 'manager']),
  status: z.enum(['active', 'deactivated']),
  managedBy: z.enum(['portal', 'scim']).describe('scim: owned by the identity provider, read-only here'),
  createdAt: timestamp,
});

export const toMember = (row: MemberRow): z.output<typeof memberSchema> => {
  const emails = (row.data as { emails?: { value?: unknown }[] }).emails ?? [];
  return {
    id: row.id,
    userName: row.user_name,
    displayName: row.display_name,
    emails: emails.flatMap((e) => (typeof e.value === 'string' ? [e.value] : [])),
    role: row.role,
    status: row.active ? 'active' : 'deactivated',
    managedBy: row.managed_by,
    createdAt: new Date(row.created_at).toISOString(),
  };
};

export function memberRoutes(db: Kysely<Database>) {
  return [
    defineRoute({
      method: 'get',
      path: '/orgs/{org}/members/me',
      operationId: 'getOwnProfile',
      summary: "The calling member's own profile",
      tag: 'Members',
      access: 'member',
      params: orgParams,
      responses: { 200: { description: 'The profile', schema: memberSchema } },
      async handle({ actor }) {
        const row = await findMember(db, actor.orgId, actor.memberId);
        if (!row) throw portalErrors.notFound('This member no longer exists.');
        return { status: 200, body: toMember(row) };
      },
    }),
  ];
}
