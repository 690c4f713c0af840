/**
 * `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9), applied to a resource as it
 * is about to be returned.
 */
import type { Filter } from '../filter/ast.js';
import { matchesFilter } from '../filter/evaluate.js';
import { parsePatchPath } from '../filter/parser.js';
import { findExtension, resolveAttribute } from '../schema/resolve.js';
import type { ResourceTypeDefinition } from '../schema/types.js';

interface Selector {
  /** Extension URN for extension attributes, `undefined` for core and common ones. */
  extension: string | undefined;
  /** Canonical attribute name, or `undefined` when the whole extension is selected. */
  attr: string | undefined;
  sub: string | undefined;
  /** Only with `attributes`: `emails[type eq "work"]` keeps the matching elements. */
  filter: Filter | undefined;
}

export interface Projection {
  attributes: Selector[] | undefined;
  excluded: Selector[];
}

const ALWAYS = new Set(['id', 'schemas']);

function parseList(type: ResourceTypeDefinition, text: string | undefined): Selector[] {
  if (!text) return [];
  const selectors: Selector[] = [];
  for (const item of text.split(',')) {
    const trimmed = item.trim();
    if (!trimmed) continue;
    const wholeExtension = findExtension(type, trimmed);
    if (wholeExtension) {
      selectors.push({ extension: wholeExtension.id, attr: undefined, sub: undefined, filter: undefined });
      continue;
    }
    const path = parsePatchPath(trimmed);
    const sub = path.kind === 'valuePath' ? path.sub : path.path.sub;
    const resolved = resolveAttribute(type, { ...path.path, sub });
    // Unknown names select nothing, as RFC 7644 allows; an IdP asking for an attribute we do not
    // have must not fail its whole read.
    if (!resolved) continue;
    selectors.push({
      extension: resolved.extension,
      attr: resolved.attribute.name,
      sub: resolved.sub?.name,
      filter: path.kind === 'valuePath' ? path.filter : undefined,
    });
  }
  return selectors;
}

/** Parses the two query parameters; throws `invalidPath` for malformed names. */
export function parseProjection(
  type: ResourceTypeDefinition,
  attributes: string | undefined,
  excludedAttributes: string | undefined,
): Projection {
  const selected = attributes?.trim() ? parseList(type, attributes) : undefined;
  return { attributes: selected, excluded: selected ? [] : parseList(type, excludedAttributes) };
}

export const NO_PROJECTION: Projection = { attributes: undefined, excluded: [] };

/**
 * Whether any part of a top-level attribute will be returned. The server asks this before it
 * reads costly attributes: `excludedAttributes=members` must not read a group's members.
 */
export function isAttributeReturned(projection: Projection, attr: string, extension?: string): boolean {
  const same = (s: Selector) => s.extension === extension && (s.attr === attr || s.attr === undefined);
  if (projection.attributes) return projection.attributes.some(same);
  return !projection.excluded.some((s) => same(s) && s.sub === undefined && s.filter === undefined);
}

function applyToValue(value: unknown, selectors: Selector[], include: boolean): unknown {
  // A whole-attribute selector decides alone.
  if (selectors.some((s) => s.sub === undefined && s.filter === undefined))
    return include ? value : undefined;
  const subs = new Set(selectors.flatMap((s) => (s.sub ? [s.sub] : [])));
  const filters = selectors.flatMap((s) => (s.filter ? [s.filter] : []));
  const shape = (element: unknown) => {
    if (typeof element !== 'object' || element === null) return element;
    if (subs.size === 0) return element;
    const entries = Object.entries(element).filter(([k]) => subs.has(k) === include);
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  };
  if (Array.isArray(value)) {
    const kept = value
      .filter((element) => filters.length === 0 || filters.some((f) => matchesFilter(f, element)) === include)
      .map(shape)
      .filter((element) => element !== undefined);
    return kept.length > 0 ? kept : undefined;
  }
  return shape(value);
}

function projectAttributes(
  object: Record<string, unknown>,
  extension: string | undefined,
  projection: Projection,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (extension === undefined && ALWAYS.has(key)) {
      out[key] = value;
      continue;
    }
    const matching = (list: Selector[]) =>
      list.filter((s) => s.extension === extension && (s.attr === key || s.attr === undefined));
    let result: unknown = value;
    if (projection.attributes) {
      const selectors = matching(projection.attributes);
      result = selectors.length > 0 ? applyToValue(value, selectors, true) : undefined;
    } else {
      const selectors = matching(projection.excluded);
      if (selectors.length > 0) result = applyToValue(value, selectors, false);
    }
    if (result !== undefined) out[key] = result;
  }
  return out;
}

/** Applies a projection to a full output resource (with `schemas`, `id`, `meta`, extension objects). */
export function project(
  type: ResourceTypeDefinition,
  resource: Record<string, unknown>,
  projection: Projection,
): Record<string, unknown> {
  if (!projection.attributes && projection.excluded.length === 0) return resource;
  const extensions = new Set(type.schemaExtensions.map((e) => e.schema.id));
  const core: Record<string, unknown> = {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resource)) {
    if (!extensions.has(key)) core[key] = value;
  }
  Object.assign(out, projectAttributes(core, undefined, projection));
  for (const urn of extensions) {
    const value = resource[urn];
    if (typeof value !== 'object' || value === null) continue;
    const projected = projectAttributes(value as Record<string, unknown>, urn, projection);
    if (Object.keys(projected).length > 0) out[urn] = projected;
  }
  return out;
}
