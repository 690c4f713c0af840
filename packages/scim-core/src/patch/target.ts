/**
 * Resolves what a PATCH operation points at: a `path` (RFC 7644 §3.5.2) or a key of a path-less
 * value, against a resource type's schemas, case-insensitively.
 */
import { isScimError, scimErrors } from '../errors.js';
import type { AttributePath, Filter, PatchPath } from '../filter/ast.js';
import { parsePatchPath } from '../filter/parser.js';
import { findAttribute, findExtension, resolveAttribute } from '../schema/resolve.js';
import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from '../schema/types.js';

/** The whole extension object, e.g. path `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`. */
export interface ExtensionTarget {
  kind: 'extension';
  schema: SchemaDefinition;
}

export interface AttributeTarget {
  kind: 'attribute';
  /** The extension URN whose object holds the attribute, `undefined` for core and common attributes. */
  extension: string | undefined;
  def: AttributeDefinition;
  sub: AttributeDefinition | undefined;
  filter: Filter | undefined;
  /** How to name the target in error details. */
  label: string;
}

export type Target = ExtensionTarget | AttributeTarget;

/**
 * Resolves an operation's `path`.
 * @throws ScimError invalidPath (malformed or unknown), mutability (read-only)
 */
export function resolvePath(type: ResourceTypeDefinition, text: string): Target {
  const whole = findExtension(type, text);
  if (whole) return { kind: 'extension', schema: whole };
  let parsed: PatchPath;
  try {
    parsed = parsePatchPath(text);
  } catch (error) {
    const reason = isScimError(error) ? error.detail : String(error);
    throw scimErrors.invalidPath(`path ${JSON.stringify(text)} is not a valid SCIM path: ${reason}`);
  }
  const target = resolveParsed(type, parsed);
  if (target.kind === 'extension') return target;
  if (!target.def)
    throw scimErrors.invalidPath(`path ${JSON.stringify(text)}: ${unknownReason(type, parsed)}.`);
  const resolved = { ...target, def: target.def };
  checkWritable(resolved);
  checkFilter(resolved);
  return resolved;
}

/**
 * Resolves a key of a path-less `add`/`replace` value (`displayName`, `name.givenName`, a URN-qualified
 * attribute). Returns `undefined` for keys to ignore: unknown or malformed names, and read-only
 * attributes, which a path-less value may echo back just as a POST body may (RFC 7644 §3.5.1).
 */
export function resolveKey(type: ResourceTypeDefinition, key: string): Target | undefined {
  const whole = findExtension(type, key);
  if (whole) return { kind: 'extension', schema: whole };
  let parsed: PatchPath;
  try {
    parsed = parsePatchPath(key);
  } catch {
    return undefined;
  }
  const target = resolveParsed(type, parsed);
  if (target.kind === 'extension') return target;
  if (!target.def || target.def.mutability === 'readOnly' || target.sub?.mutability === 'readOnly')
    return undefined;
  const resolved = { ...target, def: target.def };
  checkFilter(resolved);
  return resolved;
}

type Draft = ExtensionTarget | (Omit<AttributeTarget, 'def'> & { def: AttributeDefinition | undefined });

function resolveParsed(type: ResourceTypeDefinition, parsed: PatchPath): Draft {
  let path: AttributePath = parsed.kind === 'valuePath' ? withSub(parsed.path, parsed.sub) : parsed.path;
  if (path.uri !== undefined) {
    const extension = findExtension(type, `${path.uri}:${path.attr}`);
    // `urn:…:enterprise:2.0:User` parses as uri `urn:…:enterprise:2.0`, attr `User`: the whole extension.
    if (extension && path.sub === undefined && parsed.kind === 'attribute')
      return { kind: 'extension', schema: extension };
    // `urn:…:enterprise:2.0:User.manager`: the dot notation Entra used for extension attributes before
    // its 2018 fix (docs/reference/entra.md#compliance-history).
    if (extension && path.sub !== undefined) path = { uri: extension.id, attr: path.sub };
  }
  const resolved = resolveAttribute(type, path);
  const label = labelOf(resolved?.attribute.name ?? path.attr, resolved?.sub?.name ?? path.sub);
  return {
    kind: 'attribute',
    extension: resolved?.extension,
    def: resolved?.attribute,
    sub: resolved?.sub,
    filter: parsed.kind === 'valuePath' ? parsed.filter : undefined,
    label,
  };
}

function withSub(path: AttributePath, sub: string | undefined): AttributePath {
  return sub === undefined ? path : { ...path, sub };
}

const labelOf = (attr: string, sub: string | undefined) => (sub === undefined ? attr : `${attr}.${sub}`);

function unknownReason(type: ResourceTypeDefinition, parsed: PatchPath): string {
  const path = parsed.path;
  const sub = parsed.kind === 'valuePath' ? parsed.sub : path.sub;
  const base = resolveAttribute(type, { ...path, sub: undefined });
  if (!base) {
    const name = path.uri === undefined ? `"${path.attr}"` : `"${path.attr}" in schema "${path.uri}"`;
    return `a ${type.name} has no attribute ${name}`;
  }
  return `"${base.attribute.name}" has no sub-attribute "${sub}"`;
}

function checkWritable(target: AttributeTarget): void {
  const { def, sub, label } = target;
  if (def.mutability === 'readOnly' || sub?.mutability === 'readOnly') {
    throw scimErrors.mutability(`"${label}" is read-only and cannot be modified.`);
  }
}

/** A filter selects elements of a complex attribute by their sub-attributes, so it must name those. */
function checkFilter(target: AttributeTarget): void {
  const { def, filter } = target;
  if (!filter) return;
  if (def.type !== 'complex') {
    throw scimErrors.invalidPath(`"${def.name}" has no sub-attributes; a [filter] cannot select from it.`);
  }
  for (const path of filterPaths(filter)) {
    const known = findAttribute(def.subAttributes ?? [], path.attr) !== undefined;
    if (!known || path.sub !== undefined || path.uri !== undefined) {
      throw scimErrors.invalidPath(
        `the filter on "${def.name}" names "${labelOf(path.attr, path.sub)}", which is not a sub-attribute of "${def.name}".`,
      );
    }
  }
}

function filterPaths(filter: Filter): AttributePath[] {
  switch (filter.kind) {
    case 'compare':
    case 'present':
      return [filter.path];
    case 'and':
    case 'or':
      return [...filterPaths(filter.left), ...filterPaths(filter.right)];
    case 'not':
      return filterPaths(filter.filter);
    case 'valuePath':
      return [filter.path];
  }
}
