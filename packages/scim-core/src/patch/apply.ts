/**
 * The PATCH engine (RFC 7644 §3.5.2): applies validated operations to a resource's canonical data,
 * without touching the input, and reports group membership changes separately (see members.ts).
 *
 * Leniencies, each a shape a real IdP sends (docs/reference/entra.md, docs/reference/ping.md):
 * - attribute names in any case, stored under their canonical names;
 * - path-less values with dotted (`name.givenName`) and URN-qualified keys: Entra with
 *   `aadOptscim062020` (entra.md#patch-with-aadoptscim062020); unknown and read-only keys in them are
 * ignored, as in a POST;
 * - string booleans `"True"`/`"False"`: Entra's default mode (entra.md#patch-in-default-mode);
 * - `""` means "no value": the SCIM Validator null test, Microsoft's manager removal (entra.md#manager,
 * entra.md#null-values);
 * - a complex attribute given a string means `{ value }`, given an array means its first element:
 *   manager as a bare id (Entra) and as `[{"$ref":…,"value":…}]` (legacy Entra doc);
 * - `add`/`replace` through a filter that matches nothing creates the element (Entra,
 * entra.md#patch-in-default-mode);
 * - `remove` with a value removes only the given values (Entra default mode, entra.md#group-membership);
 * - a filter on a single-valued complex attribute, `manager[value eq "x"]` (Azure AD 2023);
 * - extension attributes in the pre-2018 dot form `urn:…:enterprise:2.0:User.manager`
 * (entra.md#compliance-history);
 * - `password` is accepted and ignored: Roster users sign in through SSO.
 */
import { describeValue } from '../describe-value.js';
import { isScimError, ScimError, scimErrors } from '../errors.js';
import { assertRequired, type ResourceData } from '../resource/normalize.js';
import type { ResourceTypeDefinition } from '../schema/types.js';
import { removeAttribute, writeAttribute } from './attribute.js';
import { isMembersTarget, type MembershipChange, membershipChange } from './members.js';
import type { PatchOperation } from './request.js';
import { type AttributeTarget, resolveKey, resolvePath, type Target } from './target.js';
import { deepEqual, isNoValue, isPlainObject, type JsonObject } from './values.js';

export type { MemberReference, MembershipChange } from './members.js';

export interface PatchResult {
  data: ResourceData;
  /** Changes to group membership, in request order; `members` itself never appears in `data`. */
  membership: MembershipChange[];
  /** Whether `data` differs from the input or membership changes were requested. */
  changed: boolean;
}

/**
 * Applies `operations` (from {@link parsePatchRequest}) to a copy of `data`. The operations are
 * atomic: required attributes are checked once, after the last one, so a request may remove and
 * re-add `userName`.
 * @throws ScimError; the detail of an error in one operation starts with "Operation <n>:" (1-based)
 */
export function applyPatch(
  type: ResourceTypeDefinition,
  data: ResourceData,
  operations: PatchOperation[],
): PatchResult {
  const next = structuredClone(data);
  const membership: MembershipChange[] = [];
  operations.forEach((operation, i) => {
    try {
      applyOperation(type, next, operation, membership);
    } catch (error) {
      throw withOperationNumber(error, i + 1);
    }
  });
  assertRequired(type, next);
  return { data: next, membership, changed: membership.length > 0 || !deepEqual(data, next) };
}

function applyOperation(
  type: ResourceTypeDefinition,
  data: ResourceData,
  operation: PatchOperation,
  membership: MembershipChange[],
): void {
  const { op, path, value } = operation;
  if (path !== undefined) {
    applyTarget(type, data, op, resolvePath(type, path), value, membership);
    return;
  }
  // parsePatchRequest guarantees an object here; a path-less value lists attributes by key.
  if (!isPlainObject(value)) return;
  for (const [key, raw] of Object.entries(value)) {
    const target = resolveKey(type, key);
    if (target) applyTarget(type, data, op, target, raw, membership);
  }
}

function applyTarget(
  type: ResourceTypeDefinition,
  data: ResourceData,
  op: PatchOperation['op'],
  target: Target,
  value: unknown,
  membership: MembershipChange[],
): void {
  if (target.kind === 'extension') {
    applyExtension(type, data, op, target.schema.id, value, membership);
    return;
  }
  if (isMembersTarget(type, target)) {
    const change = membershipChange(op, target, value);
    if (change) membership.push(change);
    return;
  }
  if (target.def.name === 'password' && target.extension === undefined) return;
  const container = containerOf(data, target);
  if (op === 'remove') removeAttribute(container, target, value);
  else writeAttribute(container, target, op, value);
  if (target.extension !== undefined) {
    if (Object.keys(container).length > 0) data[target.extension] = container;
    else delete data[target.extension];
  }
}

/**
 * The whole extension object as the target (path or key = the extension URN): each attribute in the
 * value is applied as if named with its URN, so listed attributes change and the others stay
 * (RFC 7644 §3.5.2.3). Without a value object the extension is removed.
 */
function applyExtension(
  type: ResourceTypeDefinition,
  data: ResourceData,
  op: PatchOperation['op'],
  urn: string,
  value: unknown,
  membership: MembershipChange[],
): void {
  if (!isPlainObject(value) || isNoValue(value)) {
    if (op !== 'remove' && !isNoValue(value)) {
      throw scimErrors.invalidValue(
        `"${urn}" must be an object of extension attributes, got ${describeValue(value)}.`,
      );
    }
    delete data[urn];
    return;
  }
  for (const [key, raw] of Object.entries(value)) {
    const target = resolveKey(type, `${urn}:${key}`);
    if (target?.kind === 'attribute') applyTarget(type, data, op, target, raw, membership);
  }
}

function containerOf(data: ResourceData, target: AttributeTarget): JsonObject {
  if (target.extension === undefined) return data;
  const existing = data[target.extension];
  return isPlainObject(existing) ? existing : {};
}

function withOperationNumber(error: unknown, n: number): unknown {
  if (!isScimError(error)) return error;
  const options = {
    cause: error,
    headers: { ...error.headers },
    ...(error.scimType ? { scimType: error.scimType } : {}),
  };
  return new ScimError(error.status, `Operation ${n}: ${error.detail}`, options);
}
