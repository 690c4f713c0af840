import type { Database } from '@roster/db';
import { originOf } from '@roster/observability/public-origin';
import type { Context } from 'koa';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Tenant } from '../auth/tenant.js';
import type { Config } from '../config.js';

/** What route modules need, passed in explicitly (no globals, no per-request state on shared objects). */
export interface ScimDeps {
  db: Kysely<Database>;
  config: Config;
  logger: Logger;
}

export function tenantOf(ctx: Context): Tenant {
  const tenant = ctx.state.tenant as Tenant | undefined;
  if (!tenant) throw new Error('SCIM route reached without authentication');
  return tenant;
}

/** The organization's SCIM base URL as the client sees it, for `meta.location` and `Location`. */
export function scimBaseUrl(ctx: Context): string {
  return `${originOf(ctx)}/scim/v2/${encodeURIComponent(tenantOf(ctx).orgSlug)}`;
}

/**
 * The token endpoint of the organization's OAuth 2.0 authorization server (the portal app's
 * `/oauth/{org}/token`) as the client sees it, for the messages and discovery that point there.
 */
export function tokenEndpointUrl(ctx: Context, orgSlug: string): string {
  return `${originOf(ctx)}/oauth/${orgSlug}/token`;
}

/** The query string as a plain record (Koa's parsed query), for list and projection parameters. */
export function queryOf(ctx: Context): Record<string, unknown> {
  return ctx.query as Record<string, unknown>;
}
