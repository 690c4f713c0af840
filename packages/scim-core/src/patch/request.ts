/**
 * Validation of a PATCH request body (RFC 7644 §3.5.2). The shape is checked here, once; what the
 * operations mean is {@link applyPatch}'s job.
 */
import { describeValue } from '../describe-value.js';
import { scimErrors } from '../errors.js';
import { isPlainObject } from './values.js';

export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** Bounds the work one request can cause; no IdP batches anywhere near this many operations. */
export const MAX_OPERATIONS = 1000;

export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path?: string;
  value?: unknown;
}

const OPS: ReadonlySet<string> = new Set(['add', 'replace', 'remove']);

/**
 * Validates a PATCH body and returns its operations, with `op` lower-cased.
 *
 * Leniencies:
 * - `op` in any case: Entra's default mode sends `Add`/`Replace`/`Remove`
 * (docs/reference/entra.md#patch-in-default-mode);
 * - the `Operations` key in any case, since JSON keys of SCIM messages are case-insensitive (RFC 7643 §2.1);
 * - `schemas` may be absent; when present it must name the PatchOp message;
 * - `"path": null` and `"path": ""` mean no path: serializers emit explicit nulls (Entra's 2019
 *   bodies carry them).
 * @throws ScimError invalidSyntax, or noTarget for a `remove` with neither path nor value
 */
export function parsePatchRequest(body: unknown): PatchOperation[] {
  if (!isPlainObject(body)) {
    throw scimErrors.invalidSyntax(
      `A PATCH body must be a JSON object with "schemas": ["${PATCH_OP_SCHEMA}"] and an "Operations" array.`,
    );
  }
  checkSchemas(body.schemas);
  const key = Object.keys(body).find((k) => k.toLowerCase() === 'operations');
  const operations = key === undefined ? undefined : body[key];
  if (!Array.isArray(operations)) {
    throw scimErrors.invalidSyntax(
      key === undefined
        ? 'The PATCH body has no "Operations" array.'
        : `"Operations" must be an array of operations, got ${describeValue(operations)}.`,
    );
  }
  if (operations.length === 0)
    throw scimErrors.invalidSyntax('"Operations" is empty: send at least one operation.');
  if (operations.length > MAX_OPERATIONS) {
    throw scimErrors.invalidSyntax(
      `"Operations" has ${operations.length} operations; at most ${MAX_OPERATIONS} are accepted per request.`,
    );
  }
  return operations.map((raw, i) => parseOperation(raw, i + 1));
}

function checkSchemas(schemas: unknown): void {
  if (schemas === undefined) return;
  const list = Array.isArray(schemas) ? schemas : [schemas];
  const ok = list.some((s) => typeof s === 'string' && s.toLowerCase() === PATCH_OP_SCHEMA.toLowerCase());
  if (!ok) {
    throw scimErrors.invalidSyntax(
      `"schemas" must contain "${PATCH_OP_SCHEMA}", got ${describeValue(schemas)}.`,
    );
  }
}

function parseOperation(raw: unknown, n: number): PatchOperation {
  const at = `Operation ${n}`;
  if (!isPlainObject(raw)) {
    throw scimErrors.invalidSyntax(
      `${at} must be an object with "op", "path" and "value", got ${describeValue(raw)}.`,
    );
  }
  const opText = typeof raw.op === 'string' ? raw.op.trim().toLowerCase() : undefined;
  if (opText === undefined || !OPS.has(opText)) {
    throw scimErrors.invalidSyntax(
      `${at}: "op" must be "add", "replace" or "remove", got ${raw.op === undefined ? 'nothing' : describeValue(raw.op)}.`,
    );
  }
  const op = opText as PatchOperation['op'];
  if (raw.path !== undefined && raw.path !== null && typeof raw.path !== 'string') {
    throw scimErrors.invalidSyntax(`${at}: "path" must be a string, got ${describeValue(raw.path)}.`);
  }
  const path = typeof raw.path === 'string' && raw.path.trim() !== '' ? raw.path.trim() : undefined;
  const hasValue = Object.hasOwn(raw, 'value');

  if (op === 'remove') {
    // A path-less remove with an object value names the attributes (and members) to remove.
    if (path === undefined && !isPlainObject(raw.value)) {
      throw scimErrors.noTarget(`${at}: "remove" needs a "path" naming what to remove.`);
    }
  } else if (!hasValue) {
    throw scimErrors.invalidSyntax(`${at}: "${op}" needs a "value".`);
  } else if (path === undefined && !isPlainObject(raw.value)) {
    throw scimErrors.invalidSyntax(
      `${at}: an "${op}" without "path" needs a "value" object of attributes, got ${describeValue(raw.value)}.`,
    );
  }

  const operation: PatchOperation = { op };
  if (path !== undefined) operation.path = path;
  if (hasValue) operation.value = raw.value;
  return operation;
}
