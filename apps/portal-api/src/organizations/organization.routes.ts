/**
 * The organization itself: its name, its plan and whether RBAC is on. The plan is commercial: the
 * operator sets it (`roster set-plan`), a manager only reads it.
 */
import type { Database, OrganizationRow } from '@roster/db';
import { getIdentityConfig } from '@roster/directory/identity';
import { findOrganizationBySlug, updateOrganization } from '@roster/directory/organizations';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { diff, recordMemberUpdate } from '../audit/record.js';
import { defineRoute } from '../http/route.js';
import { orgParams, timestamp } from '../http/schemas.js';
import { ensureManagerRemains } from '../members/member.service.js';
import { PortalError, portalErrors } from '../portal-error.js';
import { lockExistingOrganization } from './lock.js';

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
      summary: 'Change the name or RBAC',
      description:
        'The plan is set by the operator: a body with `plan` is refused with 403 plan_set_by_operator. Disabling RBAC is refused with 409 rbac_required_by_group_sync while groups sync is on, and with 409 last_manager when only group roles made someone a manager.',
      tag: 'Organization',
      access: 'manager',
      params: orgParams,
      body: z
        .object({
          name: z.string().trim().min(1).max(200).optional(),
          // In the schema only to be refused by name below (403), rather than as an unknown field.
          plan: plan
            .optional()
            .describe('Refused with 403 plan_set_by_operator: the operator sets the plan.'),
          rbacEnabled: z.boolean().optional(),
        })
        .strict(),
      responses: { 200: { description: 'The updated organization', schema: organizationSchema } },
      async handle({ actor, body: { plan, ...body } }) {
        if (plan !== undefined) {
          throw new PortalError(
            403,
            'plan_set_by_operator',
            `The plan of ${actor.orgSlug} is part of its contract and is set by the Roster operator (roster set-plan ${actor.orgSlug} <plan>): ask them to change it.`,
          );
        }
        const row = await db.transaction().execute(async (trx) => {
          // Serialises with the provisioning settings, whose group sync needs RBAC.
          await lockExistingOrganization(trx, actor.orgId);
          const before = await findOrganizationBySlug(trx, actor.orgSlug);
          if (!before) throw portalErrors.notFound('The organization no longer exists.');
          if (body.rbacEnabled === false && (await getIdentityConfig(trx, actor.orgId)).syncGroups) {
            throw portalErrors.precondition(
              'rbac_required_by_group_sync',
              `Groups sync needs RBAC: turn groups sync off first (PUT /api/v1/orgs/${actor.orgSlug}/identity/provisioning with "syncGroups": false), then disable RBAC.`,
            );
          }
          const after = await updateOrganization(trx, actor.orgId, body);
          // Without RBAC, group roles no longer count: someone must remain a manager.
          if (before.rbac_enabled && !after.rbac_enabled) await ensureManagerRemains(trx, actor.orgId);
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
