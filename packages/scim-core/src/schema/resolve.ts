import type { AttributePath } from '../filter/ast.js';
import { commonAttributes } from './definitions.js';
import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from './types.js';

export interface ResolvedAttribute {
  /**
   * Where the attribute lives in a stored resource: `undefined` for common and core attributes
   * (top level), or the extension schema URN whose object holds it.
   */
  extension: string | undefined;
  attribute: AttributeDefinition;
  sub: AttributeDefinition | undefined;
}

const lower = (s: string) => s.toLowerCase();

export function findAttribute(
  list: readonly AttributeDefinition[],
  name: string,
): AttributeDefinition | undefined {
  const wanted = lower(name);
  return list.find((a) => lower(a.name) === wanted);
}

/** The extension schema of `type` whose URN is `urn` (case-insensitive), if any. */
export function findExtension(type: ResourceTypeDefinition, urn: string): SchemaDefinition | undefined {
  const wanted = lower(urn);
  return type.schemaExtensions.find((e) => lower(e.schema.id) === wanted)?.schema;
}

/**
 * Resolves a client-written attribute path against a resource type, case-insensitively
 * (RFC 7644 §3.10). Unqualified names are looked up in the common attributes, then the core
 * schema, then the extensions: Azure AD has been seen sending `manager[value eq "…"]` without the
 * enterprise URN. Returns `undefined` for unknown attributes; the caller chooses the error.
 */
export function resolveAttribute(
  type: ResourceTypeDefinition,
  path: AttributePath,
): ResolvedAttribute | undefined {
  let found: { extension: string | undefined; attribute: AttributeDefinition } | undefined;
  if (path.uri !== undefined) {
    if (lower(path.uri) === lower(type.schema.id)) {
      const attribute =
        findAttribute(type.schema.attributes, path.attr) ?? findAttribute(commonAttributes, path.attr);
      if (attribute) found = { extension: undefined, attribute };
    } else {
      const extension = findExtension(type, path.uri);
      const attribute = extension && findAttribute(extension.attributes, path.attr);
      if (extension && attribute) found = { extension: extension.id, attribute };
    }
  } else {
    const attribute =
      findAttribute(commonAttributes, path.attr) ?? findAttribute(type.schema.attributes, path.attr);
    if (attribute) {
      found = { extension: undefined, attribute };
    } else {
      for (const { schema } of type.schemaExtensions) {
        const candidate = findAttribute(schema.attributes, path.attr);
        if (candidate) {
          found = { extension: schema.id, attribute: candidate };
          break;
        }
      }
    }
  }
  if (!found) return undefined;
  if (path.sub === undefined) return { ...found, sub: undefined };
  const sub = found.attribute.subAttributes && findAttribute(found.attribute.subAttributes, path.sub);
  return sub ? { ...found, sub } : undefined;
}
