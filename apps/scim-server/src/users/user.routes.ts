/** /Users: the User endpoint declared as data (endpoints/scim-endpoint.ts builds its routes). */
import type Router from '@koa/router';
import { normalizeResource } from '@roster/scim-core/resource';
import { userResourceType } from '@roster/scim-core/schema';
import { mountEndpoint } from '../endpoints/scim-endpoint.js';
import type { ScimDeps } from '../http/context.js';
import * as service from './user.service.js';
import { userToScim } from './user-representation.js';

export function registerUserRoutes(router: Router, deps: ScimDeps): void {
  mountEndpoint(router, deps, {
    type: userResourceType,
    // A POST or PUT body as a User's canonical attributes (400 when it is not one).
    parseResource: (body) => normalizeResource(userResourceType, body),
    notFound: service.notFound,
    service: {
      create: service.createUser,
      get: service.getUser,
      replace: service.replaceUser,
      patch: service.patchUser,
      remove: service.deleteUser,
      list: service.listUsers,
    },
    // A delete always may remove a manager.
    removeLocksOrganization: true,
    related: { attribute: 'groups', load: service.groupsOf },
    render: userToScim,
  });
}
