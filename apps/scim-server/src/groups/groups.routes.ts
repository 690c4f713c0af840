import type Router from '@koa/router';
import { groupResourceType } from '@roster/scim-core/schema';
import type { ScimDeps } from '../http/context.js';
import { registerResourceRoutes } from '../resources/resource-routes.js';
import { groupToScim } from './group-resource.js';
import * as service from './groups.service.js';

export function registerGroupRoutes(router: Router, deps: ScimDeps): void {
  registerResourceRoutes(router, deps, {
    type: groupResourceType,
    service: {
      create: service.createGroup,
      get: service.getGroup,
      replace: service.replaceGroup,
      patch: service.patchGroup,
      remove: service.deleteGroup,
      list: service.listGroups,
    },
    related: { attribute: 'members', load: (db, orgId, ids) => service.membersOfGroups(db, orgId, ids) },
    render: groupToScim,
  });
}
