/**
 * Members management: list, read, invite, change role or status, remove (managers), and a
 * member's own profile (any role). The rules are in member.service.ts.
 */
import type { Database } from '@roster/db';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { pageOf, pageQuery, pageSchema } from '../http/keyset.js';
import { defineRoute } from '../http/route.js';
import { orgParams, timestamp } from '../http/schemas.js';
import * as service from './member.service.js';
import type { ProvisionedBy } from './provenance.js';

/** Free text of a request: trimmed, bounded, and without NUL (which PostgreSQL text cannot hold). */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((value) => !value.includes('\0'), 'Must not contain NUL characters.');

const role = z.enum(['basic', 'manager']);
const status = z.enum(['active', 'deactivated']);
const managedBy = z.enum(['portal', 'scim']);

/** Who provisioned a SCIM-managed member or group, from its latest change through SCIM. */
export const provisionedBySchema = z
  .object({
    idp: z.string().nullable().describe('entra, ping, or the User-Agent as sent; null when not identified'),
    credential: z
      .object({
        type: z.enum(['api_key', 'oauth_client']),
        id: z.string(),
        name: z.string().nullable().describe("The API key's name; null for the OAuth client"),
      })
      .nullable(),
    at: timestamp.describe('When the identity provider last changed it'),
  })
  .nullable()
  .describe(
    'The identity provider and credential that last changed it through SCIM; null for portal-managed rows',
  );

export const toProvisionedBy = (value: ProvisionedBy | null): z.output<typeof provisionedBySchema> =>
  value && { idp: value.idp, credential: value.credential, at: value.at.toISOString() };

export const memberSchema = z.object({
  id: z.string(),
  userName: z.string(),
  displayName: z.string().nullable(),
  givenName: z.string().nullable(),
  familyName: z.string().nullable(),
  emails: z.array(z.string()),
  role: role.describe("The member's own role"),
  effectiveRole: role.describe('The role they act with: manager also through a group with that role (RBAC)'),
  status,
  managedBy: managedBy.describe('scim: provisioned by the identity provider'),
  readOnly: z
    .boolean()
    .describe('True while the identity provider owns the member (SCIM on): change it there'),
  provisionedBy: provisionedBySchema,
  createdAt: timestamp,
});

const stringOrNull = (value: unknown) => (typeof value === 'string' ? value : null);

export const toMember = (row: service.MemberRecord): z.output<typeof memberSchema> => {
  const data = row.data as { name?: Record<string, unknown>; emails?: { value?: unknown }[] };
  return {
    id: row.id,
    userName: row.user_name,
    displayName: row.display_name,
    givenName: stringOrNull(data.name?.givenName),
    familyName: stringOrNull(data.name?.familyName),
    emails: (data.emails ?? []).flatMap((e) => (typeof e.value === 'string' ? [e.value] : [])),
    role: row.role,
    effectiveRole: row.effective_role,
    status: row.active ? 'active' : 'deactivated',
    managedBy: row.managed_by,
    readOnly: row.readOnly,
    provisionedBy: toProvisionedBy(row.provisionedBy),
    createdAt: new Date(row.created_at).toISOString(),
  };
};

export const memberPageSchema = pageSchema(memberSchema);
const memberParams = orgParams.extend({ id: z.guid().describe('The member id') });

export function memberRoutes(db: Kysely<Database>) {
  return [
    // Before /members/{id}, which would otherwise take "me" for an id.
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
        return { status: 200, body: toMember(await service.getMember(db, actor, actor.memberId)) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/orgs/{org}/members',
      operationId: 'listMembers',
      summary: 'List members by userName, filtered, one page at a time',
      tag: 'Members',
      access: 'manager',
      params: orgParams,
      query: z.object({
        status: status.optional(),
        role: role.optional().describe("The member's own role"),
        managedBy: managedBy.optional(),
        q: text(200)
          .optional()
          .describe('Case-insensitive part of the userName, the displayName or an email'),
        ...pageQuery,
      }),
      responses: { 200: { description: 'One page of members', schema: memberPageSchema } },
      async handle({ actor, query }) {
        const { limit, cursor, ...filters } = query;
        const rows = await service.listMembers(db, actor, {
          ...filters,
          after: cursor,
          limit: limit + 1,
        });
        return { status: 200, body: pageOf(rows, limit, toMember) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/orgs/{org}/members/{id}',
      operationId: 'getMember',
      summary: 'Read a member',
      tag: 'Members',
      access: 'manager',
      params: memberParams,
      responses: { 200: { description: 'The member', schema: memberSchema } },
      async handle({ actor, params }) {
        return { status: 200, body: toMember(await service.getMember(db, actor, params.id)) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/orgs/{org}/members',
      operationId: 'inviteMember',
      summary: 'Invite a member: their email becomes their userName',
      description:
        'The member is managed by the portal. A userName already taken (case-insensitively) is refused with 409 member_already_exists.',
      tag: 'Members',
      access: 'manager',
      params: orgParams,
      body: z
        .object({
          email: z.email().max(320),
          givenName: text(200).optional(),
          familyName: text(200).optional(),
          displayName: text(200).optional(),
          role: role.default('basic'),
        })
        .strict(),
      responses: { 201: { description: 'The new member', schema: memberSchema } },
      async handle({ actor, body }) {
        const member = await db.transaction().execute((trx) => service.inviteMember(trx, actor, body));
        return { status: 201, body: toMember(member) };
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/orgs/{org}/members/{id}',
      operationId: 'updateMember',
      summary: "Change a member's role or status",
      description:
        "Deactivating stops the member's personal API keys at once; reactivating restores them. Refused with 409 managed_by_identity_provider while the identity provider owns the member, and 409 last_manager when no active manager would remain.",
      tag: 'Members',
      access: 'manager',
      params: memberParams,
      body: z.object({ role: role.optional(), status: status.optional() }).strict(),
      responses: { 200: { description: 'The updated member', schema: memberSchema } },
      async handle({ actor, params, body }) {
        const member = await db
          .transaction()
          .execute((trx) => service.updateMember(trx, actor, params.id, body));
        return { status: 200, body: toMember(member) };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/orgs/{org}/members/{id}',
      operationId: 'removeMember',
      summary: 'Remove a member from the organization',
      description:
        'Their personal API keys and group memberships go with them; the audit trail keeps the event. Refused like a change (409 managed_by_identity_provider, 409 last_manager).',
      tag: 'Members',
      access: 'manager',
      params: memberParams,
      responses: { 204: { description: 'Removed' } },
      async handle({ actor, params }) {
        await db.transaction().execute((trx) => service.removeMember(trx, actor, params.id));
        return { status: 204 };
      },
    }),
  ];
}
