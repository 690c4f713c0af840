/** Service provider configuration and schema discovery (RFC 7644 §4, RFC 7643 §5–§7). */
import type Router from '@koa/router';
import { scimErrors } from '@roster/scim-core/errors';
import {
  commonAttributes,
  enterpriseUserSchema,
  groupResourceType,
  groupSchema,
  type ResourceTypeDefinition,
  type SchemaDefinition,
  userResourceType,
  userSchema,
} from '@roster/scim-core/schema';
import type { Context } from 'koa';
import { type ScimDeps, scimBaseUrl, tenantOf, tokenEndpointUrl } from '../http/context.js';
import { sendScim } from '../http/scim-response.js';
import { listResponse } from '../query/list-query.js';

const resourceTypes: ResourceTypeDefinition[] = [userResourceType, groupResourceType];
const schemas: SchemaDefinition[] = [userSchema, enterpriseUserSchema, groupSchema];

/**
 * Without group sync the IdP does not manage groups, so discovery leaves the Group type out
 * (docs/reference/product.md#what-provisioning-does).
 */
const visibleResourceTypes = (ctx: Context) =>
  tenantOf(ctx).switches.syncGroups ? resourceTypes : resourceTypes.filter((t) => t !== groupResourceType);
const visibleSchemas = (ctx: Context) =>
  tenantOf(ctx).switches.syncGroups ? schemas : schemas.filter((s) => s !== groupSchema);

/** How the IdP authenticates: the method the organization configured. */
function authenticationScheme(ctx: Context) {
  if (tenantOf(ctx).switches.scimAuthMethod === 'oauth2') {
    return {
      type: 'oauth2',
      name: 'OAuth 2.0',
      description: `An access token from ${tokenEndpointUrl(ctx, tenantOf(ctx).orgSlug)} (client credentials or authorization code), sent as "Authorization: Bearer <token>".`,
      specUri: 'https://www.rfc-editor.org/rfc/rfc6749',
      primary: true,
    };
  }
  return {
    type: 'oauthbearertoken',
    name: 'Bearer token',
    description: 'A system API key with the scim scope, sent as "Authorization: Bearer <key>".',
    specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
    primary: true,
  };
}

function resourceTypeResource(type: ResourceTypeDefinition, base: string) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
    id: type.id,
    name: type.name,
    endpoint: type.endpoint,
    description: type.description,
    schema: type.schema.id,
    schemaExtensions: type.schemaExtensions.map((e) => ({ schema: e.schema.id, required: e.required })),
    meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/${type.id}` },
  };
}

/**
 * `externalId` is a common attribute (RFC 7643 §3.1), so no schema lists it, but Microsoft's
 * validation (Schema_Discoverability, docs/reference/entra.md#reference-tests-and-the-validation-harness)
 * requires every mapped attribute, `externalId` included, to be found in /Schemas: the core resource schemas list it.
 */
const externalId = commonAttributes.filter((a) => a.name === 'externalId');
const resourceSchemaIds = new Set(resourceTypes.map((t) => t.schema.id));

function schemaResource(schema: SchemaDefinition, base: string) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
    ...schema,
    ...(resourceSchemaIds.has(schema.id) ? { attributes: [...schema.attributes, ...externalId] } : {}),
    meta: { resourceType: 'Schema', location: `${base}/Schemas/${schema.id}` },
  };
}

export function registerDiscoveryRoutes(router: Router, { config }: ScimDeps): void {
  const serviceProviderConfig = (ctx: Context) =>
    sendScim(ctx, 200, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      documentationUri: 'https://github.com/roster/roster/blob/main/docs/scim-features.md',
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: config.maxPageSize },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: true },
      authenticationSchemes: [authenticationScheme(ctx)],
      meta: { resourceType: 'ServiceProviderConfig', location: `${scimBaseUrl(ctx)}/ServiceProviderConfig` },
    });

  router.get('/ServiceProviderConfig', serviceProviderConfig);
  // Microsoft's reference test collection asks for this older name.
  router.get('/serviceConfiguration', serviceProviderConfig);

  router.get('/ResourceTypes', (ctx) => {
    const base = scimBaseUrl(ctx);
    const types = visibleResourceTypes(ctx);
    sendScim(
      ctx,
      200,
      listResponse(
        types.length,
        1,
        types.map((t) => resourceTypeResource(t, base)),
      ),
    );
  });
  router.get('/ResourceTypes/:id', (ctx) => {
    const types = visibleResourceTypes(ctx);
    const type = types.find((t) => t.id.toLowerCase() === String(ctx.params.id).toLowerCase());
    if (!type) {
      throw scimErrors.notFound(
        `No resource type "${ctx.params.id}". This organization has ${types.map((t) => t.name).join(' and ')}.`,
      );
    }
    sendScim(ctx, 200, resourceTypeResource(type, scimBaseUrl(ctx)));
  });

  router.get('/Schemas', (ctx) => {
    const base = scimBaseUrl(ctx);
    const visible = visibleSchemas(ctx);
    sendScim(
      ctx,
      200,
      listResponse(
        visible.length,
        1,
        visible.map((s) => schemaResource(s, base)),
      ),
    );
  });
  router.get('/Schemas/:id', (ctx) => {
    const schema = visibleSchemas(ctx).find(
      (s) => s.id.toLowerCase() === String(ctx.params.id).toLowerCase(),
    );
    if (!schema) throw scimErrors.notFound(`No schema "${ctx.params.id}". See /Schemas for the list.`);
    sendScim(ctx, 200, schemaResource(schema, scimBaseUrl(ctx)));
  });
}
