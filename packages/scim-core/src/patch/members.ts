/**
 * Group membership in PATCH. A group can have 100,000 members, kept in their own table, so the
 * engine never materialises `members`: each operation on it becomes a {@link MembershipChange}
 * that the storage layer applies.
 */
import { describeValue } from '../describe-value.js';
import { scimErrors } from '../errors.js';
import type { Filter } from '../filter/ast.js';
import { GROUP_SCHEMA } from '../schema/definitions.js';
import type { ResourceTypeDefinition } from '../schema/types.js';
import type { PatchOperation } from './request.js';
import type { AttributeTarget } from './target.js';
import { isPlainObject } from './values.js';

export interface MemberReference {
  value: string;
  type?: string;
  /** The label the client sent, kept as sent (`displayName` is read as a synonym). */
  display?: string;
}

export type MembershipChange =
  | { kind: 'add'; members: MemberReference[] }
  | { kind: 'remove'; ids: string[] }
  | { kind: 'removeAll' }
  /** The filter is relative to one member; it names only `value`, `type` and `display`. */
  | { kind: 'removeWhere'; filter: Filter }
  | { kind: 'replace'; members: MemberReference[] };

const MEMBER_TYPES = ['User', 'Group'];
const FILTERABLE = new Set(['value', 'type', 'display']);

export function isMembersTarget(type: ResourceTypeDefinition, target: AttributeTarget): boolean {
  return (
    type.schema.id.toLowerCase() === GROUP_SCHEMA.toLowerCase() &&
    target.extension === undefined &&
    target.def.name === 'members'
  );
}

/**
 * The membership change one operation on `members` asks for; `undefined` when it changes nothing
 * (an empty list to add or remove).
 * @param value the operation's value, `undefined` when it had none
 */
export function membershipChange(
  op: PatchOperation['op'],
  target: AttributeTarget,
  value: unknown,
): MembershipChange | undefined {
  if (target.sub) {
    throw scimErrors.mutability(
      `"members.${target.sub.name}" cannot be modified: add or remove the whole member instead.`,
    );
  }
  if (op === 'remove') return target.filter ? removeByFilter(target.filter) : removeByValue(value);
  if (target.filter) {
    throw scimErrors.invalidPath(
      `"${op}" on a filtered members path is not supported: members cannot be changed in place. ` +
        'Use path "members" with a list of {"value": id} to add, or "remove" to take members out.',
    );
  }
  const members = memberReferences(value);
  if (op === 'replace') return { kind: 'replace', members };
  return members.length > 0 ? { kind: 'add', members } : undefined;
}

/**
 * `remove` on `members` with a value removes only the listed members: Entra's default mode sends
 * `{"op":"Remove","path":"members","value":[{"value":"<id>"}]}` (docs/reference/entra.md#group-membership),
 * and a strict RFC reading (remove all) would drop every other member. An explicit `null` value is a
 * serializer's "no value" and removes all members like a missing value; `[]` removes nothing.
 */
function removeByValue(value: unknown): MembershipChange | undefined {
  if (value === undefined || value === null) return { kind: 'removeAll' };
  const ids = memberReferences(value).map((m) => m.value);
  return ids.length > 0 ? { kind: 'remove', ids } : undefined;
}

/** `members[value eq "x"]` (Entra with `aadOptscim062020`, Ping) and `or`s of those list ids; anything else is a filter. */
function removeByFilter(filter: Filter): MembershipChange {
  const ids = valueEqIds(filter);
  if (ids) return { kind: 'remove', ids };
  checkMemberFilter(filter);
  return { kind: 'removeWhere', filter };
}

function valueEqIds(filter: Filter): string[] | undefined {
  if (filter.kind === 'or') {
    const left = valueEqIds(filter.left);
    const right = left && valueEqIds(filter.right);
    return left && right ? [...left, ...right] : undefined;
  }
  if (
    filter.kind === 'compare' &&
    filter.op === 'eq' &&
    filter.path.attr.toLowerCase() === 'value' &&
    typeof filter.value === 'string'
  ) {
    return [filter.value];
  }
  return undefined;
}

function checkMemberFilter(filter: Filter): void {
  switch (filter.kind) {
    case 'and':
    case 'or':
      checkMemberFilter(filter.left);
      checkMemberFilter(filter.right);
      return;
    case 'not':
      checkMemberFilter(filter.filter);
      return;
    default:
      if (!FILTERABLE.has(filter.path.attr.toLowerCase()) || filter.kind === 'valuePath') {
        throw scimErrors.invalidPath(
          `a filter on "members" may only use "value", "type" and "display", not "${filter.path.attr}".`,
        );
      }
  }
}

/**
 * Reads member references: a list (or a single one) of `{"value": id}`, `{"value": id, "$ref": null}`
 * (Entra), `{"value": id, "type": "User"}`, or bare id strings (Microsoft's "garbage" group tests).
 * `$ref` is ignored: the id identifies the member. A `display` label (or `displayName`, which
 * Microsoft's reference tests send and then look for in the group) is kept.
 */
export function memberReferences(raw: unknown): MemberReference[] {
  if (raw === null || raw === undefined) return [];
  const items = Array.isArray(raw) ? raw : [raw];
  const members: MemberReference[] = [];
  items.forEach((item, i) => {
    if (item === null) return;
    const where = `members[${i}]`;
    if (typeof item === 'string') {
      members.push({ value: checkId(item, where) });
      return;
    }
    if (!isPlainObject(item)) {
      throw scimErrors.invalidValue(
        `${where} must be {"value": "<id>"} or an id string, got ${describeValue(item)}.`,
      );
    }
    const member: MemberReference = { value: checkId(field(item, 'value'), `${where}.value`) };
    const type = field(item, 'type');
    if (type !== undefined && type !== null) member.type = checkType(type, `${where}.type`);
    const display = field(item, 'display') ?? field(item, 'displayname');
    if (typeof display === 'string') member.display = display;
    members.push(member);
  });
  return members;
}

function field(item: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(item).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : item[key];
}

function checkId(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw scimErrors.invalidValue(
      `${where} must be the member's id, a non-empty string; got ${describeValue(value)}.`,
    );
  }
  return value;
}

function checkType(value: unknown, where: string): string {
  const type = typeof value === 'string' && MEMBER_TYPES.find((t) => t.toLowerCase() === value.toLowerCase());
  if (!type)
    throw scimErrors.invalidValue(`${where} must be "User" or "Group", got ${describeValue(value)}.`);
  return type;
}
