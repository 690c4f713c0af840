/**
 * Compiles a SCIM filter AST into one parameterised SQL condition. Nothing is evaluated in
 * memory: the attributes IdPs match on (`id`, `userName`, `externalId`, `displayName`, email
 * values, group members) map to indexed columns or side tables; every other attribute is read
 * from the resource's JSONB document. Values are always bound parameters; identifiers come only
 * from our own schema definitions.
 */

import { isUuid } from '@roster/directory/ids';
import type { FilterTarget, Operand, OperandKind, RelatedTable } from '@roster/directory/scim';
import { scimErrors } from '@roster/scim-core/errors';
import type { AttributePath, CompareOperator, Filter, FilterValue } from '@roster/scim-core/filter';
import { type AttributeDefinition, resolveAttribute } from '@roster/scim-core/schema';
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { unstorableText } from '../http/storable-text.js';

/** The sub-attribute names a filter inside brackets refers to. */
function subNamesOf(filter: Filter): string[] {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return [...subNamesOf(filter.left), ...subNamesOf(filter.right)];
    case 'not':
      return subNamesOf(filter.filter);
    default:
      return [filter.path.attr.toLowerCase()];
  }
}

function likePattern(op: 'co' | 'sw' | 'ew', value: string): string {
  const escaped = value.replace(/[\\%_]/g, (c) => `\\${c}`);
  return op === 'co' ? `%${escaped}%` : op === 'sw' ? `${escaped}%` : `%${escaped}`;
}

function kindOf(def: AttributeDefinition): OperandKind {
  switch (def.type) {
    case 'boolean':
      return 'boolean';
    case 'dateTime':
      return 'timestamp';
    case 'integer':
    case 'decimal':
      return 'number';
    default:
      return def.caseExact ? 'text' : 'ci-text';
  }
}

function describe(path: AttributePath): string {
  return [path.uri, path.attr].filter(Boolean).join(':') + (path.sub ? `.${path.sub}` : '');
}

/**
 * The date-times a filter may compare with. JavaScript reads years up to ±275760, but beyond 9999
 * `toISOString()` writes `+275760-…`, which PostgreSQL cannot read, and it has no year 0.
 */
const EARLIEST = Date.parse('0001-01-01T00:00:00.000Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

const SQL_OPS: Record<'eq' | 'gt' | 'ge' | 'lt' | 'le', string> = {
  eq: '=',
  gt: '>',
  ge: '>=',
  lt: '<',
  le: '<=',
};

function booleanValue(value: FilterValue, where: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw scimErrors.invalidFilter(`${where} is a boolean: compare it with true or false.`);
}

/** Builds `operand <op> value`. For JSONB-held values the operand is text and casts happen here. */
export function comparison(
  operand: Operand,
  op: CompareOperator,
  value: FilterValue,
  where: string,
): RawBuilder<SqlBool> {
  const { expr, kind } = operand;
  if (value === null) {
    if (op === 'eq') return sql<SqlBool>`${expr} is null`;
    if (op === 'ne') return sql<SqlBool>`${expr} is not null`;
    throw scimErrors.invalidFilter(`${where}: null can only be compared with eq or ne.`);
  }
  switch (kind) {
    case 'boolean': {
      if (op !== 'eq' && op !== 'ne') throw scimErrors.invalidFilter(`${where} is a boolean: use eq or ne.`);
      const wanted = booleanValue(value, where);
      // Columns are real booleans; JSONB-held ones come out as the text 'true'/'false'.
      const test = sql<SqlBool>`${expr}::boolean = ${wanted}`;
      return op === 'eq' ? test : sql<SqlBool>`(${test}) is not true`;
    }
    case 'timestamp': {
      if (op === 'co' || op === 'sw' || op === 'ew') {
        throw scimErrors.invalidFilter(`${where} is a date-time: use eq, ne, gt, ge, lt or le.`);
      }
      const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
      if (Number.isNaN(time) || time < EARLIEST || time > LATEST) {
        throw scimErrors.invalidFilter(
          `${where} is a date-time: compare it with an ISO 8601 value from year 0001 to 9999, such as "2024-01-31T12:00:00Z".`,
        );
      }
      const iso = new Date(time).toISOString();
      if (op === 'ne') return sql<SqlBool>`${expr}::timestamptz is distinct from ${iso}::timestamptz`;
      return sql<SqlBool>`${expr}::timestamptz ${sql.raw(SQL_OPS[op])} ${iso}::timestamptz`;
    }
    case 'uuid': {
      const text = String(value);
      if (op === 'eq' || op === 'ne') {
        // A value that is not a UUID matches no id; passing it to PostgreSQL would be a cast error.
        if (!isUuid(text)) return op === 'eq' ? sql<SqlBool>`false` : sql<SqlBool>`${expr} is not null`;
        return op === 'eq'
          ? sql<SqlBool>`${expr} = ${text}::uuid`
          : sql<SqlBool>`${expr} is distinct from ${text}::uuid`;
      }
      return comparison({ expr: sql`${expr}::text`, kind: 'ci-text' }, op, text, where);
    }
    case 'number': {
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(n) || op === 'co' || op === 'sw' || op === 'ew') {
        throw scimErrors.invalidFilter(
          `${where} is a number: compare it with a number using eq, ne, gt, ge, lt or le.`,
        );
      }
      if (op === 'ne') return sql<SqlBool>`${expr}::numeric is distinct from ${n}`;
      return sql<SqlBool>`${expr}::numeric ${sql.raw(SQL_OPS[op])} ${n}`;
    }
    default: {
      if (typeof value === 'boolean' && op !== 'eq' && op !== 'ne') {
        throw scimErrors.invalidFilter(`${where}: a boolean value can only be compared with eq or ne.`);
      }
      const text = String(value);
      const unstorable = unstorableText(text);
      if (unstorable) {
        // No stored value contains it, and PostgreSQL would refuse it as a parameter (a 500).
        throw scimErrors.invalidFilter(`${where}: the value contains ${unstorable}.`);
      }
      const fold = kind === 'ci-text';
      const left = fold ? sql`lower(${expr})` : expr;
      const right = fold ? sql`lower(${text})` : sql`${text}`;
      switch (op) {
        case 'ne':
          return sql<SqlBool>`${left} is distinct from ${right}`;
        case 'co':
        case 'sw':
        case 'ew': {
          const pattern = likePattern(op, text);
          return sql<SqlBool>`${left} like ${fold ? sql`lower(${pattern})` : sql`${pattern}`} escape '\\'`;
        }
        default:
          return sql<SqlBool>`${left} ${sql.raw(SQL_OPS[op])} ${right}`;
      }
    }
  }
}

function presence(operand: Operand): RawBuilder<SqlBool> {
  return operand.kind === 'text' || operand.kind === 'ci-text'
    ? sql<SqlBool>`coalesce(${operand.expr} <> '', false)`
    : sql<SqlBool>`${operand.expr} is not null`;
}

/** Combines the logical operators the same way at every scope (resource or one element). */
function compileTree(
  filter: Filter,
  leaf: (f: Filter) => RawBuilder<SqlBool>,
  depth = 0,
): RawBuilder<SqlBool> {
  switch (filter.kind) {
    case 'and':
      return sql<SqlBool>`(${compileTree(filter.left, leaf, depth + 1)} and ${compileTree(filter.right, leaf, depth + 1)})`;
    case 'or':
      return sql<SqlBool>`(${compileTree(filter.left, leaf, depth + 1)} or ${compileTree(filter.right, leaf, depth + 1)})`;
    case 'not':
      // `is not true` so that an absent attribute (SQL NULL) satisfies `not (...)`.
      return sql<SqlBool>`((${compileTree(filter.filter, leaf, depth + 1)}) is not true)`;
    default:
      return leaf(filter);
  }
}

/** A JSONB text accessor for `document -> a -> b ->> c`; names come from our schema, as literals. */
function jsonText(document: RawBuilder<unknown>, keys: string[]): RawBuilder<unknown> {
  const last = keys[keys.length - 1] ?? '';
  const parents = keys.slice(0, -1).map((k) => sql`->${sql.lit(k)}`);
  return sql`(${document}${sql.join(parents, sql``)}->>${sql.lit(last)})`;
}

function jsonValue(document: RawBuilder<unknown>, keys: string[]): RawBuilder<unknown> {
  return sql`(${document}${sql.join(
    keys.map((k) => sql`->${sql.lit(k)}`),
    sql``,
  )})`;
}

/** Compiles a filter that applies to one element of a multi-valued attribute. */
export function compileElementFilter(
  parent: AttributeDefinition,
  filter: Filter,
  operandOf: (sub: AttributeDefinition) => Operand | undefined,
): RawBuilder<SqlBool> {
  return compileTree(filter, (leaf) => {
    if (leaf.kind === 'valuePath')
      throw scimErrors.invalidFilter('Value filters cannot be nested inside brackets.');
    if (leaf.kind !== 'compare' && leaf.kind !== 'present')
      throw scimErrors.invalidFilter('Unsupported filter.');
    const where = `${parent.name}.${leaf.path.attr}`;
    const sub =
      leaf.path.uri === undefined && leaf.path.sub === undefined
        ? parent.subAttributes?.find((a) => a.name.toLowerCase() === leaf.path.attr.toLowerCase())
        : undefined;
    if (!sub) throw scimErrors.invalidFilter(`"${where}" is not a sub-attribute of ${parent.name}.`);
    const operand = operandOf(sub);
    if (!operand) throw scimErrors.invalidFilter(`Filtering on "${where}" is not supported.`);
    return leaf.kind === 'present' ? presence(operand) : comparison(operand, leaf.op, leaf.value, where);
  });
}

/** `orgId`: the organization whose resources are filtered (named as a constant in subqueries). */
export function compileFilter(target: FilterTarget, filter: Filter, orgId: string): RawBuilder<SqlBool> {
  const resolve = (path: AttributePath) => {
    const resolved = resolveAttribute(target.type, path);
    if (!resolved)
      throw scimErrors.invalidFilter(
        `Unknown attribute "${describe(path)}" for ${target.type.name} resources.`,
      );
    return resolved;
  };

  /** Any element of a multi-valued attribute satisfying `elementFilter` (undefined: any element at all). */
  const anyElement = (
    attribute: AttributeDefinition,
    extension: string | undefined,
    elementFilter: Filter | undefined,
  ) => {
    const candidate = extension === undefined ? target.related[attribute.name] : undefined;
    const answerable = (table: RelatedTable) =>
      !elementFilter ||
      subNamesOf(elementFilter).every((name) =>
        Object.keys(table.subs).some((s) => s.toLowerCase() === name),
      );
    const related = candidate && (answerable(candidate) || !candidate.inDocument) ? candidate : undefined;
    if (related) {
      const inner = elementFilter
        ? compileElementFilter(attribute, elementFilter, (sub) => related.subs[sub.name])
        : sql<SqlBool>`true`;
      return sql<SqlBool>`exists (select 1 from ${related.from} where ${related.correlate(orgId)} and ${inner})`;
    }
    const keys = extension ? [extension, attribute.name] : [attribute.name];
    const inner = elementFilter
      ? compileElementFilter(attribute, elementFilter, (sub) =>
          sub.type === 'complex'
            ? undefined
            : { expr: sql`(el.value->>${sql.lit(sub.name)})`, kind: kindOf(sub) },
        )
      : sql<SqlBool>`true`;
    return sql<SqlBool>`exists (select 1 from jsonb_array_elements(coalesce(${jsonValue(target.document, keys)}, '[]'::jsonb)) as el where ${inner})`;
  };

  return compileTree(filter, (leaf) => {
    if (leaf.kind === 'valuePath') {
      const { attribute, extension, sub } = resolve(leaf.path);
      if (sub || (!attribute.multiValued && attribute.type !== 'complex')) {
        throw scimErrors.invalidFilter(
          `"${describe(leaf.path)}[...]" needs a multi-valued attribute before the brackets.`,
        );
      }
      if (!attribute.multiValued) {
        // A single complex value (e.g. `manager[value eq "x"]`): the filter applies to the object itself.
        const keys = extension ? [extension, attribute.name] : [attribute.name];
        return compileElementFilter(attribute, leaf.filter, (s) => ({
          expr: jsonText(target.document, [...keys, s.name]),
          kind: kindOf(s),
        }));
      }
      return anyElement(attribute, extension, leaf.filter);
    }
    if (leaf.kind !== 'compare' && leaf.kind !== 'present')
      throw scimErrors.invalidFilter('Unsupported filter.');
    const { attribute, extension, sub } = resolve(leaf.path);
    const where = describe(leaf.path);
    const key = `${extension ? `${extension}:` : ''}${attribute.name}${sub ? `.${sub.name}` : ''}`;
    const column = target.columns[key];
    if (column)
      return leaf.kind === 'present' ? presence(column) : comparison(column, leaf.op, leaf.value, where);
    if (attribute.name === 'meta') {
      // Only created and lastModified are stored; the rest of `meta` is derived when rendering.
      throw scimErrors.invalidFilter(
        `Filtering on "${where}" is not supported; meta.created and meta.lastModified are.`,
      );
    }

    if (attribute.multiValued) {
      // `emails eq "x"` means any email's value (RFC 7644 §3.4.2.2; Ping's workEmail matching).
      const subName = sub?.name ?? (attribute.type === 'complex' ? 'value' : undefined);
      if (!subName) {
        throw scimErrors.invalidFilter(`Filtering on the multi-valued "${where}" is not supported.`);
      }
      const elementPath: AttributePath = { attr: subName };
      const elementFilter: Filter =
        leaf.kind === 'present'
          ? { kind: 'present', path: elementPath }
          : { kind: 'compare', path: elementPath, op: leaf.op, value: leaf.value };
      return anyElement(attribute, extension, elementFilter);
    }
    if (attribute.type === 'complex' && !sub) {
      if (leaf.kind === 'present')
        return sql<SqlBool>`${jsonValue(target.document, extension ? [extension, attribute.name] : [attribute.name])} is not null`;
      // `manager eq "id"` (Entra's legacy reference check) compares the complex value's `value`.
      const keys = extension ? [extension, attribute.name, 'value'] : [attribute.name, 'value'];
      return comparison(
        { expr: jsonText(target.document, keys), kind: 'ci-text' },
        leaf.op,
        leaf.value,
        where,
      );
    }
    const def = sub ?? attribute;
    const keys = [...(extension ? [extension] : []), attribute.name, ...(sub ? [sub.name] : [])];
    const operand: Operand = { expr: jsonText(target.document, keys), kind: kindOf(def) };
    return leaf.kind === 'present' ? presence(operand) : comparison(operand, leaf.op, leaf.value, where);
  });
}

/** The SQL expression to sort by for `sortBy` (RFC 7644 §3.4.2.3). */
export function sortExpression(target: FilterTarget, path: AttributePath): RawBuilder<unknown> {
  const resolved = resolveAttribute(target.type, path);
  if (!resolved) throw scimErrors.invalidPath(`Cannot sort by unknown attribute "${describe(path)}".`);
  const { attribute, extension, sub } = resolved;
  const key = `${extension ? `${extension}:` : ''}${attribute.name}${sub ? `.${sub.name}` : ''}`;
  const column = target.columns[key];
  if (column) return column.kind === 'ci-text' ? sql`lower(${column.expr})` : column.expr;
  const base = extension ? [extension, attribute.name] : [attribute.name];
  // Multi-valued attributes sort by their first value; complex ones by `value` unless a sub-attribute is named.
  const keys = attribute.multiValued
    ? [...base, '0', sub?.name ?? 'value']
    : [...base, ...(sub ? [sub.name] : attribute.type === 'complex' ? ['value'] : [])];
  const text = sql`(${target.document}${sql.join(
    keys.slice(0, -1).map((k) => (k === '0' ? sql`->0` : sql`->${sql.lit(k)}`)),
    sql``,
  )}->>${sql.lit(keys[keys.length - 1] ?? '')})`;
  return (sub ?? attribute).caseExact ? text : sql`lower(${text})`;
}
