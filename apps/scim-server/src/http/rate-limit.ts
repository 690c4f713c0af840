/** The SCIM service's rate limits (docs/operations.md): after authentication, per credential and organization. */
import { type RateLimiter, refusalDetail } from '@roster/rate-limit';
import { ScimError } from '@roster/scim-core/errors';
import type { Context, Next } from 'koa';
import { tenantOf } from './context.js';

/** A refused request is answered 429 with `Retry-After` and a SCIM error body. */
export function rateLimit(limiter: RateLimiter) {
  return async function limitRequests(ctx: Context, next: Next): Promise<void> {
    if (!limiter.enabled) return next();
    const tenant = tenantOf(ctx);
    const refused = limiter.take(tenant.orgId, `${tenant.credential.type}:${tenant.credential.id}`);
    if (refused) {
      throw new ScimError(429, refusalDetail(refused), {
        headers: { 'Retry-After': String(refused.retryAfterSeconds) },
      });
    }
    await next();
  };
}
