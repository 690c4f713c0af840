/**
 * The operator's one-time setup link (`roster create-org --admin`, `roster create-manager`):
 *   GET  /sso/{org}/setup/{token}   a page with one button; uses nothing up, so that a chat or mail
 *                                   client fetching the link to preview it does not spend it
 *   POST /sso/{org}/setup/{token}   spends the link, starts the same session SSO sign-in starts
 *                                   (its cookie), and redirects to the organization in the console
 *                                   (/console/{org}/, which apps/roster serves)
 * Refusals (unknown 404, used or expired 410, member deactivated 403) answer with the portal's
 * error body, or a short page for a browser.
 */
import Router from '@koa/router';
import type { Database } from '@roster/db';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { portalErrorHandler } from '../http/error-handler.js';
import { setSessionCookie } from './cookies.js';
import { startSetupLinkSession } from './setup-link.service.js';
import { renderRefusal } from './sign-in.routes.js';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function createSetupLinkRouter(
  db: Kysely<Database>,
  logger: Logger,
  options: { sessionTtlSeconds: number },
): Router {
  const router = new Router();
  // The link is a credential in the path: the request line cuts it (@roster/observability's loggablePath).
  router.use(
    portalErrorHandler(
      (ctx, error) =>
        logger.error({ err: error, requestId: ctx.state.requestId }, 'unexpected setup link error'),
      renderRefusal,
    ),
  );

  router.get('setupLinkPage', '/sso/:org/setup/:token', (ctx) => {
    const slug = escapeHtml(String(ctx.params.org));
    // The form posts back to this same URL; nothing of the token is echoed into the page.
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.type = 'html';
    ctx.body = `<!doctype html><title>Sign in to ${slug}</title><h1>Sign in to ${slug}</h1><p>This one-time link signs you in to ${slug} as its administrator, so that you can set up single sign-on and then provisioning.</p><form method="post"><button type="submit">Sign in</button></form>`;
  });

  router.post('setupLinkSignIn', '/sso/:org/setup/:token', async (ctx) => {
    const slug = String(ctx.params.org);
    const session = await db
      .transaction()
      .execute((trx) =>
        startSetupLinkSession(trx, slug, String(ctx.params.token), options.sessionTtlSeconds),
      );
    setSessionCookie(ctx, session.token, session.expiresAt);
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(`/console/${encodeURIComponent(slug)}/`);
    ctx.status = 303;
  });

  return router;
}
