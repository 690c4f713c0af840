/**
 * Small value helpers for the PATCH engine: JSON deep equality, "no value" detection and the coercion
 * of what a client sent for one attribute or sub-attribute into Roster's stored form.
 */
import { describeValue } from '../describe-value.js';
import { scimErrors } from '../errors.js';
import { isEmptyValue, normalizeAttributeValue } from '../resource/normalize.js';
import { findAttribute } from '../schema/resolve.js';
import type { AttributeDefinition } from '../schema/types.js';

export type JsonObject = Record<string, unknown>;

export const isPlainObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep equality of JSON values; object key order does not matter. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, i) => deepEqual(item, b[i]))
    );
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]))
  );
}

/**
 * A text two JSON values share exactly when {@link deepEqual} holds (object keys sorted), so that
 * lists can be de-duplicated with a Set instead of comparing every pair.
 */
export function jsonKey(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(jsonKey).join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${jsonKey(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/**
 * "No value" in a PATCH: null, [] and {} (RFC 7643 §2.5), and also "". The SCIM Validator's null
 * test and Microsoft's manager-removal test send `replace` with `""` and expect the attribute to
 * read back empty. Other strings, even blank ones, are kept as sent.
 */
export function isNoValue(value: unknown): boolean {
  return isEmptyValue(value) || value === '';
}

/** A simple (non-complex) value coerced to `def`'s type, or `undefined` for "no value". */
export function coerceSimple(def: AttributeDefinition, raw: unknown, where: string): unknown {
  if (isNoValue(raw)) return undefined;
  return normalizeAttributeValue({ ...def, multiValued: false }, raw, where);
}

/**
 * The value given for a complex attribute or element, as an object. Microsoft's manager shapes
 * (docs/reference/entra.md#manager) and bare-string members need the generalisation: a string means
 * `{ value: string }`, an array means its first element (the legacy Entra doc's manager example).
 * Returns `undefined` for "no value".
 */
export function complexInput(def: AttributeDefinition, raw: unknown, where: string): JsonObject | undefined {
  let value = raw;
  if (Array.isArray(value)) value = value.find((item) => !isNoValue(item));
  if (isNoValue(value)) return undefined;
  const hasValueSub = findAttribute(def.subAttributes ?? [], 'value') !== undefined;
  if ((typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') && hasValueSub) {
    return { value };
  }
  if (!isPlainObject(value)) {
    throw scimErrors.invalidValue(
      `${where} must be an object of sub-attributes, got ${describeValue(value)}.`,
    );
  }
  return value;
}

/**
 * Applies one sub-attribute as the client wrote it (`key: raw`) to `target`: set when it has a
 * value, delete when it is "no value". Unknown and read-only sub-attributes are ignored, as they
 * are in POST (RFC 7644 §3.5.1): the SCIM Validator echoes `manager.displayName` back.
 * Returns the canonical sub-attribute name it touched, if any.
 */
export function applySubValue(
  def: AttributeDefinition,
  target: JsonObject,
  key: string,
  raw: unknown,
  where: string,
): string | undefined {
  const sub = findAttribute(def.subAttributes ?? [], key);
  if (!sub || sub.mutability === 'readOnly') return undefined;
  const value = coerceSimple(sub, raw, `${where}.${sub.name}`);
  if (value === undefined) delete target[sub.name];
  else target[sub.name] = value;
  return sub.name;
}

/**
 * Normalizes the elements given for a multi-valued attribute. Sub-attributes sent as "" are
 * dropped like nulls, and elements left without content are skipped.
 */
export function multiInput(def: AttributeDefinition, raw: unknown, where: string): unknown[] {
  if (isNoValue(raw)) return [];
  const items = Array.isArray(raw) ? raw : [raw];
  const out: unknown[] = [];
  items.forEach((item, i) => {
    if (def.type !== 'complex') {
      const value = coerceSimple(def, item, `${where}[${i}]`);
      if (value !== undefined) out.push(value);
      return;
    }
    const given = complexInput(def, item, `${where}[${i}]`);
    if (!given) return;
    const element: JsonObject = {};
    for (const [key, sub] of Object.entries(given)) applySubValue(def, element, key, sub, `${where}[${i}]`);
    if (Object.keys(element).length > 0) out.push(element);
  });
  return out;
}

/**
 * The identity of a stored simple value as SCIM compares it: strings case-insensitively unless
 * caseExact, anything else by JSON equality. Two values are the same exactly when their keys are.
 */
export function simpleKey(def: AttributeDefinition | undefined, value: unknown): string {
  if (typeof value === 'string') return `s${def?.caseExact === true ? value : value.toLowerCase()}`;
  return `j${jsonKey(value)}`;
}
