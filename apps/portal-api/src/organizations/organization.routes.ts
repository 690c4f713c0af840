/** The organization itself: its plan and whether RBAC is on. */
import type { Database, OrganizationRow } from '@roster/db';
import { findOrganizationBySlug, updateOrganization } from '@roster/directory/organizations';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { diff, recordMemberUpdate } from '../audit/record.js';
import { portalErrors } from '../http/portal-error.js';
import { defineRoute } from '../http/route.js';
import { orgParams, timestamp } from '../http/schemas.js';

const plan = z.enum(['free', 'team', 'enterprise']);

export const organizationSchema = z.object({
  slug: z.string(),
  name: z.string(),
  plan,
  rbacEnabled: z.boolean(),
  createdAt: timestamp,
});

const toOrganization = (row: OrganizationRow): z.output<typeof organizationSchema> => ({
  slug: row.slug,
  name: row.name,
  plan: row.plan,
  rbacEnabled: row.rbac_enabled,
  createdAt: new Date(row.created_at).toISOString(),
});

export function organizationRoutes(db: Kysely<Database>) {
  return [
    defineRoute({
      method: 'get',
      path: '/orgs/{org}',
      operationId: 'getOrganization',
      summary: 'Read the organization',
      tag: 'Organization',
      access: 'manager',
      params: orgParams,
      responses: { 200: { description: 'The organization', schema: organizationSchema } },
      async handle({ actor }) {
        const row = await findOrganizationBySlug(db, actor.orgSlug);
        if (!row) throw portalErrors.notFound('The organization no longer exists.');
        return { status: 200, body: toOrganization(row) };
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/orgs/{org}',
      operationId: 'updateOrganization',
      summary: 'Change the name, the plan, or RBAC',
      tag: 'Organization',
      access: 'manager',
      params: orgParams,
      body: z
        .object({
          name: z.string().trim().min(1).max(200).optional(),
          plan: plan.optional(),
          rbacEnabled: z.boolean().optional(),
        })
        .strict(),
      responses: { 200: { description: 'The updated organization', schema: organizationSchema } },
      async handle({ actor, body }) {
        const row = await db.transaction().execute(async (trx) => {
          const before = await findOrganizationBySlug(trx, actor.orgSlug);
          if (!before) throw portalErrors.notFound('The organization no longer exists.');
          const after = await updateOrganization(trx, actor.orgId, body);
          // The editable fields only (createdAt never changes; slug is the URL).
          const editable = ({ name, plan, rbacEnabled }: z.output<typeof organizationSchema>) => ({
            name,
            plan,
            rbacEnabled,
          });
          const changes = diff(editable(toOrganization(before)), editable(toOrganization(after)));
          await recordMemberUpdate(
            trx,
            actor,
            'organization.updated',
            { type: 'organization', id: actor.orgId },
            changes,
          );
          return after;
        });
        return { status: 200, body: toOrganization(row) };
      },
    }),
  ];
}
