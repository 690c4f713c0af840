/**
 * The one scope this authorization server grants: `scim`. A request may omit it (Entra's
 * validation harness does) or name it, space- or comma-separated (Ping's connector takes a
 * comma-delimited list, and how it sends it is undocumented); anything else is `invalid_scope`.
 */
import { SCIM_SCOPE } from '@roster/auth/access-tokens';

export function grantableScope(requested: string | undefined): string | undefined {
  const scopes = (requested ?? '').split(/[\s,]+/).filter(Boolean);
  return scopes.every((scope) => scope === SCIM_SCOPE) ? SCIM_SCOPE : undefined;
}

export const SCOPE_REFUSED = `This authorization server grants only the "${SCIM_SCOPE}" scope: request "${SCIM_SCOPE}" or no scope.`;
