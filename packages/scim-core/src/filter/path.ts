/**
 * Attribute paths, `[URN:]attr[.sub]` (RFC 7644 §3.10). Shared by the filter parser, the PATCH path
 * parser and `parseAttributePath` (sortBy, attributes=...), which differ only in the error they raise.
 */
import type { AttributePath } from './ast.js';

/** ATTRNAME = ALPHA *(nameChar) (RFC 7643 §2.1), plus `$ref`, which the RFCs use though the rule excludes it. */
const ATTR_NAME = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/;

/**
 * A schema URN such as `urn:ietf:params:scim:schemas:core:2.0:User`: `urn:`, a namespace id, then
 * non-empty `:`-separated segments of URN characters (RFC 8141, minus characters that never appear in
 * SCIM schema ids and would only hide typos).
 */
const SCHEMA_URN = /^urn:[A-Za-z0-9-]+(?::[\w.~+%=@;$!*',/&-]+)+$/i;

export function isAttributeName(name: string): boolean {
  return ATTR_NAME.test(name);
}

export type PathResult = { ok: true; path: AttributePath } | { ok: false; reason: string };

const nameReason = (name: string) =>
  `"${name}" is not a valid attribute name (a letter followed by letters, digits, "-" or "_")`;

/**
 * Splits `text` into URN, attribute and sub-attribute. The URN itself contains dots (`2.0`), so a
 * URN-qualified path is split on its last `:` first and only the remainder on `.`. A bare extension
 * URN such as `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User` therefore yields attr
 * `User`; PATCH consumers recognise that shape as "the whole extension".
 */
export function readAttributePath(text: string): PathResult {
  if (text === '') return { ok: false, reason: 'the attribute name is empty' };
  let uri: string | undefined;
  let rest = text;
  if (text.slice(0, 4).toLowerCase() === 'urn:') {
    const colon = text.lastIndexOf(':');
    uri = text.slice(0, colon);
    rest = text.slice(colon + 1);
    if (!SCHEMA_URN.test(uri)) return { ok: false, reason: `"${uri}" is not a valid schema URN` };
    if (rest === '') return { ok: false, reason: `no attribute name follows the schema URN "${uri}"` };
  }
  const parts = rest.split('.');
  if (parts.length > 2) {
    return { ok: false, reason: 'only one level of sub-attribute ("attr.sub") is allowed' };
  }
  const [attr = '', sub] = parts;
  if (!isAttributeName(attr)) return { ok: false, reason: nameReason(attr) };
  if (sub !== undefined && !isAttributeName(sub)) return { ok: false, reason: nameReason(sub) };
  // Optional keys are left out rather than set to undefined, so ASTs compare cleanly with toStrictEqual.
  const path: AttributePath = { attr };
  if (uri !== undefined) path.uri = uri;
  if (sub !== undefined) path.sub = sub;
  return { ok: true, path };
}
