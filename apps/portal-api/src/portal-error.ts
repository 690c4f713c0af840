/**
 * The portal API's one error model: an HTTP status, a stable machine-readable code, and a message
 * that says what to do. The body is `{"error": {"code", "message", "details"?}}`, mapped once at
 * the edge (error-handler.ts).
 */

export type PortalErrorCode =
  | 'invalid_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'method_not_allowed'
  | 'rate_limited'
  | 'service_unavailable'
  | 'internal_error';

export class PortalError extends Error {
  readonly status: number;
  readonly code: PortalErrorCode | string;
  readonly details: unknown;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    code: PortalErrorCode | string,
    message: string,
    options: { details?: unknown; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'PortalError';
    this.status = status;
    this.code = code;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }

  toBody() {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details !== undefined ? { details: this.details } : {}),
      },
    };
  }
}

export const portalErrors = {
  invalidRequest: (message: string, details?: unknown) =>
    new PortalError(400, 'invalid_request', message, { details }),
  notFound: (message: string) => new PortalError(404, 'not_found', message),
  forbidden: (message: string) => new PortalError(403, 'forbidden', message),
  conflict: (code: string, message: string) => new PortalError(409, code, message),
  /**
   * A precondition of the admin's flow (docs/reference/product.md#preconditions): a stable code and what to
   * do about it.
   */
  precondition: (code: string, message: string) => new PortalError(409, code, message),
};
