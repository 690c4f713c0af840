/**
 * Request routing by organization: the slug in a request's URL resolved to the organization's id
 * and the settings authentication decides with, so that every query after it names `org_id` as a
 * constant (one shard on Citus, where `organizations` is a reference table and the rest is
 * distributed by `org_id`). Resolved through the process's credential cache when given one.
 */
import type { Database, Plan, ProvisioningMode, ScimAuthMethod } from '@roster/db';
import type { Kysely } from 'kysely';
import { type CredentialOrganization, credentialOrganization } from './api-keys.js';
import type { CredentialCache } from './credential-cache.js';

type Db = Kysely<Database>;

export interface OrganizationRoute {
  orgId: string;
  orgSlug: string;
  /** The SCIM switches, RBAC and provisioning mode, as of the lookup. */
  organization: CredentialOrganization;
}

/**
 * Two statements, each on one table by an equality (a join of `organizations` with a distributed
 * table on a column that is not a constant would touch every shard on Citus).
 */
export async function findOrganizationRoute(db: Db, slug: string): Promise<OrganizationRoute | undefined> {
  const org = await db
    .selectFrom('organizations')
    .select(['id', 'slug', 'plan', 'rbac_enabled'])
    .where('slug', '=', slug)
    .executeTakeFirst();
  if (!org) return undefined;
  const config = await db
    .selectFrom('identity_configs')
    .select([
      'scim_enabled',
      'scim_auth_method',
      'provision_existing_users',
      'sync_groups',
      'provisioning_mode',
    ])
    .where('org_id', '=', org.id)
    .executeTakeFirst();
  return {
    orgId: org.id,
    orgSlug: org.slug,
    // Frozen: a cached route is shared by every request of the organization.
    organization: Object.freeze(
      credentialOrganization({
        plan: org.plan as Plan,
        rbac_enabled: org.rbac_enabled,
        scim_enabled: config?.scim_enabled ?? null,
        scim_auth_method: (config?.scim_auth_method ?? null) as ScimAuthMethod | null,
        provision_existing_users: config?.provision_existing_users ?? null,
        sync_groups: config?.sync_groups ?? null,
        provisioning_mode: (config?.provisioning_mode ?? null) as ProvisioningMode | null,
      }),
    ),
  };
}

/** Finds an organization by slug; undefined when none has it. */
export type OrganizationResolver = (slug: string) => Promise<OrganizationRoute | undefined>;

/**
 * The resolver a request path uses: through `cache` (entries dropped by the organization's
 * notifications) when given one, straight to the database otherwise.
 */
export function organizationResolver(db: Db, cache?: CredentialCache): OrganizationResolver {
  if (!cache) return (slug) => findOrganizationRoute(db, slug);
  return (slug) =>
    cache.lookup(
      `org:${slug}`,
      (route) => route.orgId,
      () => findOrganizationRoute(db, slug),
    );
}
