/**
 * The SCIM router's error edge: whatever goes wrong below it (our ScimErrors, body-reading and
 * router errors, database constraint violations, bugs) leaves as an RFC 7644 §3.12 body with
 * `application/scim+json`. Koa's own plain-text error replies never reach an IdP.
 */
import { foreignKeyViolation, isUnavailable, uniqueViolation } from '@roster/db';
import { ScimError, scimErrors } from '@roster/scim-core/errors';
import type { Context, Next } from 'koa';
import { USER_NAME_TAKEN } from '../users/member-rules.js';
import { sendScim } from './scim-response.js';

/** Unique constraints by name, and what the client should be told about each. */
const UNIQUE_CONSTRAINTS: Record<string, string> = {
  members__user_name: USER_NAME_TAKEN,
  groups__display_name:
    'A group with this displayName already exists in this organization (compared case-insensitively). Look the group up with a filter on displayName and update it instead.',
};

function httpStatusOf(error: unknown): number | undefined {
  const status =
    (error as { status?: unknown; statusCode?: unknown })?.status ??
    (error as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Translates anything thrown into a ScimError; `undefined` means an unexpected failure (a bug). */
export function toScimError(error: unknown): ScimError | undefined {
  if (error instanceof ScimError) return error;
  const constraint = uniqueViolation(error);
  if (constraint !== undefined) {
    return scimErrors.uniqueness(
      UNIQUE_CONSTRAINTS[constraint] ?? 'The request conflicts with an existing resource.',
    );
  }
  if (foreignKeyViolation(error) !== undefined) {
    // A referenced user or group was deleted by a concurrent request; nothing was written.
    return new ScimError(
      409,
      'A resource this request refers to was deleted meanwhile. Read the current state and retry.',
    );
  }
  if (isUnavailable(error)) {
    return new ScimError(503, 'The service is temporarily unavailable; retry the request later.', {
      headers: { 'Retry-After': '5' },
      cause: error,
    });
  }
  // What reading the body can throw (json-body.ts): raw-body's 413 and 400, and the parser's SyntaxError.
  const status = httpStatusOf(error);
  if (status === 413) {
    return new ScimError(
      413,
      'The request body is too large. Send smaller requests, e.g. group members in PATCH batches.',
    );
  }
  if (error instanceof SyntaxError) return scimErrors.invalidSyntax('The request body is not valid JSON.');
  if (status === 400) {
    return scimErrors.invalidSyntax(
      'The request body could not be read whole: it ended before its Content-Length.',
    );
  }
  return undefined;
}

export function scimErrorHandler(onUnexpected: (ctx: Context, error: unknown) => void) {
  return async function handleScimErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
    } catch (error) {
      let scimError = toScimError(error);
      if (!scimError) {
        onUnexpected(ctx, error);
        scimError = new ScimError(
          500,
          'An unexpected error occurred. It has been logged; retry the request later.',
        );
      } else if (scimError.status >= 500) {
        onUnexpected(ctx, error);
      }
      ctx.state.logFields = {
        ...ctx.state.logFields,
        scimType: scimError.scimType,
        detail: scimError.message,
      };
      sendScim(ctx, scimError.status, scimError.toBody(), scimError.headers);
    }
  };
}
