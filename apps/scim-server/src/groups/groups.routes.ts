import type Router from '@koa/router';
import type { Database } from '@roster/db';
import { groupResourceType } from '@roster/scim-core/schema';
import type { Kysely } from 'kysely';
import type { Tenant } from '../auth/tenant.js';
import type { ScimDeps } from '../http/context.js';
import { registerResourceRoutes } from '../resources/resource-routes.js';
import { groupToScim } from './group-resource.js';
import * as service from './groups.service.js';

/**
 * Every /Groups operation first checks that the organization hands group management to the IdP
 * (docs/reference/product.md#what-provisioning-does: without group sync, 403 naming the setting).
 */
function gated<Args extends unknown[], Result>(
  operation: (db: Kysely<Database>, tenant: Tenant, ...args: Args) => Result,
) {
  return (db: Kysely<Database>, tenant: Tenant, ...args: Args): Result => {
    service.assertGroupSync(tenant);
    return operation(db, tenant, ...args);
  };
}

export function registerGroupRoutes(router: Router, deps: ScimDeps): void {
  registerResourceRoutes(router, deps, {
    type: groupResourceType,
    service: {
      create: gated(service.createGroup),
      get: gated(service.getGroup),
      replace: gated(service.replaceGroup),
      patch: gated(service.patchGroup),
      remove: gated(service.deleteGroup),
      list: gated(service.listGroups),
    },
    related: {
      attribute: 'members',
      load: service.membershipsOf,
    },
    render: groupToScim,
  });
}
