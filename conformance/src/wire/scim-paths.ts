/**
 * The attribute paths the simulators map to (`name.givenName`, `emails[type eq "work"].value`,
 * `urn:…:User:manager`): reading a value out of a resource the target returned, writing one into
 * a request body, and comparing what the IdP sent with what came back. Only the forms Entra's and
 * Ping's mappings use are supported; this is the IdP's side, not a SCIM filter engine.
 */

export type Resource = Record<string, unknown>;
export type Scalar = string | boolean;

interface ParsedPath {
  /** The extension schema URN, for `urn:…:User:attr` paths. */
  urn?: string;
  attribute: string;
  filter?: { key: string; value: string };
  sub?: string;
}

const REST = /^(\w+)(?:\[(\w+) eq "([^"]*)"\])?(?:\.(\w+))?$/;

export function parsePath(path: string): ParsedPath {
  let urn: string | undefined;
  let rest = path;
  if (path.toLowerCase().startsWith('urn:')) {
    const colon = path.lastIndexOf(':');
    urn = path.slice(0, colon);
    rest = path.slice(colon + 1);
  }
  const match = REST.exec(rest);
  if (!match) throw new Error(`Unsupported attribute path "${path}"`);
  const [, attribute, key, value, sub] = match;
  return {
    ...(urn ? { urn } : {}),
    attribute: attribute as string,
    ...(key !== undefined ? { filter: { key, value: value as string } } : {}),
    ...(sub ? { sub } : {}),
  };
}

/** Whether the path selects an element of a multi-valued attribute (`emails[type eq "work"].value`). */
export const isValuePath = (path: string) => path.includes('[');

const object = (value: unknown): Resource | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Resource) : undefined;

/**
 * The key a container uses for an attribute: the exact name when present, else the first key in
 * another case (attribute names are case-insensitive, RFC 7643 §2.1), else the name itself. Reads
 * and writes both resolve through it, so a write lands where the read found the value.
 */
function keyOf(container: Resource, name: string): string {
  if (Object.hasOwn(container, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(container).find((k) => k.toLowerCase() === lower) ?? name;
}

function property(container: Resource | undefined, name: string): unknown {
  if (!container) return undefined;
  const key = keyOf(container, name);
  return Object.hasOwn(container, key) ? container[key] : undefined;
}

const sameText = (a: unknown, b: string) => String(a).toLowerCase() === b.toLowerCase();

/** The value at a path; a complex value with only a `value` (the manager) reads as that value. */
export function readPath(resource: Resource, path: string): unknown {
  const { urn, attribute, filter, sub } = parsePath(path);
  const container = urn ? object(property(resource, urn)) : resource;
  let value = property(container, attribute);
  if (filter) {
    const elements = Array.isArray(value) ? value : [];
    value = elements.find((e) => sameText(property(object(e), filter.key), filter.value));
  }
  if (sub) return property(object(value), sub);
  const complex = object(value);
  return complex && 'value' in complex ? complex.value : value;
}

/** A filter value as the element's sub-attribute: `primary eq "True"` means `primary: true`. */
const filterValue = (value: string): Scalar =>
  value.toLowerCase() === 'true' ? true : value.toLowerCase() === 'false' ? false : value;

/**
 * Writes a value at a path, creating the extension object or the filtered element as needed, into
 * the attributes the resource already has in whatever case the target returned them.
 */
export function writePath(resource: Resource, path: string, value: unknown): void {
  const { urn, attribute, filter, sub } = parsePath(path);
  let container = resource;
  if (urn) {
    const key = keyOf(resource, urn);
    container = object(resource[key]) ?? {};
    resource[key] = container;
  }
  const key = keyOf(container, attribute);
  if (filter) {
    const elements = Array.isArray(container[key]) ? (container[key] as Resource[]) : [];
    container[key] = elements;
    let element = elements.find((e) => sameText(property(e, filter.key), filter.value));
    if (!element) {
      element = { [filter.key]: filterValue(filter.value) };
      elements.push(element);
    }
    if (sub) element[keyOf(element, sub)] = value;
    return;
  }
  if (sub) {
    const parent = object(container[key]) ?? {};
    container[key] = parent;
    parent[keyOf(parent, sub)] = value;
    return;
  }
  container[key] = value;
}

/**
 * Whether the target holds exactly what the IdP sent. Strings compare exactly (values are stored
 * as sent); a boolean also matches its string form, which Entra's default mode sends.
 */
export function sameValue(sent: unknown, stored: unknown): boolean {
  if (typeof sent === 'boolean') return stored === sent || sameText(stored, String(sent));
  return stored === sent;
}
