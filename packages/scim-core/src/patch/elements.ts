/** Selecting and creating elements of a complex attribute from a PATCH path's `[filter]`. */
import { scimErrors } from '../errors.js';
import type { Filter } from '../filter/ast.js';
import { matchesFilter } from '../filter/evaluate.js';
import { findAttribute } from '../schema/resolve.js';
import type { AttributeTarget } from './target.js';
import { coerceSimple, isPlainObject, type JsonObject } from './values.js';

/**
 * Whether an element matches the target's filter. Names compare case-insensitively and `"True"`
 * equals `true`, so Entra's `roles[primary eq "True"].value` finds a stored boolean.
 */
export function elementMatches(target: AttributeTarget, element: unknown): boolean {
  if (!target.filter || !isPlainObject(element)) return false;
  return matchesFilter(target.filter, element, target.def.subAttributes ?? []);
}

/**
 * The element a filter describes, for `add`/`replace` through a filter that matches nothing:
 * `emails[type eq "work"]` gives `{ type: "work" }`. Only `eq` comparisons joined by `and` describe
 * an element; anything else cannot be turned into one.
 * @throws ScimError noTarget
 */
export function elementFromFilter(target: AttributeTarget): JsonObject {
  const { def, filter } = target;
  const element: JsonObject = {};
  const comparisons = filter ? equalities(filter) : undefined;
  if (!comparisons) {
    throw scimErrors.noTarget(
      `no "${def.name}" element matches the filter, and only a filter of "eq" comparisons joined by "and" ` +
        'describes an element to create.',
    );
  }
  for (const { attr, value } of comparisons) {
    const sub = findAttribute(def.subAttributes ?? [], attr);
    if (!sub) continue;
    const coerced = coerceSimple(sub, value, `${def.name}.${sub.name} in the filter`);
    if (coerced !== undefined) element[sub.name] = coerced;
  }
  return element;
}

function equalities(filter: Filter): { attr: string; value: unknown }[] | undefined {
  if (filter.kind === 'and') {
    const left = equalities(filter.left);
    const right = left && equalities(filter.right);
    return left && right ? [...left, ...right] : undefined;
  }
  if (filter.kind === 'compare' && filter.op === 'eq')
    return [{ attr: filter.path.attr, value: filter.value }];
  return undefined;
}
