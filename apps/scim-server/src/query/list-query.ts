/**
 * The query parameters of a list or `.search` request (RFC 7644 §3.4.2, §3.4.3), validated
 * once, at the edge.
 */
import { scimErrors } from '@roster/scim-core/errors';
import { type AttributePath, type Filter, parseAttributePath, parseFilter } from '@roster/scim-core/filter';

export interface ListQuery {
  filter: Filter | undefined;
  /** 1-based, as in SCIM. */
  startIndex: number;
  count: number;
  sortBy: AttributePath | undefined;
  sortOrder: 'ascending' | 'descending';
  attributes: string | undefined;
  excludedAttributes: string | undefined;
}

export const DEFAULT_PAGE_SIZE = 100;

/** Reads one parameter; a parameter given twice is ambiguous and refused. */
function single(params: Record<string, unknown>, name: string): string | undefined {
  const key = Object.keys(params).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : params[key];
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value))
    throw scimErrors.invalidValue(`The "${name}" parameter was given more than once.`);
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') throw scimErrors.invalidValue(`The "${name}" parameter must be a string.`);
  return value;
}

function integer(params: Record<string, unknown>, name: string): number | undefined {
  const raw = single(params, name)?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (!/^[+-]?\d{1,15}$/.test(raw)) {
    throw scimErrors.invalidValue(
      `The "${name}" parameter must be a whole number, got "${raw.slice(0, 40)}".`,
    );
  }
  return Number(raw);
}

/**
 * `attributes` / `excludedAttributes`: a comma-separated string, or a list of strings. RFC 7644
 * §3.4.3 makes them "a multi-valued list of strings" in a `.search` body, where `single()` refused
 * `["displayName"]` as a parameter given twice; a repeated query parameter joins the same way.
 */
function attributeNames(params: Record<string, unknown>, name: string): string | undefined {
  const key = Object.keys(params).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : params[key];
  if (!Array.isArray(value)) return single(params, name);
  if (!value.every((item) => typeof item === 'string')) {
    throw scimErrors.invalidValue(`The "${name}" parameter must be a list of attribute names.`);
  }
  return value.join(',');
}

/** Parses list parameters from a query string or a `.search` body (names matched case-insensitively). */
export function parseListQuery(params: Record<string, unknown>, maxPageSize: number): ListQuery {
  const filterText = single(params, 'filter');
  const sortByText = single(params, 'sortBy');
  const sortOrderText = single(params, 'sortOrder');
  if (sortOrderText !== undefined && !/^(ascending|descending)$/i.test(sortOrderText)) {
    throw scimErrors.invalidValue('The "sortOrder" parameter must be "ascending" or "descending".');
  }
  // RFC 7644 §3.4.2.4: startIndex below 1 means 1; a negative count means 0; a count above the
  // server's maximum is lowered to it.
  const startIndex = Math.max(1, integer(params, 'startIndex') ?? 1);
  const count = Math.min(maxPageSize, Math.max(0, integer(params, 'count') ?? DEFAULT_PAGE_SIZE));
  return {
    filter: filterText !== undefined && filterText.trim() !== '' ? parseFilter(filterText) : undefined,
    startIndex,
    count,
    sortBy: sortByText ? parseAttributePath(sortByText) : undefined,
    sortOrder: sortOrderText?.toLowerCase() === 'descending' ? 'descending' : 'ascending',
    ...projectionParameters(params),
  };
}

/** `attributes` and `excludedAttributes` of any request (single resources honour them too). */
export function projectionParameters(params: Record<string, unknown>) {
  return {
    attributes: attributeNames(params, 'attributes'),
    excludedAttributes: attributeNames(params, 'excludedAttributes'),
  };
}

export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

export function listResponse(totalResults: number, startIndex: number, resources: unknown[]) {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
