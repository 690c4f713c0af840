/**
 * Turns what a client sent into Roster's canonical stored form: known attributes under their
 * schema names, extension attributes under their URN, values coerced to their declared type.
 *
 * Leniencies (each one a shape real IdPs or Microsoft's reference tests send; listed in
 * docs/scim-features.md):
 * - attribute names match case-insensitively (RFC 7643 §2.1), unknown attributes are ignored;
 * - `null` and `[]` mean "no value" (Entra's 2019 bodies carry explicit nulls);
 * - booleans may be the strings "True"/"False" (Entra's default PATCH mode, the SCIM Validator);
 * - a multi-valued attribute may be a single object, and a multi-valued complex element may be a
 *   bare string, which means `{ "value": <string> }` (Microsoft's "garbage" group tests);
 * - numbers and booleans sent for string attributes are kept as their text;
 * - read-only attributes (`id`, `meta`, `groups`, …) are ignored on input (RFC 7644 §3.5.1).
 * Strings are otherwise stored exactly as sent: an IdP compares what it reads back with what it
 * sent, and any reformatting makes it send the same change on every cycle.
 */
import { describeValue } from '../describe-value.js';
import { scimErrors } from '../errors.js';
import { commonAttributes } from '../schema/definitions.js';
import { findAttribute, findExtension } from '../schema/resolve.js';
import type { AttributeDefinition, ResourceTypeDefinition } from '../schema/types.js';

/** The canonical attributes of a resource, without `id`, `meta` and `schemas`. */
export type ResourceData = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether a value counts as "no value" (RFC 7643 §2.5: null and empty arrays are unassigned). */
export function isEmptyValue(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    (Array.isArray(value) && value.length === 0) ||
    (isPlainObject(value) && Object.keys(value).length === 0)
  );
}

function coerceBoolean(value: unknown, where: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === 'true') return true;
    if (text === 'false') return false;
  }
  throw scimErrors.invalidValue(`${where} must be a boolean (true or false), got ${describeValue(value)}.`);
}

function coerceSimple(def: AttributeDefinition, value: unknown, where: string): unknown {
  switch (def.type) {
    case 'boolean':
      return coerceBoolean(value, where);
    case 'integer':
    case 'decimal': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n) || (def.type === 'integer' && !Number.isInteger(n))) {
        throw scimErrors.invalidValue(
          `${where} must be ${def.type === 'integer' ? 'an integer' : 'a number'}.`,
        );
      }
      return n;
    }
    case 'dateTime': {
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
        throw scimErrors.invalidValue(`${where} must be an ISO 8601 date-time string.`);
      }
      return value;
    }
    default: {
      if (typeof value === 'string') return value;
      if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean')
        return String(value);
      throw scimErrors.invalidValue(`${where} must be a string, got ${describeValue(value)}.`);
    }
  }
}

/** Normalizes one complex value against its sub-attributes; returns undefined when nothing is left. */
function normalizeComplex(
  def: AttributeDefinition,
  value: unknown,
  where: string,
  options: NormalizeOptions,
): Record<string, unknown> | undefined {
  if (!isPlainObject(value)) {
    // `"manager": "<id>"` (Entra's PATCH shape, also seen in bodies) and bare member ids mean `{ value }`.
    const hasValue = def.subAttributes?.some((s) => s.name === 'value');
    if (hasValue && (typeof value === 'string' || typeof value === 'number')) {
      return value === '' ? undefined : { value: String(value) };
    }
    throw scimErrors.invalidValue(`${where} must be an object.`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(value)) {
    const sub = findAttribute(def.subAttributes ?? [], key);
    if (!sub || isEmptyValue(raw)) continue;
    if (sub.mutability === 'readOnly' && !options.keepReadOnly) continue;
    out[sub.name] = coerceSimple(sub, raw, `${where}.${sub.name}`);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export interface NormalizeOptions {
  /** Keep read-only sub-attributes (used when re-reading stored data); input normally drops them. */
  keepReadOnly?: boolean;
}

/**
 * Normalizes the value of one attribute. Returns `undefined` for "no value", so callers can
 * delete the attribute.
 */
export function normalizeAttributeValue(
  def: AttributeDefinition,
  value: unknown,
  where: string = def.name,
  options: NormalizeOptions = {},
): unknown {
  if (isEmptyValue(value)) return undefined;
  if (def.multiValued) {
    const items = Array.isArray(value) ? value : [value];
    const out: unknown[] = [];
    items.forEach((item, i) => {
      if (isEmptyValue(item)) return;
      const normalized =
        def.type === 'complex'
          ? normalizeComplex(def, item, `${where}[${i}]`, options)
          : coerceSimple(def, item, `${where}[${i}]`);
      if (normalized !== undefined) out.push(normalized);
    });
    return out.length > 0 ? out : undefined;
  }
  if (def.type === 'complex') return normalizeComplex(def, value, where, options);
  return coerceSimple(def, value, where);
}

/** Attributes that input never sets: server-assigned, read-only, or never stored. */
function isIgnoredOnInput(def: AttributeDefinition): boolean {
  return def.mutability === 'readOnly' || def.name === 'password';
}

/**
 * Normalizes a whole resource body (POST or PUT). Checks required attributes; `id`, `meta`,
 * `schemas` and read-only attributes are dropped.
 */
export function normalizeResource(type: ResourceTypeDefinition, body: unknown): ResourceData {
  if (!isPlainObject(body)) {
    throw scimErrors.invalidSyntax('The request body must be a JSON object describing the resource.');
  }
  const out: ResourceData = {};
  for (const [key, raw] of Object.entries(body)) {
    const extension = findExtension(type, key);
    if (extension) {
      if (isEmptyValue(raw)) continue;
      if (!isPlainObject(raw)) throw scimErrors.invalidValue(`"${extension.id}" must be an object.`);
      const ext: Record<string, unknown> = {};
      for (const [extKey, extRaw] of Object.entries(raw)) {
        const def = findAttribute(extension.attributes, extKey);
        if (!def || isIgnoredOnInput(def)) continue;
        const value = normalizeAttributeValue(def, extRaw, def.name);
        if (value !== undefined) ext[def.name] = value;
      }
      if (Object.keys(ext).length > 0) out[extension.id] = ext;
      continue;
    }
    const def = findAttribute(commonAttributes, key) ?? findAttribute(type.schema.attributes, key);
    if (!def || isIgnoredOnInput(def)) continue;
    const value = normalizeAttributeValue(def, raw, def.name);
    if (value !== undefined) out[def.name] = value;
  }
  assertRequired(type, out);
  return out;
}

/** Throws `invalidValue` naming the first required attribute that has no value. */
export function assertRequired(type: ResourceTypeDefinition, data: ResourceData): void {
  for (const def of type.schema.attributes) {
    if (def.required && isEmptyValue(data[def.name])) {
      throw scimErrors.invalidValue(`"${def.name}" is required for a ${type.name}.`);
    }
  }
  if (typeof data.userName === 'string' && data.userName.trim() === '') {
    throw scimErrors.invalidValue('"userName" must not be blank.');
  }
  if (typeof data.displayName === 'string' && type.name === 'Group' && data.displayName.trim() === '') {
    throw scimErrors.invalidValue('"displayName" must not be blank.');
  }
}
