/**
 * Entra's default attribute mappings for a non-gallery SCIM app (docs/reference/entra.md#user-create,
 * #groups), as target paths: what a user or group is in the target's terms. The same table builds the POST
 * body, decides what differs after a GET, and names the PATCH paths.
 */
import type { SourceGroup, SourceUser } from '../idp-source/idp-source.js';
import { type Resource, writePath } from '../wire/scim-paths.js';

export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const CORE_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
/** The Microsoft schema URN Entra adds to a group create (docs/reference/entra.md#group-create). */
export const ADSCIM_GROUP = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';
export const MANAGER_PATH = `${ENTERPRISE}:manager`;
/** `SingleAppRoleAssignment([appRoleAssignments])` → `roles[primary eq "True"].value` (entra.md#roles). */
export const ROLE_PATH = 'roles[primary eq "True"].value';

/**
 * The mapped attributes of a user, path → value. Null sources are left out: Entra never sends
 * them (entra.md#provisioning-cycles), so a value once set is never cleared by a missing source value.
 */
export function userAttributes(user: SourceUser): Record<string, unknown> {
  const attributes: Record<string, unknown> = {
    userName: user.userName,
    active: true,
    displayName: user.displayName,
    title: user.jobTitle,
    'emails[type eq "work"].value': user.email,
    'name.givenName': user.givenName,
    'name.familyName': user.familyName,
    'name.formatted': `${user.givenName} ${user.familyName}`,
    'phoneNumbers[type eq "work"].value': user.phone,
    externalId: user.mailNickname,
    [`${ENTERPRISE}:employeeNumber`]: user.employeeId,
    [`${ENTERPRISE}:department`]: user.department,
    [ROLE_PATH]: user.appRole,
  };
  for (const [path, value] of Object.entries(attributes)) if (value === undefined) delete attributes[path];
  return attributes;
}

/**
 * The create body, shaped like Entra's (entra.md#user-create): core and enterprise schemas, `meta`, `roles`.
 */
export function userCreateBody(user: SourceUser): Resource {
  const body: Resource = { schemas: [CORE_USER, ENTERPRISE] };
  for (const [path, value] of Object.entries(userAttributes(user))) writePath(body, path, value);
  const emails = body.emails as Resource[] | undefined;
  if (emails?.[0]) emails[0].primary = true;
  const roles = body.roles as Resource[] | undefined;
  if (roles?.[0]) roles[0].type = 'WindowsAzureActiveDirectoryRole';
  body.roles ??= [];
  body.meta = { resourceType: 'User' };
  return body;
}

/** `displayName` → `displayName` (matching), `objectId` → `externalId` (entra.md#groups). */
export function groupAttributes(group: SourceGroup): Record<string, unknown> {
  return { displayName: group.displayName, externalId: group.key };
}

/** Groups are always created without members; members follow by PATCH (entra.md#group-create). */
export function groupCreateBody(group: SourceGroup): Resource {
  return {
    schemas: [CORE_GROUP, ADSCIM_GROUP],
    ...groupAttributes(group),
    meta: { resourceType: 'Group' },
  };
}
