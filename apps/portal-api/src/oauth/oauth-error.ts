/**
 * The authorization server's error model (RFC 6749 §5.2): `{"error", "error_description"}` with a
 * registered code, mapped once at the edge of the /oauth router. Responses are never cached.
 */
import { isUnavailable } from '@roster/db';
import type { Context, Next } from 'koa';

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'server_error'
  | 'temporarily_unavailable';

export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: OAuthErrorCode,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}

export const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;

export function oauthErrorHandler(onUnexpected: (ctx: Context, error: unknown) => void) {
  return async function handleOAuthErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
    } catch (caught) {
      let error: OAuthError;
      if (caught instanceof OAuthError) error = caught;
      else if (isUnavailable(caught)) {
        error = new OAuthError(
          503,
          'temporarily_unavailable',
          'The service is temporarily unavailable; retry shortly.',
          {
            'Retry-After': '5',
          },
        );
      } else if ((caught as { status?: number })?.status === 413) {
        error = new OAuthError(413, 'invalid_request', 'The request body is too large.');
      } else if ((caught as { status?: number })?.status === 400) {
        error = new OAuthError(400, 'invalid_request', 'The request body could not be read as a form.');
      } else {
        onUnexpected(ctx, caught);
        error = new OAuthError(
          500,
          'server_error',
          'An unexpected error occurred. It has been logged; retry later.',
        );
      }
      ctx.status = error.status;
      ctx.set(NO_STORE);
      ctx.set(error.headers);
      ctx.body = { error: error.code, error_description: error.description };
    }
  };
}
