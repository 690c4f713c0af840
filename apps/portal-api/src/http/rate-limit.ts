/**
 * The portal API's rate limits (docs/operations.md): counted per credential (a personal API key or
 * a session) and per organization once the caller is known. The organization's portal requests
 * are counted in a bucket of their own, apart from its SCIM traffic: an administrator's script
 * never eats into the identity provider's budget, nor the other way round.
 */
import { type RateLimiter, refusalDetail } from '@roster/rate-limit';
import type { Context } from 'koa';
import type { Actor } from '../auth/actor.js';
import { PortalError } from './portal-error.js';

/** `authenticate`, then one request counted for the caller: 429 with `Retry-After` once a limit is reached. */
export function rateLimited(
  authenticate: (ctx: Context) => Promise<Actor>,
  limiter: RateLimiter,
): (ctx: Context) => Promise<Actor> {
  return async function authenticateAndCount(ctx) {
    const actor = await authenticate(ctx);
    const refused = limiter.enabled
      ? limiter.take(actor.orgId, `${actor.credential.type}:${actor.credential.id}`)
      : undefined;
    if (refused) {
      throw new PortalError(429, 'rate_limited', refusalDetail(refused), {
        headers: { 'Retry-After': String(refused.retryAfterSeconds) },
      });
    }
    return actor;
  };
}
