/**
 * The security headers every response of Roster's apps carries (helmet, through koa-helmet).
 * Roster serves JSON APIs and one plain refusal page, so the content security policy allows
 * nothing at all and no page may frame a response. Responses hold personal data and must not be
 * kept by caches (`no-store`); a route may set its own Cache-Control.
 */
import type { Context, Next } from 'koa';
import helmet from 'koa-helmet';

const headers = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
  crossOriginResourcePolicy: { policy: 'same-origin' },
  referrerPolicy: { policy: 'no-referrer' },
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
  xFrameOptions: { action: 'deny' },
});

export function securityHeaders() {
  return function setSecurityHeaders(ctx: Context, next: Next) {
    ctx.set('Cache-Control', 'no-store');
    return headers(ctx, next);
  };
}
