/**
 * What a SCIM User means for the organization's member (docs/reference/product.md#concepts,
 * #what-provisioning-does): the role its `roles` attribute assigns, and the email every member needs to sign in with.
 */
import type { MemberRow, Role } from '@roster/db';
import { memberColumns } from '@roster/directory/members';
import { scimErrors } from '@roster/scim-core/errors';
import type { ResourceData } from '@roster/scim-core/resource';

/** A userName is unique in the organization: the 409 of a create that reuses one. */
export const USER_NAME_TAKEN =
  'A user with this userName already exists in this organization (userName is compared case-insensitively). Look the user up with a filter on userName and update it instead.';

/**
 * The value of one `roles` entry. Entra's AppRoleAssignmentsComplex sends each as a JSON-encoded
 * string `{"id", "value", "displayName"}` (docs/reference/entra.md#roles); other clients send plain values.
 */
function roleValue(entry: unknown): string | undefined {
  const value = typeof entry === 'object' && entry !== null ? (entry as { value?: unknown }).value : entry;
  if (typeof value !== 'string') return undefined;
  if (!value.trimStart().startsWith('{')) return value.trim();
  try {
    const inner = JSON.parse(value) as { value?: unknown };
    return typeof inner.value === 'string' ? inner.value.trim() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The role the `roles` attribute assigns: `manager` when any role's value is "manager"
 * (case-insensitively), else `basic`. Undefined when the resource has no `roles` at all, so that
 * clients which never map roles leave the member's role alone. Other values (an app's own role
 * names) are kept in the resource as sent and give no role.
 */
export function roleFromScim(data: ResourceData): Role | undefined {
  if (!('roles' in data)) return undefined;
  const roles = Array.isArray(data.roles) ? data.roles : [];
  return roles.some((entry) => roleValue(entry)?.toLowerCase() === 'manager') ? 'manager' : 'basic';
}

/** The role after a change: as `roles` now says, or `basic` when the change removed `roles` altogether. */
export function roleAfterChange(before: ResourceData, after: ResourceData): Role | undefined {
  return roleFromScim(after) ?? ('roles' in before ? 'basic' : undefined);
}

/**
 * Whether a change of an active member may take the manager role from them: it deactivates them
 * or lowers their own role. (Their role through groups changes only with group writes.) Such a
 * change runs under the rule that keeps an active manager (writes/keep-a-manager.ts), whether
 * or not the member is a manager now: deciding that from their groups without the
 * organization's lock could miss a group given the manager role meanwhile.
 */
export function mayTakeManagerRole(current: MemberRow, next: ResourceData, role: Role | undefined): boolean {
  if (!current.active) return false;
  return !memberColumns(next).active || (current.role === 'manager' && role === 'basic');
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/**
 * Every member needs an email to sign in with: `userName` in email form (what Ping's set-up asks
 * for, and Entra's default mapping of userPrincipalName), or else a work or primary address in
 * `emails`. The address's form is not checked: Microsoft's reference tests send a non-email
 * userName with a work address "emailName357", and an IdP's emails are stored as sent.
 */
export function assertSignInEmail(data: ResourceData): void {
  if (typeof data.userName === 'string' && EMAIL.test(data.userName.trim())) return;
  const emails = Array.isArray(data.emails) ? (data.emails as Record<string, unknown>[]) : [];
  const usable = emails.some(
    (email) =>
      typeof email?.value === 'string' &&
      email.value.trim() !== '' &&
      (String(email.primary).toLowerCase() === 'true' ||
        (typeof email.type === 'string' && email.type.toLowerCase() === 'work')),
  );
  if (!usable) {
    throw scimErrors.invalidValue(
      `The member has no email to sign in with: userName "${String(data.userName)}" is not an email address and emails has no work or primary address. Map userName to the user's email (e.g. userPrincipalName or mail), or send a work or primary email.`,
    );
  }
}
