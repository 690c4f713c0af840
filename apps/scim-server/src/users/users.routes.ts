import type Router from '@koa/router';
import { userResourceType } from '@roster/scim-core/schema';
import type { ScimDeps } from '../http/context.js';
import { registerResourceRoutes } from '../resources/resource-routes.js';
import { userToScim } from './user-resource.js';
import * as service from './users.service.js';

export function registerUserRoutes(router: Router, deps: ScimDeps): void {
  registerResourceRoutes(router, deps, {
    type: userResourceType,
    service: {
      create: service.createUser,
      get: service.getUser,
      replace: service.replaceUser,
      patch: service.patchUser,
      remove: service.deleteUser,
      list: service.listUsers,
    },
    related: {
      attribute: 'groups',
      load: service.groupsOf,
    },
    render: userToScim,
  });
}
