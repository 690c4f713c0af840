/** The organization itself: its plan and whether RBAC is on. */
import type { Database, OrganizationRow } from '@roster/db';
import { recordAuditEvent } from '@roster/directory/audit';
import { findOrganizationBySlug, updateOrganization } from '@roster/directory/organizations';
import type { Kysely } from 'kysely';
import { z } from 'zod';
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
          const changes = Object.fromEntries(
            (['name', 'plan', 'rbacEnabled'] as const)
              .filter(
                (field) =>
                  body[field] !== undefined && toOrganization(before)[field] !== toOrganization(after)[field],
              )
              .map((field) => [
                field,
                { from: toOrganization(before)[field], to: toOrganization(after)[field] },
              ]),
          );
          if (Object.keys(changes).length > 0) {
            await recordAuditEvent(trx, {
              orgId: actor.orgId,
              actor: { type: 'member', id: actor.memberId },
              action: 'organization.updated',
              target: { type: 'organization', id: actor.orgId },
              changes,
            });
          }
          return after;
        });
        return { status: 200, body: toOrganization(row) };
      },
    }),
  ];
}
