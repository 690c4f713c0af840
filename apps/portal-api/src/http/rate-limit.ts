/**
 * The portal API's rate limits (docs/operations.md): counted per credential (a personal API key or
 * a session) and per organization once the caller is known. The organization's portal requests
 * are counted in a bucket of their own, apart from its SCIM traffic: an administrator's script
 * never eats into the identity provider's budget, nor the other way round.
 */
import type { Database } from '@roster/db';
import { findOrganizationBySlug, SLUG } from '@roster/directory/organizations';
import { type RateLimiter, refusalDetail } from '@roster/rate-limit';
import type { Context, Next } from 'koa';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor.js';
import { PortalError } from '../portal-error.js';

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

const SIGN_IN_PATH = /^\/sso\/([^/]+)(?:\/|$)/;

/**
 * In front of single sign-on (`/sso/{org}/…`): a browser's requests counted by its address
 * (`ctx.ip`, the forwarded one with TRUST_PROXY) and its organization's together, in a bucket of
 * their own; 429 with `Retry-After` and the portal's error body. A slug that names no
 * organization is left to the sign-in router's 404 (it cost one lookup, and there is no
 * organization to count it against).
 */
export function signInRateLimit(db: Kysely<Database>, limiter: RateLimiter) {
  return async function countSignIn(ctx: Context, next: Next): Promise<void> {
    const slug = SIGN_IN_PATH.exec(ctx.path)?.[1];
    if (!limiter.enabled || !slug || !SLUG.test(slug)) return next();
    const org = await findOrganizationBySlug(db, slug);
    const refused = org ? limiter.take(org.id, `address:${ctx.ip}`) : undefined;
    if (!refused) return next();
    const error = new PortalError(429, 'rate_limited', refusalDetail(refused));
    ctx.status = 429;
    ctx.set('Retry-After', String(refused.retryAfterSeconds));
    ctx.set('Cache-Control', 'no-store');
    ctx.body = error.toBody();
  };
}
