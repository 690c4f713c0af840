import { bodyParser } from '@koa/bodyparser';
import { jsonDeeperThan, MAX_JSON_DEPTH } from '@roster/observability/json-depth';
import { ScimError, scimErrors } from '@roster/scim-core/errors';
import type { Context, Next } from 'koa';

const JSON_TYPES = ['application/json', 'application/scim+json'];

/**
 * Parses JSON request bodies in both media types IdPs send (RFC 7644 §3.1 names
 * `application/scim+json`; Ping's older builds and Microsoft's tests send `application/json`).
 * Anything else on a write is refused with 415 before a byte of it is parsed, and a body nested
 * deeper than any SCIM request is refused with 400 before anything walks it.
 */
export function jsonBody(maxBytes: number) {
  const parse = bodyParser({
    parsedMethods: ['POST', 'PUT', 'PATCH'],
    enableTypes: ['json'],
    // Listing the types replaces the parser's defaults, so application/json is named too.
    extendTypes: { json: ['application/json', 'application/scim+json', 'application/*+json'] },
    jsonLimit: maxBytes,
    jsonStrict: true,
  });
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
    if (hasBody && !ctx.request.type) {
      // Some scripted clients omit Content-Type; read the body as JSON rather than refuse it.
      ctx.request.headers['content-type'] = 'application/json';
    }
    await parse(ctx, () => {
      if (jsonDeeperThan(ctx.request.body)) {
        throw scimErrors.invalidSyntax(
          `The request body nests deeper than ${MAX_JSON_DEPTH} levels; no SCIM resource or PatchOp does.`,
        );
      }
      return next();
    });
  };
}
