/**
 * API keys: system keys (the `scim` scope lets an identity provider call the SCIM service) and
 * personal keys (act as their member in this API). The secret is in the creation response only.
 */
import { maskApiKey } from '@roster/auth/api-keys';
import type { ApiKeyRow, Database } from '@roster/db';
import { createApiKey, findApiKey, listApiKeys, revokeApiKey, SCOPES } from '@roster/directory/api-keys';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { recordMemberAction } from '../audit/record.js';
import { defineRoute } from '../http/route.js';
import { expiresAt, orgParams, timestamp } from '../http/schemas.js';
import { portalErrors } from '../portal-error.js';

const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['system', 'personal']),
  scopes: z.array(z.string()),
  memberId: z.string().nullable().describe('The member a personal key acts as'),
  maskedKey: z.string().describe('Identifies the key without revealing it'),
  createdAt: timestamp,
  expiresAt: timestamp.nullable().describe('When it stops working; null: never'),
  lastUsedAt: timestamp.nullable().describe('Last accepted request with it (updated at most once a minute)'),
  revokedAt: timestamp.nullable(),
});

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

const toApiKey = (row: ApiKeyRow): z.output<typeof apiKeySchema> => ({
  id: row.id,
  name: row.name,
  kind: row.kind,
  scopes: row.scopes,
  memberId: row.member_id,
  maskedKey: maskApiKey(row.id),
  createdAt: new Date(row.created_at).toISOString(),
  expiresAt: iso(row.expires_at),
  lastUsedAt: iso(row.last_used_at),
  revokedAt: iso(row.revoked_at),
});

const newKeySchema = z
  .object({
    kind: z.enum(['system', 'personal']),
    name: z.string().trim().min(1).max(200),
    scopes: z.array(z.enum(SCOPES)).min(1).optional(),
    expiresAt: expiresAt.optional(),
  })
  .strict()
  .superRefine((key, ctx) => {
    const scopes = key.scopes ?? [];
    if (key.kind === 'system' && scopes.includes('portal')) {
      ctx.addIssue({
        code: 'custom',
        path: ['scopes'],
        message: 'System keys cannot use the portal API: it acts for a member. Create a personal key.',
      });
    }
    if (key.kind === 'personal' && scopes.includes('scim')) {
      ctx.addIssue({
        code: 'custom',
        path: ['scopes'],
        message: 'Identity providers need a system key with the scim scope, not a personal key.',
      });
    }
  });

export function apiKeyRoutes(db: Kysely<Database>) {
  return [
    defineRoute({
      method: 'get',
      path: '/orgs/{org}/api-keys',
      operationId: 'listApiKeys',
      summary: 'List API keys (masked), with when each was created, expires and was last used',
      tag: 'API keys',
      access: 'manager',
      params: orgParams,
      responses: {
        200: { description: 'The keys, newest first', schema: z.object({ apiKeys: z.array(apiKeySchema) }) },
      },
      async handle({ actor }) {
        return { status: 200, body: { apiKeys: (await listApiKeys(db, actor.orgId)).map(toApiKey) } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/orgs/{org}/api-keys',
      operationId: 'createApiKey',
      summary: 'Create a key; its secret is shown in this response only',
      description:
        'A system key with the scim scope is what the HTTP Header authentication method of SCIM provisioning needs. A personal key acts as the calling member. With expiresAt, the key is refused from that time on with a 401 that says it expired.',
      tag: 'API keys',
      access: 'manager',
      params: orgParams,
      body: newKeySchema,
      responses: {
        201: {
          description: 'The key, with its secret',
          schema: apiKeySchema.extend({ token: z.string().describe('Shown once') }),
        },
      },
      async handle({ actor, body }) {
        const scopes = body.scopes ?? [body.kind === 'system' ? 'scim' : 'portal'];
        const created = await db.transaction().execute(async (trx) => {
          const key = await createApiKey(trx, {
            orgId: actor.orgId,
            kind: body.kind,
            name: body.name,
            scopes,
            memberId: body.kind === 'personal' ? actor.memberId : undefined,
            expiresAt: body.expiresAt ? new Date(body.expiresAt) : undefined,
          });
          await recordMemberAction(
            trx,
            actor,
            'api_key.created',
            { type: 'api_key', id: key.row.id },
            { kind: body.kind, name: body.name, scopes, expiresAt: body.expiresAt ?? null },
          );
          return key;
        });
        return { status: 201, body: { ...toApiKey(created.row), token: created.token } };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/orgs/{org}/api-keys/{keyId}',
      operationId: 'revokeApiKey',
      summary: 'Revoke a key; it is refused from the next request on',
      tag: 'API keys',
      access: 'manager',
      params: orgParams.extend({ keyId: z.string().regex(/^[0-9a-f]{16}$/) }),
      responses: { 204: { description: 'Revoked' } },
      async handle({ actor, params }) {
        await db.transaction().execute(async (trx) => {
          const key = await findApiKey(trx, actor.orgId, params.keyId);
          if (!key) throw portalErrors.notFound(`No API key "${params.keyId}" in this organization.`);
          if (await revokeApiKey(trx, actor.orgId, params.keyId)) {
            await recordMemberAction(trx, actor, 'api_key.revoked', { type: 'api_key', id: params.keyId });
          }
        });
        return { status: 204 };
      },
    }),
  ];
}
