/**
 * Compares one attribute value from a resource with one filter value (RFC 7644 §3.4.2.2). Kept apart
 * from the tree walk in evaluate.ts because the type coercions are where the subtle rules live.
 */
import type { AttributeDefinition } from '../schema/types.js';
import type { CompareOperator } from './ast.js';

/** Values as they may appear in stored JSON or in a filter; null is handled by the caller. */
type Comparable = string | number | boolean;

/**
 * A number written as text. `\d+(?:\.\d*)?` rather than `\d+\.?\d*`: in the latter a run of digits
 * can be split between the two `\d` in n ways, and a long run with a bad ending backtracks n².
 */
const NUMERIC = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
/** xsd:dateTime as SCIM uses it (after upper-casing); the date part alone is accepted too. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;
const STRING_TYPES: ReadonlySet<string> = new Set(['string', 'reference', 'binary']);

/**
 * `actual` is the stored value (anything JSON), `expected` the filter value. A pairing that cannot be
 * compared (a string against a number that is not numeric, an object against anything) matches only `ne`.
 */
export function compareValue(
  actual: unknown,
  op: CompareOperator,
  expected: Comparable,
  definition: AttributeDefinition | undefined,
): boolean {
  const incomparable = op === 'ne';
  // Entra ID sends booleans as "True"/"False" strings, in filters and in resources alike.
  if (typeof expected === 'boolean' || typeof actual === 'boolean') {
    const a = toBoolean(actual);
    const e = toBoolean(expected);
    if (a === undefined || e === undefined) return incomparable;
    if (op === 'eq') return a === e;
    if (op === 'ne') return a !== e;
    return false;
  }
  if (typeof expected === 'number' || typeof actual === 'number') {
    // `employeeNumber eq 701984` on a string attribute compares text, so "0701984" stays distinct.
    if (typeof actual === 'string' && definition && STRING_TYPES.has(definition.type)) {
      return compareStrings(actual, op, String(expected), definition.caseExact);
    }
    const a = toNumber(actual);
    const e = toNumber(expected);
    if (a === undefined || e === undefined) return incomparable;
    return compareOrdered(a, e, op) ?? false;
  }
  if (typeof actual !== 'string') return incomparable;
  if (definition?.type === 'dateTime') {
    const a = parseDateTime(actual);
    const e = parseDateTime(expected);
    const ordered = a !== undefined && e !== undefined ? compareOrdered(a, e, op) : undefined;
    if (ordered !== undefined) return ordered;
  }
  return compareStrings(actual, op, expected, definition?.caseExact ?? false);
}

/** String operators; case-insensitive unless the attribute is caseExact (RFC 7643 §2.2 default false). */
function compareStrings(actual: string, op: CompareOperator, expected: string, caseExact: boolean): boolean {
  const a = caseExact ? actual : actual.toLowerCase();
  const e = caseExact ? expected : expected.toLowerCase();
  switch (op) {
    case 'co':
      return a.includes(e);
    case 'sw':
      return a.startsWith(e);
    case 'ew':
      return a.endsWith(e);
    default:
      // Code-unit order, not locale collation: deterministic, and what ISO timestamps need.
      return compareOrdered(a, e, op) ?? false;
  }
}

/** eq/ne/gt/ge/lt/le on two values of one ordered type; undefined for co/sw/ew, which have no order meaning. */
function compareOrdered<T extends string | number>(a: T, e: T, op: CompareOperator): boolean | undefined {
  switch (op) {
    case 'eq':
      return a === e;
    case 'ne':
      return a !== e;
    case 'gt':
      return a > e;
    case 'ge':
      return a >= e;
    case 'lt':
      return a < e;
    case 'le':
      return a <= e;
    default:
      return undefined;
  }
}

function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const word = value.trim().toLowerCase();
  return word === 'true' ? true : word === 'false' ? false : undefined;
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && NUMERIC.test(value)) return Number(value);
  return undefined;
}

/** Milliseconds since the epoch, or undefined when `value` is not an ISO 8601 date or date-time. */
export function parseDateTime(value: string): number | undefined {
  const text = value.trim().toUpperCase().replace(' ', 'T');
  const match = ISO_DATE_TIME.exec(text);
  if (!match) return undefined;
  // Date.parse reads an offset-less date-time as local time; a server means UTC.
  const utc = text.length > 10 && match[1] === undefined ? `${text}Z` : text;
  const ms = Date.parse(utc);
  return Number.isNaN(ms) ? undefined : ms;
}
