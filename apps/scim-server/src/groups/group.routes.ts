/** /Groups: the Group endpoint declared as data (endpoints/scim-endpoint.ts builds its routes). */
import type Router from '@koa/router';
import { ScimError } from '@roster/scim-core/errors';
import { type MemberReference, memberReferences } from '@roster/scim-core/patch';
import { normalizeResource } from '@roster/scim-core/resource';
import { groupResourceType } from '@roster/scim-core/schema';
import type { Middleware } from 'koa';
import { mountEndpoint } from '../endpoints/scim-endpoint.js';
import { type ScimDeps, tenantOf } from '../http/context.js';
import * as service from './group.service.js';
import { groupToScim } from './group-representation.js';

/** The members listed in a POST or PUT body, read like PATCH member values. */
function membersOf(body: unknown): MemberReference[] {
  if (typeof body !== 'object' || body === null) return [];
  const key = Object.keys(body).find((k) => k.toLowerCase() === 'members');
  return key === undefined ? [] : memberReferences((body as Record<string, unknown>)[key]);
}

/** A POST or PUT body as a Group's canonical attributes and members (400 when it is not one), at the edge. */
function parseGroup(body: unknown): service.GroupInput {
  const { members: _members, ...data } = normalizeResource(groupResourceType, body);
  return { data, members: membersOf(body) };
}

/**
 * Every /Groups request first passes this gate: the organization must hand group management to
 * the IdP (docs/reference/product.md#what-provisioning-does: without group sync, 403 naming the setting).
 */
export const groupSyncGate: Middleware = async (ctx, next) => {
  if (!tenantOf(ctx).switches.syncGroups) {
    throw new ScimError(
      403,
      'Group provisioning is off for this organization: an administrator turns on "Sync SCIM groups" under Identity configuration > Provisioning (it needs RBAC). Until then, provision users only.',
    );
  }
  await next();
};

export function registerGroupRoutes(router: Router, deps: ScimDeps): void {
  mountEndpoint(router, deps, {
    type: groupResourceType,
    gate: groupSyncGate,
    parseResource: parseGroup,
    notFound: service.notFound,
    service: {
      create: service.createGroup,
      get: service.getGroup,
      replace: service.replaceGroup,
      patch: service.patchGroup,
      remove: service.deleteGroup,
      list: service.listGroups,
    },
    related: { attribute: 'members', load: service.membershipsOf },
    render: groupToScim,
  });
}
