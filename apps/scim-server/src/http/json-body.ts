import { isUtf8 } from 'node:buffer';
import { jsonDeeperThan, MAX_JSON_DEPTH } from '@roster/observability/json-depth';
import { ScimError, scimErrors } from '@roster/scim-core/errors';
import type { Context, Next } from 'koa';
import getRawBody from 'raw-body';
import secureJson from 'secure-json-parse';
import { assertStorableBody } from './storable-text.js';

declare module 'koa' {
  interface Request {
    /** The parsed JSON body of a write (set by `jsonBody`). */
    body?: unknown;
  }
}

const JSON_TYPES = ['application/json', 'application/scim+json'];

/**
 * Parses JSON request bodies in both media types IdPs send (RFC 7644 §3.1 names
 * `application/scim+json`; Ping's older builds and Microsoft's tests send `application/json`).
 * Refused, before anything walks the body: another media type or a compressed body (415), a body
 * over `maxBytes` (413), bytes that are not UTF-8, JSON that is not an object, or nesting deeper
 * than any SCIM request (400); then a string the database cannot hold (400 invalidValue, see
 * storable-text.ts), so that no route or service sees one.
 *
 * The body is read as bytes (raw-body) and checked as UTF-8 before it is decoded: a body parser
 * decodes leniently, so a stray byte became U+FFFD in a stored userName, and the IdP then read
 * back a value it never sent on every sync (found by the hostile-input tests).
 */
export function jsonBody(maxBytes: number) {
  return async function parseJsonBody(ctx: Context, next: Next): Promise<void> {
    // GET and DELETE, most of an IdP's traffic, skip the parser entirely.
    if (!['POST', 'PUT', 'PATCH'].includes(ctx.method)) return next();
    const hasBody = ctx.request.length !== 0;
    if (hasBody && ctx.request.type && !ctx.is(JSON_TYPES) && !ctx.request.type.endsWith('+json')) {
      throw new ScimError(
        415,
        `Content-Type "${ctx.request.type}" is not supported: send application/scim+json or application/json.`,
      );
    }
    const coding = ctx.get('content-encoding').toLowerCase();
    if (coding && coding !== 'identity') {
      throw new ScimError(415, `Content-Encoding "${coding}" is not supported: send the body uncompressed.`);
    }
    // A client that hung up while the request was authenticated leaves a destroyed stream, which
    // raw-body reports as its own 500 ("stream is not readable"): it is the client's doing, a 400
    // no one will read, never a server error in the logs (found by the benchmark's smoke run).
    if (!ctx.req.readable) {
      throw scimErrors.invalidSyntax('The connection closed before the request body could be read.');
    }
    const bytes = await getRawBody(ctx.req, { limit: maxBytes, length: ctx.request.length });
    if (!isUtf8(bytes)) {
      throw scimErrors.invalidSyntax('The request body is not valid UTF-8: send it encoded as UTF-8.');
    }
    const text = bytes.toString('utf8');
    // No body reads as an empty object, which the resource's own checks then refuse. A
    // `__proto__` or `constructor.prototype` key is a SyntaxError (400), as in Koa's body parser.
    const body: unknown = text.trim() === '' ? {} : secureJson.parse(text);
    if (typeof body !== 'object' || body === null) {
      throw scimErrors.invalidSyntax('The request body must be a JSON object.');
    }
    if (jsonDeeperThan(body)) {
      throw scimErrors.invalidSyntax(
        `The request body nests deeper than ${MAX_JSON_DEPTH} levels; no SCIM resource or PatchOp does.`,
      );
    }
    assertStorableBody(body);
    ctx.request.body = body;
    await next();
  };
}
