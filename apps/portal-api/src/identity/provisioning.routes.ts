/**
 * Identity configuration > Provisioning: manual or through the identity provider, the SCIM toggle,
 * its authentication method (HTTP Header with a system key, or OAuth 2.0 with a client of ours),
 * provisioning existing users and group sync, each change checked against its preconditions.
 */
import type { Database } from '@roster/db';
import { hasLiveScimKey } from '@roster/directory/api-keys';
import { getIdentityConfig, type IdentityConfig, saveIdentityConfig } from '@roster/directory/identity';
import {
  addClientSecret,
  listClientSecrets,
  revokeClientSecrets,
  revokeRefreshTokens,
} from '@roster/directory/oauth';
import { originOf } from '@roster/observability/public-origin';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { diff, eventActor, recordMemberAction, recordMemberUpdate } from '../audit/record.js';
import { defineRoute } from '../http/route.js';
import { httpsOrLoopback, orgParams } from '../http/schemas.js';
import { lockExistingOrganization } from '../organizations/lock.js';
import { portalErrors } from '../portal-error.js';
import { newOAuthClientId, provisioningPrecondition } from './identity.service.js';
import { type IdentityUrls, identityUrls } from './identity-urls.js';

const mode = z.enum(['manual', 'identity_provider']);
const authMethod = z.enum(['http_header', 'oauth2']);
const shownOnce = z.string().describe('Shown in this response only; store it in the identity provider now');

const oauthSchema = z.object({
  tokenEndpoint: z.string().describe('The access token endpoint (client-credentials grant)'),
  authorizationEndpoint: z.string().describe('The authorization endpoint (authorization-code grant)'),
  clientId: z.string(),
  redirectUris: z.array(z.string()).describe('Registered redirect URIs of the authorization-code grant'),
});

const provisioningSchema = z.object({
  mode,
  scimEnabled: z.boolean(),
  authMethod,
  provisionExistingUsers: z.boolean(),
  syncGroups: z.boolean(),
  scimEndpointUrl: z.string().describe("The SCIM base URL to copy into the IdP (Entra's Tenant URL)"),
  apiKeysUrl: z
    .string()
    .describe('Where the system key with the scim scope of the HTTP Header method is made'),
  oauth: oauthSchema.nullable().describe('With the OAuth 2.0 method: what the IdP needs'),
});

/** https, or http on the loopback interface for development (RFC 8252 §7.3); no fragment. */
const redirectUri = z.url({ protocol: /^https?$/ }).refine((value) => {
  const url = new URL(value);
  return !url.hash && httpsOrLoopback(url);
}, 'A redirect URI must be https (or http on localhost) and have no fragment.');

const provisioningBody = z
  .object({
    mode,
    scimEnabled: z.boolean(),
    authMethod,
    provisionExistingUsers: z.boolean(),
    syncGroups: z.boolean(),
    confirmSyncGroups: z
      .boolean()
      .optional()
      .describe('Must be true when turning syncGroups on: group management passes to the IdP'),
    oauthRedirectUris: z
      .array(redirectUri)
      .max(10)
      .optional()
      .describe(
        "Where the authorization-code grant may send codes (the IdP's callback URL); unchanged when omitted",
      ),
  })
  .strict();

function toProvisioning(config: IdentityConfig, urls: IdentityUrls, clientSecret?: string) {
  return {
    mode: config.provisioningMode,
    scimEnabled: config.scimEnabled,
    authMethod: config.scimAuthMethod,
    provisionExistingUsers: config.provisionExistingUsers,
    syncGroups: config.syncGroups,
    scimEndpointUrl: urls.scimEndpointUrl,
    apiKeysUrl: urls.apiKeysUrl,
    oauth:
      config.scimAuthMethod === 'oauth2' && config.oauthClientId
        ? {
            tokenEndpoint: urls.tokenEndpoint,
            authorizationEndpoint: urls.authorizationEndpoint,
            clientId: config.oauthClientId,
            redirectUris: config.oauthRedirectUris,
            ...(clientSecret !== undefined ? { clientSecret } : {}),
          }
        : null,
  };
}

/** The audited fields (no secrets, no hashes). */
const audited = (c: IdentityConfig) => ({
  mode: c.provisioningMode,
  scimEnabled: c.scimEnabled,
  authMethod: c.scimAuthMethod,
  provisionExistingUsers: c.provisionExistingUsers,
  syncGroups: c.syncGroups,
  oauthClientId: c.oauthClientId,
  oauthRedirectUris: c.oauthRedirectUris,
});

const NO_STORE = { 'Cache-Control': 'no-store' };

export function provisioningRoutes(db: Kysely<Database>) {
  return [
    defineRoute({
      method: 'get',
      path: '/orgs/{org}/identity/provisioning',
      operationId: 'getProvisioning',
      summary: 'Read the provisioning settings, with the SCIM endpoint URL and the OAuth fields',
      tag: 'Identity configuration',
      access: 'manager',
      params: orgParams,
      responses: { 200: { description: 'The provisioning settings', schema: provisioningSchema } },
      async handle({ ctx, actor }) {
        const config = await getIdentityConfig(db, actor.orgId);
        return { status: 200, body: toProvisioning(config, identityUrls(originOf(ctx), actor.orgSlug)) };
      },
    }),
    defineRoute({
      method: 'put',
      path: '/orgs/{org}/identity/provisioning',
      operationId: 'updateProvisioning',
      summary: 'Save the provisioning settings',
      description:
        'Refused with 409 and one of these codes, checked in this order: scim_requires_identity_provider_mode, scim_requires_enterprise_plan, scim_requires_sso, scim_requires_scim_key (HTTP Header method), group_sync_requires_rbac, group_sync_requires_confirmation. Choosing the OAuth 2.0 method for the first time creates the OAuth client: its secret is in this response only.',
      tag: 'Identity configuration',
      access: 'manager',
      params: orgParams,
      body: provisioningBody,
      responses: {
        200: {
          description: 'The saved settings; oauth.clientSecret only when the OAuth client was just created',
          schema: provisioningSchema.extend({
            oauth: oauthSchema.extend({ clientSecret: shownOnce.optional() }).nullable(),
          }),
        },
      },
      async handle({ ctx, actor, body }) {
        const urls = identityUrls(originOf(ctx), actor.orgSlug);
        const { saved, clientSecret } = await db.transaction().execute(async (trx) => {
          const org = await lockExistingOrganization(trx, actor.orgId);
          const config = await getIdentityConfig(trx, actor.orgId, { forUpdate: true });
          const refusal = await provisioningPrecondition(body, {
            config,
            plan: org.plan,
            rbacEnabled: org.rbacEnabled,
            hasLiveScimKey: () => hasLiveScimKey(trx, actor.orgId),
            urls,
          });
          if (refusal) throw refusal;
          const next: IdentityConfig = {
            ...config,
            provisioningMode: body.mode,
            scimEnabled: body.scimEnabled,
            scimAuthMethod: body.authMethod,
            provisionExistingUsers: body.provisionExistingUsers,
            syncGroups: body.syncGroups,
            oauthRedirectUris: body.oauthRedirectUris ?? config.oauthRedirectUris,
          };
          const mintSecret =
            body.authMethod === 'oauth2' &&
            (!config.oauthClientId || (await listClientSecrets(trx, actor.orgId)).length === 0);
          if (mintSecret) next.oauthClientId = config.oauthClientId ?? newOAuthClientId();
          const saved = await saveIdentityConfig(trx, actor.orgId, next);
          const clientSecret = mintSecret ? (await addClientSecret(trx, actor.orgId)).secret : undefined;
          const changes = diff(audited(config), audited(saved));
          await recordMemberUpdate(
            trx,
            actor,
            'identity.provisioning.updated',
            { type: 'identity_config', id: actor.orgId },
            changes,
            // The settings as saved: switches and the OAuth client's id, never a secret.
            [{ type: 'identity.provisioning_updated', actor: eventActor(actor), data: audited(saved) }],
          );
          return { saved, clientSecret };
        });
        return {
          status: 200,
          body: toProvisioning(saved, urls, clientSecret),
          ...(clientSecret !== undefined ? { headers: NO_STORE } : {}),
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/orgs/{org}/identity/provisioning/oauth-client-secret',
      operationId: 'rotateOAuthClientSecret',
      summary: "Replace the OAuth client's secrets at once; the new one is in this response only",
      description:
        'For a secret that may have leaked: every previous secret stops working at once, and so do the access tokens obtained with them and every refresh token. To rotate without a gap, use POST .../oauth-client-secrets (a second secret) and then DELETE the old one. Needs the OAuth 2.0 method and its client: else 409 oauth_not_configured.',
      tag: 'Identity configuration',
      access: 'manager',
      params: orgParams,
      responses: {
        200: {
          description: 'The client id and its new secret',
          schema: z.object({ clientId: z.string(), clientSecret: shownOnce }),
        },
      },
      async handle({ ctx, actor }) {
        const urls = identityUrls(originOf(ctx), actor.orgSlug);
        const rotated = await db.transaction().execute(async (trx) => {
          await lockExistingOrganization(trx, actor.orgId);
          const config = await getIdentityConfig(trx, actor.orgId, { forUpdate: true });
          const clientId = config.oauthClientId;
          if (config.scimAuthMethod !== 'oauth2' || !clientId) {
            throw portalErrors.precondition(
              'oauth_not_configured',
              `There is no OAuth 2.0 client to rotate: choose the OAuth 2.0 authentication method first (PUT ${urls.provisioningUrl} with "authMethod": "oauth2"), which creates the client.`,
            );
          }
          await revokeClientSecrets(trx, actor.orgId);
          const minted = await addClientSecret(trx, actor.orgId);
          // Access tokens name the secret they were obtained with; refresh tokens are ended here.
          await revokeRefreshTokens(trx, actor.orgId);
          await recordMemberAction(trx, actor, 'identity.oauth_secret.rotated', {
            type: 'oauth_client',
            id: clientId,
          });
          return { clientId, clientSecret: minted.secret };
        });
        return { status: 200, body: rotated, headers: NO_STORE };
      },
    }),
  ];
}
