/**
 * The OAuth client's secrets, rotated with overlap as Entra's gallery requires: create a second
 * secret (shown once), move the identity provider to it while both work, then revoke the old one.
 * A client holds at most two live secrets, each with an optional expiry; the list shows when each
 * was created, expires and was last used, never the secret.
 */
import type { Database, OAuthClientSecretRow } from '@roster/db';
import { getIdentityConfig } from '@roster/directory/identity';
import {
  addClientSecret,
  isExpired,
  listClientSecrets,
  MAX_LIVE_CLIENT_SECRETS,
  revokeClientSecret,
} from '@roster/directory/oauth';
import { originOf } from '@roster/observability/public-origin';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { recordMemberAction } from '../audit/record.js';
import { defineRoute } from '../http/route.js';
import { expiresAt, orgParams, timestamp } from '../http/schemas.js';
import { lockExistingOrganization } from '../organizations/lock.js';
import { portalErrors } from '../portal-error.js';
import { identityUrls } from './identity-urls.js';

const PATH = '/orgs/{org}/identity/provisioning/oauth-client-secrets';

const secretSchema = z.object({
  id: z.string(),
  createdAt: timestamp,
  expiresAt: timestamp.nullable().describe('When it stops working; null: never'),
  expired: z.boolean(),
  lastUsedAt: timestamp
    .nullable()
    .describe('Last successful client authentication with it (updated at most once a minute)'),
});

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

const toSecret = (row: OAuthClientSecretRow, now = new Date()): z.output<typeof secretSchema> => ({
  id: row.id,
  createdAt: new Date(row.created_at).toISOString(),
  expiresAt: iso(row.expires_at),
  expired: isExpired(row.expires_at && new Date(row.expires_at), now),
  lastUsedAt: iso(row.last_used_at),
});

const NO_STORE = { 'Cache-Control': 'no-store' };

export function oauthClientSecretRoutes(db: Kysely<Database>) {
  /** The client's id, refusing with 409 oauth_not_configured when there is none. */
  async function clientIdOf(trx: Kysely<Database>, orgId: string, orgSlug: string, origin: string) {
    const config = await getIdentityConfig(trx, orgId);
    if (config.scimAuthMethod !== 'oauth2' || !config.oauthClientId) {
      const { provisioningUrl } = identityUrls(origin, orgSlug);
      throw portalErrors.precondition(
        'oauth_not_configured',
        `There is no OAuth 2.0 client: choose the OAuth 2.0 authentication method first (PUT ${provisioningUrl} with "authMethod": "oauth2"), which creates the client.`,
      );
    }
    return config.oauthClientId;
  }

  return [
    defineRoute({
      method: 'get',
      path: PATH,
      operationId: 'listOAuthClientSecrets',
      summary: "List the OAuth client's live secrets (never the secrets themselves)",
      tag: 'Identity configuration',
      access: 'manager',
      params: orgParams,
      responses: {
        200: {
          description: 'The secrets that are not revoked, oldest first (expired ones included)',
          schema: z.object({ clientId: z.string().nullable(), secrets: z.array(secretSchema) }),
        },
      },
      async handle({ actor }) {
        const config = await getIdentityConfig(db, actor.orgId);
        const rows = config.oauthClientId ? await listClientSecrets(db, actor.orgId) : [];
        return {
          status: 200,
          body: { clientId: config.oauthClientId, secrets: rows.map((row) => toSecret(row)) },
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: PATH,
      operationId: 'createOAuthClientSecret',
      summary: 'Add a second client secret (rotation with overlap); it is in this response only',
      description: `Both secrets work until one is revoked. A client holds at most ${MAX_LIVE_CLIENT_SECRETS} live (not revoked, not expired) secrets: a third is refused with 409 too_many_client_secrets. Needs the OAuth 2.0 method and its client: else 409 oauth_not_configured.`,
      tag: 'Identity configuration',
      access: 'manager',
      params: orgParams,
      body: z.object({ expiresAt: expiresAt.optional() }).strict(),
      responses: {
        201: {
          description: 'The new secret, with its value',
          schema: secretSchema.extend({
            clientId: z.string(),
            clientSecret: z
              .string()
              .describe('Shown in this response only; store it in the identity provider now'),
          }),
        },
      },
      async handle({ ctx, actor, body }) {
        const created = await db.transaction().execute(async (trx) => {
          // The organization's lock serialises concurrent creations: the limit holds.
          await lockExistingOrganization(trx, actor.orgId);
          const clientId = await clientIdOf(trx, actor.orgId, actor.orgSlug, originOf(ctx));
          const live = (await listClientSecrets(trx, actor.orgId)).filter(
            (row) => !isExpired(row.expires_at && new Date(row.expires_at)),
          );
          if (live.length >= MAX_LIVE_CLIENT_SECRETS) {
            throw portalErrors.conflict(
              'too_many_client_secrets',
              `The OAuth client already has ${live.length} live secrets (${live.map((row) => row.id).join(', ')}), the most it may hold: revoke the one the identity provider no longer uses (DELETE ${PATH.replace('{org}', actor.orgSlug)}/{id}) first.`,
            );
          }
          const added = await addClientSecret(
            trx,
            actor.orgId,
            body.expiresAt ? new Date(body.expiresAt) : null,
          );
          await recordMemberAction(
            trx,
            actor,
            'identity.oauth_secret.created',
            { type: 'oauth_client', id: clientId },
            { secretId: added.row.id, expiresAt: iso(added.row.expires_at) },
          );
          return { ...toSecret(added.row), clientId, clientSecret: added.secret };
        });
        return { status: 201, body: created, headers: NO_STORE };
      },
    }),
    defineRoute({
      method: 'delete',
      path: `${PATH}/{secretId}`,
      operationId: 'revokeOAuthClientSecret',
      summary: 'Revoke one client secret; it and the access tokens obtained with it are refused from now on',
      description:
        'Refresh tokens stay valid: they belong to the client, not to one secret, so an identity provider that moved to the other secret keeps its grant.',
      tag: 'Identity configuration',
      access: 'manager',
      params: orgParams.extend({ secretId: z.string().regex(/^[0-9a-f]{16}$/) }),
      responses: { 204: { description: 'Revoked' } },
      async handle({ actor, params }) {
        await db.transaction().execute(async (trx) => {
          await lockExistingOrganization(trx, actor.orgId);
          if (!(await revokeClientSecret(trx, actor.orgId, params.secretId))) {
            throw portalErrors.notFound(
              `No live OAuth client secret "${params.secretId}" in this organization.`,
            );
          }
          const config = await getIdentityConfig(trx, actor.orgId);
          await recordMemberAction(
            trx,
            actor,
            'identity.oauth_secret.revoked',
            { type: 'oauth_client', id: config.oauthClientId ?? '' },
            { secretId: params.secretId },
          );
        });
        return { status: 204 };
      },
    }),
  ];
}
