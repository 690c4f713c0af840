/**
 * Evaluates a filter against one JSON object in memory. The PATCH engine uses it to pick the elements
 * of a multi-valued attribute that a value-path filter (`emails[type eq "work"]`) selects; the
 * database does the filtering for list requests, so this favours clarity over speed.
 */
import { findAttribute } from '../schema/resolve.js';
import type { AttributeDefinition } from '../schema/types.js';
import type { AttributePath, Filter, FilterValue } from './ast.js';
import { compareValue } from './compare.js';

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Property lookup by attribute name, case-insensitive as RFC 7643 §2.1 requires; an exact match wins. */
function getKey(value: unknown, name: string): unknown {
  if (!isObject(value)) return undefined;
  if (Object.hasOwn(value, name)) return value[name];
  const wanted = name.toLowerCase();
  const key = Object.keys(value).find((k) => k.toLowerCase() === wanted);
  return key === undefined ? undefined : value[key];
}

/** Multi-valued attributes match when any value does, so every lookup yields a flat list. */
const asList = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

interface Located {
  values: unknown[];
  definition: AttributeDefinition | undefined;
}

/** The values `path` names in `element`, and the schema definition that governs them, if known. */
function locate(element: unknown, path: AttributePath, attributes: readonly AttributeDefinition[]): Located {
  // A URN-qualified path reads from the extension object when there is one (`urn:…:enterprise:2.0:User`);
  // a core schema URN has none, and then names a top-level attribute.
  const extension = path.uri === undefined ? undefined : getKey(element, path.uri);
  const container = isObject(extension) ? extension : element;
  let raw = getKey(container, path.attr);
  // Inside `tags[value eq "x"]` on a multi-valued *simple* attribute, each element is a bare string;
  // `value` then means the element itself.
  if (!isObject(element) && path.uri === undefined && path.attr.toLowerCase() === 'value') raw = element;
  const definition = findAttribute(attributes, path.attr);
  if (path.sub === undefined) return { values: asList(raw), definition };
  const sub = path.sub;
  return {
    values: asList(raw).flatMap((item) => asList(getKey(item, sub))),
    definition: definition?.subAttributes && findAttribute(definition.subAttributes, sub),
  };
}

/** RFC 7644 `pr`: a non-null, non-empty value, or a complex value with at least one such sub-attribute. */
function isPresent(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return false;
  if (Array.isArray(value)) return value.some(isPresent);
  if (isObject(value)) return Object.values(value).some(isPresent);
  return true;
}

/**
 * Collects the operands of a chain of `and` (or `or`) nodes without recursion: the parser builds long
 * chains left-deep, and a thousand-term filter should not cost a thousand stack frames.
 */
function operands(filter: Filter, kind: 'and' | 'or'): Filter[] {
  const out: Filter[] = [];
  const stack: Filter[] = [filter];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.kind === kind) stack.push(node.right, node.left);
    else out.push(node);
  }
  return out;
}

function compare(
  element: unknown,
  filter: Extract<Filter, { kind: 'compare' }>,
  attributes: readonly AttributeDefinition[],
): boolean {
  const { path, op, value } = filter;
  let { values, definition } = locate(element, path, attributes);
  if (path.sub === undefined) {
    // RFC 7644: "emails eq x" compares the `value` sub-attribute of each complex value (also
    // single-valued ones, e.g. Entra's `manager eq "id"`).
    values = values.flatMap((v) => (isObject(v) ? asList(getKey(v, 'value')) : [v]));
    if (definition?.type === 'complex') {
      definition = definition.subAttributes && findAttribute(definition.subAttributes, 'value');
    }
  }
  return compareAny(values, op, value, definition);
}

function compareAny(
  values: unknown[],
  op: Extract<Filter, { kind: 'compare' }>['op'],
  expected: FilterValue,
  definition: AttributeDefinition | undefined,
): boolean {
  // `eq null` / `ne null` ask for absence / presence: a stored null and a missing key mean the same.
  if (expected === null) {
    if (op === 'eq') return !values.some(isPresent);
    if (op === 'ne') return values.some(isPresent);
    return false;
  }
  // An absent attribute is "not equal" to anything, so `not (title eq "x")` and `title ne "x"` agree.
  if (op === 'ne' && !values.some((v) => v !== null)) return true;
  return values.some((v) => v !== null && compareValue(v, op, expected, definition));
}

/**
 * True when `element` (one JSON object, e.g. a resource or one `emails` entry) satisfies `filter`.
 * `attributes` are the definitions of the attributes at this level (a schema's attributes, or the
 * sub-attributes of a complex attribute); they supply caseExact and type. Names are matched
 * case-insensitively; an unknown attribute is compared as a case-insensitive string.
 */
export function matchesFilter(
  filter: Filter,
  element: unknown,
  attributes: readonly AttributeDefinition[] = [],
): boolean {
  switch (filter.kind) {
    case 'and':
      return operands(filter, 'and').every((f) => matchesFilter(f, element, attributes));
    case 'or':
      return operands(filter, 'or').some((f) => matchesFilter(f, element, attributes));
    case 'not':
      return !matchesFilter(filter.filter, element, attributes);
    case 'present':
      return locate(element, filter.path, attributes).values.some(isPresent);
    case 'compare':
      return compare(element, filter, attributes);
    case 'valuePath': {
      const { values, definition } = locate(element, filter.path, attributes);
      // For a simple multi-valued attribute, `value` inside the brackets is the element, governed by
      // the attribute's own definition.
      const inner =
        definition?.subAttributes ??
        (definition ? [{ ...definition, name: 'value', multiValued: false }] : []);
      return values.some((v) => matchesFilter(filter.filter, v, inner));
    }
  }
}
