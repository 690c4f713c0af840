/** A token request's form parameters (RFC 6749 §3.2: each at most once, empty means absent). */
import type { Context } from 'koa';
import { OAuthError } from './oauth-error.js';

export interface Form {
  optional(name: string): string | undefined;
  required(name: string): string;
}

export function formOf(ctx: Context): Form {
  if (!ctx.is('application/x-www-form-urlencoded')) {
    throw new OAuthError(
      400,
      'invalid_request',
      'Send the token request as application/x-www-form-urlencoded (RFC 6749 §4.4.2).',
    );
  }
  const body = (ctx.request.body ?? {}) as Record<string, unknown>;
  const optional = (name: string): string | undefined => {
    const value = body[name];
    if (Array.isArray(value))
      throw new OAuthError(400, 'invalid_request', `The parameter ${name} is repeated; send it once.`);
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  return {
    optional,
    required(name) {
      const value = optional(name);
      if (value === undefined)
        throw new OAuthError(400, 'invalid_request', `The parameter ${name} is missing.`);
      return value;
    },
  };
}
