/**
 * The PATCH bodies Entra sends for what differs, in its two modes
 * (docs/reference/entra.md#patch-in-default-mode, #patch-with-aadoptscim062020, #what-the-flag-changes):
 *
 * - default: one capitalized operation per attribute, each with a path; `Add` when the target had
 *   no value, `Replace` otherwise; booleans as the strings "True" and "False";
 * - `aadOptscim062020`: lowercase operations; value-path attributes, `active` (a real boolean) and
 *   the manager one operation each; every other attribute merged into one path-less operation whose
 *   value map has dotted or URN-qualified keys.
 *
 * Group membership: `Add members` with a value array in both modes; removal with a value array by
 * default, and one `remove members[value eq "…"]` per member with the flag (entra.md#group-membership).
 */
import type { Difference } from '../provisioning/object-requests.js';
import { isValuePath } from '../wire/scim-paths.js';
import { MANAGER_PATH } from './mapping.js';

export type EntraMode = 'default' | 'aadOptscim062020';

export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

interface Operation {
  op: string;
  path?: string;
  value?: unknown;
}

const patch = (operations: Operation[]) => ({ schemas: [PATCH_OP], Operations: operations });

export function attributePatch(mode: EntraMode, differences: Difference[]) {
  if (mode === 'default') {
    return patch(
      differences.map((d) => ({
        op: d.present ? 'Replace' : 'Add',
        path: d.path,
        value: typeof d.value === 'boolean' ? (d.value ? 'True' : 'False') : d.value,
      })),
    );
  }
  const operations: Operation[] = [];
  const merged: Record<'add' | 'replace', Record<string, unknown>> = { add: {}, replace: {} };
  for (const d of differences) {
    const op = d.present ? 'replace' : 'add';
    if (isValuePath(d.path) || d.path === 'active' || d.path === MANAGER_PATH)
      operations.push({ op, path: d.path, value: d.value });
    else merged[op][d.path] = d.value;
  }
  for (const op of ['add', 'replace'] as const)
    if (Object.keys(merged[op]).length > 0) operations.push({ op, value: merged[op] });
  return patch(operations);
}

export function addMembersPatch(mode: EntraMode, ids: string[]) {
  return patch([
    { op: mode === 'default' ? 'Add' : 'add', path: 'members', value: ids.map((value) => ({ value })) },
  ]);
}

export function removeMembersPatch(mode: EntraMode, ids: string[]) {
  if (mode === 'default')
    return patch([{ op: 'Remove', path: 'members', value: ids.map((value) => ({ value })) }]);
  return patch(ids.map((id) => ({ op: 'remove', path: `members[value eq "${id}"]` })));
}
