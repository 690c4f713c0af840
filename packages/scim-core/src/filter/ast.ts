/**
 * The filter AST (RFC 7644 §3.4.2.2). The parser produces it from text; the SQL compiler in the
 * server and the PATCH engine consume it. Names are kept as the client wrote them: resolving them
 * against a schema (case-insensitively) is the consumer's job, because only it knows the resource type.
 */

/** The comparison operators (`pr` is not one: it takes no value). */
export const COMPARE_OPERATORS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'] as const;
export type CompareOperator = (typeof COMPARE_OPERATORS)[number];

export type FilterValue = string | number | boolean | null;

/**
 * An attribute path: `[uri:]attr[.sub]`. `uri` is the schema URN prefix when the client wrote one
 * (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department` → uri
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`, attr `department`).
 */
export interface AttributePath {
  uri?: string;
  attr: string;
  sub?: string;
}

export type Filter =
  | { kind: 'compare'; path: AttributePath; op: CompareOperator; value: FilterValue }
  | { kind: 'present'; path: AttributePath }
  | { kind: 'and'; left: Filter; right: Filter }
  | { kind: 'or'; left: Filter; right: Filter }
  | { kind: 'not'; filter: Filter }
  /**
   * `emails[type eq "work" and value co "x"]`: `path` names the multi-valued attribute (no `sub`),
   * and the paths inside `filter` are relative to one of its elements (their `attr` is a
   * sub-attribute name such as `type`).
   */
  | { kind: 'valuePath'; path: AttributePath; filter: Filter };

/** A PATCH path (RFC 7644 §3.5.2): an attribute path, optionally filtered, optionally with a sub-attribute after the filter. */
export type PatchPath =
  | { kind: 'attribute'; path: AttributePath }
  /** `emails[type eq "work"].value`: `path` is the multi-valued attribute, `sub` the sub-attribute after `]`. */
  | { kind: 'valuePath'; path: AttributePath; filter: Filter; sub?: string };
