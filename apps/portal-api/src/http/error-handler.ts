/** The portal API's error edge: everything below it leaves as a PortalError body, as JSON. */
import { foreignKeyViolation, isUnavailable, uniqueViolation } from '@roster/db';
import type { Context, Next } from 'koa';
import { ZodError } from 'zod';
import { PortalError } from '../portal-error.js';

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown })?.status;
  return typeof status === 'number' ? status : undefined;
}

export function toPortalError(error: unknown): PortalError | undefined {
  if (error instanceof PortalError) return error;
  if (error instanceof ZodError) {
    return new PortalError(400, 'invalid_request', 'The request is not valid: see details.', {
      details: error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  if (uniqueViolation(error) !== undefined) return new PortalError(409, 'conflict', 'That already exists.');
  if (foreignKeyViolation(error) !== undefined) {
    return new PortalError(
      409,
      'conflict',
      'Something this request refers to was deleted meanwhile; reload and retry.',
    );
  }
  if (isUnavailable(error)) {
    return new PortalError(
      503,
      'service_unavailable',
      'The service is temporarily unavailable; retry shortly.',
      {
        headers: { 'Retry-After': '5' },
      },
    );
  }
  const status = statusOf(error);
  const type = (error as { type?: unknown })?.type;
  if (status === 413 || type === 'entity.too.large') {
    return new PortalError(413, 'payload_too_large', 'The request body is too large.');
  }
  if (status === 400 || type === 'entity.parse.failed' || error instanceof SyntaxError) {
    return new PortalError(400, 'invalid_request', 'The request body is not valid JSON.');
  }
  return undefined;
}

/**
 * Maps errors below it to their PortalError. `render` writes the body: the JSON error body by
 * default; sign-in pages also answer browsers with HTML.
 */
export function portalErrorHandler(
  onUnexpected: (ctx: Context, error: unknown) => void,
  render: (ctx: Context, error: PortalError) => void = (ctx, error) => {
    ctx.body = error.toBody();
  },
) {
  return async function handlePortalErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
    } catch (error) {
      let portalError = toPortalError(error);
      if (!portalError || portalError.status >= 500) onUnexpected(ctx, error);
      portalError ??= new PortalError(
        500,
        'internal_error',
        'An unexpected error occurred. It has been logged; retry later.',
      );
      ctx.status = portalError.status;
      for (const [name, value] of Object.entries(portalError.headers)) ctx.set(name, value);
      render(ctx, portalError);
    }
  };
}
