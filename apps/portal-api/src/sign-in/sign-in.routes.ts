/**
 * Single sign-on for the portal, per organization:
 *   GET  /sso/{org}/login?returnTo=/…   redirects to the organization's OpenID provider
 *   GET  /sso/{org}/callback            the provider's redirect: validates, starts a session
 *   POST /sso/{org}/logout              ends the session
 * Refusals answer with the portal's error body as JSON, or as a short page for a browser.
 */
import Router from '@koa/router';
import type { Database } from '@roster/db';
import { getIdentityConfig } from '@roster/directory/identity';
import { findOrganizationBySlug } from '@roster/directory/organizations';
import { findSessionCredential, revokeSession } from '@roster/directory/sessions';
import type { Context, Next } from 'koa';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { toPortalError } from '../http/error-handler.js';
import { PortalError } from '../http/portal-error.js';
import { originOf } from '../identity/identity.service.js';
import {
  clearSessionCookie,
  readCookie,
  SESSION_COOKIE,
  setPendingLogin,
  setSessionCookie,
  takePendingLogin,
} from './cookies.js';
import { authorizationRequest, identifiersOf, redeem, relyingParty } from './oidc.js';
import { startSession } from './sign-in.service.js';

export interface SignInOptions {
  secretKey: Buffer;
  sessionTtlSeconds: number;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Errors as the portal's JSON body, or as a page when a browser asks for HTML. */
function signInErrors(logger: Logger) {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
    } catch (error) {
      let portalError = toPortalError(error);
      if (!portalError) {
        logger.error({ err: error, requestId: ctx.state.requestId }, 'unexpected sign-in error');
        portalError = new PortalError(500, 'internal_error', 'Sign-in failed unexpectedly; try again.');
      }
      ctx.status = portalError.status;
      if (ctx.accepts('json', 'html') === 'html') {
        ctx.type = 'html';
        ctx.body = `<!doctype html><title>Sign-in refused</title><h1>Sign-in refused</h1><p>${escapeHtml(portalError.message)}</p><p><small>${escapeHtml(String(portalError.code))}</small></p>`;
      } else {
        ctx.body = portalError.toBody();
      }
    }
  };
}

/** Where to go after sign-in: a path of this origin only (no open redirect). */
function returnPath(value: unknown, slug: string): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : `/api/v1/orgs/${slug}/members/me`;
}

export function createSignInRouter(db: Kysely<Database>, logger: Logger, options: SignInOptions): Router {
  const { secretKey } = options;
  const router = new Router();
  router.use(signInErrors(logger));

  /** The organization and its SSO configuration, refusing when SSO is off. */
  async function withSso(slug: string) {
    const org = await findOrganizationBySlug(db, slug);
    if (!org) throw new PortalError(404, 'not_found', `No organization "${slug}".`);
    const identity = await getIdentityConfig(db, org.id);
    if (!identity.ssoEnabled) {
      throw new PortalError(
        403,
        'sso_disabled',
        `Single sign-on is turned off for ${slug}: an administrator turns it on under Identity configuration > SSO.`,
      );
    }
    return { org, identity };
  }

  const callbackUrl = (ctx: Context, slug: string) => `${originOf(ctx)}/sso/${slug}/callback`;

  router.get('ssoLogin', '/sso/:org/login', async (ctx) => {
    const slug = String(ctx.params.org);
    const { identity } = await withSso(slug);
    const request = await authorizationRequest(
      await relyingParty(identity, secretKey),
      callbackUrl(ctx, slug),
    );
    setPendingLogin(ctx, secretKey, {
      org: slug,
      state: request.state,
      nonce: request.nonce,
      codeVerifier: request.codeVerifier,
      returnTo: returnPath(ctx.query.returnTo, slug),
    });
    ctx.redirect(request.url.href);
  });

  router.get('ssoCallback', '/sso/:org/callback', async (ctx) => {
    const slug = String(ctx.params.org);
    const login = takePendingLogin(ctx, secretKey, slug);
    if (!login) {
      throw new PortalError(
        400,
        'no_sign_in_in_progress',
        `This browser has no sign-in to ${slug} in progress (or it is older than 10 minutes): start again at /sso/${slug}/login.`,
      );
    }
    const { org, identity } = await withSso(slug);
    const config = await relyingParty(identity, secretKey);
    const claims = await redeem(config, new URL(ctx.originalUrl, originOf(ctx)), login);
    const session = await startSession(db, org, identifiersOf(claims), 'oidc', options.sessionTtlSeconds);
    setSessionCookie(ctx, session.token, session.expiresAt);
    ctx.redirect(login.returnTo);
    ctx.status = 303;
  });

  router.post('ssoLogout', '/sso/:org/logout', async (ctx) => {
    const token = readCookie(ctx, SESSION_COOKIE);
    const session = token ? await findSessionCredential(db, String(ctx.params.org), token) : undefined;
    if (session) await revokeSession(db, session.orgId, session.sessionId);
    clearSessionCookie(ctx);
    ctx.status = 204;
  });

  return router;
}
