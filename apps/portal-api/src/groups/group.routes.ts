/**
 * Groups management (RBAC groups): list, create, read, rename or change role, delete, and their
 * members. Every operation answers 409 rbac_disabled while the organization has RBAC off. The
 * rules are in group.service.ts.
 */
import type { Database } from '@roster/db';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { pageOf, pageQuery, pageSchema } from '../http/keyset.js';
import { defineRoute } from '../http/route.js';
import { orgParams, timestamp } from '../http/schemas.js';
import {
  memberPageSchema,
  provisionedBySchema,
  text,
  toMember,
  toProvisionedBy,
} from '../members/member.routes.js';
import * as service from './group.service.js';

const groupRole = z.enum(['manager']).nullable().describe('manager: every member of the group is a manager');

const groupSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  role: groupRole,
  managedBy: z.enum(['portal', 'scim']).describe('scim: provisioned by the identity provider'),
  readOnly: z
    .boolean()
    .describe('True while the identity provider owns the group (SCIM with group sync on): change it there'),
  provisionedBy: provisionedBySchema,
  createdAt: timestamp,
});

const toGroup = (row: service.GroupRecord): z.output<typeof groupSchema> => ({
  id: row.id,
  displayName: row.display_name,
  role: row.role === 'manager' ? 'manager' : null,
  managedBy: row.managed_by,
  readOnly: row.readOnly,
  provisionedBy: toProvisionedBy(row.provisionedBy),
  createdAt: new Date(row.created_at).toISOString(),
});

const groupParams = orgParams.extend({ id: z.guid().describe('The group id') });
const OWNED =
  'Refused with 409 rbac_disabled while RBAC is off, and 409 managed_by_identity_provider while the identity provider owns the group.';
const REFUSALS = `${OWNED} Also 409 last_manager when no active manager would remain.`;

export function groupRoutes(db: Kysely<Database>) {
  return [
    defineRoute({
      method: 'get',
      path: '/orgs/{org}/groups',
      operationId: 'listGroups',
      summary: 'List groups by name, one page at a time',
      tag: 'Groups',
      access: 'manager',
      params: orgParams,
      query: z.object({
        q: text(200).optional().describe('Case-insensitive part of the displayName'),
        managedBy: z.enum(['portal', 'scim']).optional(),
        ...pageQuery,
      }),
      responses: { 200: { description: 'One page of groups', schema: pageSchema(groupSchema) } },
      async handle({ actor, query }) {
        const { limit, cursor, ...filters } = query;
        const rows = await service.listGroups(db, actor, { ...filters, after: cursor, limit: limit + 1 });
        return { status: 200, body: pageOf(rows, limit, toGroup) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/orgs/{org}/groups',
      operationId: 'createGroup',
      summary: 'Create a group',
      description:
        'A name already taken (case-insensitively) is refused with 409 group_already_exists; 409 rbac_disabled while RBAC is off.',
      tag: 'Groups',
      access: 'manager',
      params: orgParams,
      body: z.object({ displayName: text(200), role: groupRole.default(null) }).strict(),
      responses: { 201: { description: 'The new group', schema: groupSchema } },
      async handle({ actor, body }) {
        const group = await db.transaction().execute((trx) => service.createGroup(trx, actor, body));
        return { status: 201, body: toGroup(group) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/orgs/{org}/groups/{id}',
      operationId: 'getGroup',
      summary: 'Read a group',
      tag: 'Groups',
      access: 'manager',
      params: groupParams,
      responses: { 200: { description: 'The group', schema: groupSchema } },
      async handle({ actor, params }) {
        return { status: 200, body: toGroup(await service.getGroup(db, actor, params.id)) };
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/orgs/{org}/groups/{id}',
      operationId: 'updateGroup',
      summary: 'Rename a group or change its role',
      description: `${REFUSALS} A name already taken is refused with 409 group_already_exists.`,
      tag: 'Groups',
      access: 'manager',
      params: groupParams,
      body: z.object({ displayName: text(200).optional(), role: groupRole.optional() }).strict(),
      responses: { 200: { description: 'The updated group', schema: groupSchema } },
      async handle({ actor, params, body }) {
        const group = await db
          .transaction()
          .execute((trx) => service.updateGroup(trx, actor, params.id, body));
        return { status: 200, body: toGroup(group) };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/orgs/{org}/groups/{id}',
      operationId: 'deleteGroup',
      summary: 'Delete a group; its members stay in the organization',
      description: REFUSALS,
      tag: 'Groups',
      access: 'manager',
      params: groupParams,
      responses: { 204: { description: 'Deleted' } },
      async handle({ actor, params }) {
        await db.transaction().execute((trx) => service.deleteGroup(trx, actor, params.id));
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/orgs/{org}/groups/{id}/members',
      operationId: 'listGroupMembers',
      summary: "List a group's members by userName, one page at a time",
      tag: 'Groups',
      access: 'manager',
      params: groupParams,
      query: z.object(pageQuery),
      responses: { 200: { description: 'One page of the members', schema: memberPageSchema } },
      async handle({ actor, params, query }) {
        const rows = await service.listGroupMembers(db, actor, params.id, {
          after: query.cursor,
          limit: query.limit + 1,
        });
        return { status: 200, body: pageOf(rows, query.limit, toMember) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/orgs/{org}/groups/{id}/members',
      operationId: 'addGroupMembers',
      summary: 'Add members to a group',
      description: `Members already in the group are left as they are. Every id must be a member of the organization (else 404, nothing added). ${OWNED}`,
      tag: 'Groups',
      access: 'manager',
      params: groupParams,
      body: z.object({ memberIds: z.array(z.guid()).min(1).max(1000) }).strict(),
      responses: {
        200: {
          description: 'The ids newly added',
          schema: z.object({ added: z.array(z.string()) }),
        },
      },
      async handle({ actor, params, body }) {
        const added = await db
          .transaction()
          .execute((trx) => service.addGroupMembers(trx, actor, params.id, body.memberIds));
        return { status: 200, body: { added } };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/orgs/{org}/groups/{id}/members/{memberId}',
      operationId: 'removeGroupMember',
      summary: 'Remove a member from a group',
      description: REFUSALS,
      tag: 'Groups',
      access: 'manager',
      params: groupParams.extend({ memberId: z.guid() }),
      responses: { 204: { description: 'Removed from the group' } },
      async handle({ actor, params }) {
        await db
          .transaction()
          .execute((trx) => service.removeGroupMember(trx, actor, params.id, params.memberId));
        return { status: 204 };
      },
    }),
  ];
}
