/**
 * Single sign-on for the portal, per organization, with OpenID Connect or SAML 2.0:
 *   GET  /sso/{org}/login?returnTo=/…   redirects to the organization's identity provider
 *   GET  /sso/{org}/callback            OIDC: the provider's redirect; validates, starts a session
 *   POST /sso/{org}/saml/acs            SAML: the IdP's POSTed response; validates, starts a session
 *   GET  /sso/{org}/saml/metadata       SAML: our service provider metadata, for the IdP
 *   POST /sso/{org}/logout              ends the session
 *   GET  /sso/{org}/test/{testId}       a manager's "Test sign-in" (started by the portal API): the
 *                                       same round trip with the saved settings, SSO on or off; its
 *                                       callback records the outcome and signs nobody in
 * Refusals answer with the portal's error body as JSON, or as a short page for a browser.
 */
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Database, SignInMethod } from '@roster/db';
import { recordAuditEvent } from '@roster/directory/audit';
import { getIdentityConfig, type IdentityConfig } from '@roster/directory/identity';
import { findOrganizationBySlug } from '@roster/directory/organizations';
import { findSessionCredential, revokeSession, useSamlAssertion } from '@roster/directory/sessions';
import { completeSsoSignInTest, findSsoSignInTest } from '@roster/directory/sso-sign-in-tests';
import type { EgressFetch } from '@roster/egress';
import { originOf } from '@roster/observability/public-origin';
import type { Context } from 'koa';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { portalErrorHandler } from '../http/error-handler.js';
import { identityUrls } from '../identity/identity-urls.js';
import { PortalError } from '../portal-error.js';
import {
  clearSessionCookie,
  readCookie,
  SESSION_COOKIE,
  setPendingLogin,
  setSessionCookie,
  takePendingLogin,
} from './cookies.js';
import { authorizationRequest, redeem, relyingParties, signInIdentityOf } from './oidc.js';
import { redeemSamlResponse, samlAuthorizationRequest, samlMetadata } from './saml.js';
import { memberSigningIn, refuseOtherAccount, type SignInIdentity, startSession } from './sign-in.service.js';

export interface SignInOptions {
  secretKey: Buffer;
  sessionTtlSeconds: number;
  /** `config.development`: an http issuer is allowed. */
  development: boolean;
  /** How the server reaches identity providers (@roster/egress). */
  fetch: EgressFetch;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A refusal as the portal's JSON error body, or as a page when a browser asks for HTML. */
export function renderRefusal(ctx: Context, error: PortalError) {
  if (ctx.accepts('json', 'html') === 'html') {
    ctx.type = 'html';
    ctx.body = `<!doctype html><title>Sign-in refused</title><h1>Sign-in refused</h1><p>${escapeHtml(error.message)}</p><p><small>${escapeHtml(String(error.code))}</small></p>`;
  } else {
    ctx.body = error.toBody();
  }
}

/** Where to go after sign-in: a path of this origin only (no open redirect); by default the console. */
function returnPath(value: unknown, slug: string): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value)
    ? value
    : `/console/${encodeURIComponent(slug)}/`;
}

const noLogin = (slug: string) =>
  new PortalError(
    400,
    'no_sign_in_in_progress',
    `This browser has no sign-in to ${slug} in progress (or it is older than 10 minutes): start again at /sso/${slug}/login.`,
  );

export function createSignInRouter(db: Kysely<Database>, logger: Logger, options: SignInOptions): Router {
  const { secretKey } = options;
  const relyingParty = relyingParties({
    secretKey,
    fetch: options.fetch,
    development: options.development,
    logger,
  });
  const router = new Router();
  router.use(
    portalErrorHandler(
      (ctx, error) =>
        logger.error({ err: error, requestId: ctx.state.requestId }, 'unexpected sign-in error'),
      renderRefusal,
    ),
  );

  /**
   * Signs the member in: checks who it is, then binds, starts the session and audits in the
   * route's transaction; another account than the member's is audited and refused after it.
   */
  async function signIn(org: { id: string; slug: string }, identity: SignInIdentity, method: SignInMethod) {
    const member = await memberSigningIn(db, org, identity);
    const started = await db
      .transaction()
      .execute((trx) => startSession(trx, org, member, identity, method, options.sessionTtlSeconds));
    if (started.outcome !== 'signed_in')
      return refuseOtherAccount(db, org, member, identity, method, started.outcome);
    return started;
  }

  /** The organization and its saved SSO configuration, SSO on or off (a test uses it either way). */
  async function withIdentity(slug: string) {
    const org = await findOrganizationBySlug(db, slug);
    if (!org) throw new PortalError(404, 'not_found', `No organization "${slug}".`);
    return { org, identity: await getIdentityConfig(db, org.id) };
  }

  /** The organization and its SSO configuration, refusing when SSO is off. */
  async function withSso(slug: string) {
    const { org, identity } = await withIdentity(slug);
    if (!identity.ssoEnabled) {
      throw new PortalError(
        403,
        'sso_disabled',
        `Single sign-on is turned off for ${slug}: an administrator turns it on under Identity configuration > SSO.`,
      );
    }
    return { org, identity };
  }

  /** Redirects the browser to the provider, its pending login (state, nonce, PKCE or request id) in the cookie. */
  async function toProvider(
    ctx: Context,
    slug: string,
    identity: IdentityConfig,
    pending: { returnTo: string; test?: string },
  ) {
    if (identity.ssoProtocol === 'saml') {
      const request = await samlAuthorizationRequest(identity, identityUrls(originOf(ctx), slug));
      setPendingLogin(ctx, secretKey, { org: slug, ...pending, saml: { requestId: request.requestId } });
      ctx.redirect(request.url);
      return;
    }
    // The redirect URI the SSO page tells the administrator to register.
    const request = await authorizationRequest(
      await relyingParty(identity),
      identityUrls(originOf(ctx), slug).redirectUri,
    );
    setPendingLogin(ctx, secretKey, {
      org: slug,
      ...pending,
      oidc: { state: request.state, nonce: request.nonce, codeVerifier: request.codeVerifier },
    });
    ctx.redirect(request.url.href);
  }

  router.get('ssoLogin', '/sso/:org/login', async (ctx) => {
    const slug = String(ctx.params.org);
    const { identity } = await withSso(slug);
    await toProvider(ctx, slug, identity, { returnTo: returnPath(ctx.query.returnTo, slug) });
  });

  /**
   * Starts a manager's test: only in the browser of the member who started it (their session
   * cookie), still a manager, while it is pending. The pending login carries the test's id, sealed.
   */
  router.get('ssoTestStart', '/sso/:org/test/:testId', async (ctx) => {
    const slug = String(ctx.params.org);
    const { org, identity } = await withIdentity(slug);
    const token = readCookie(ctx, SESSION_COOKIE);
    const session = token ? await findSessionCredential(db, slug, token) : undefined;
    const live =
      session &&
      !session.expired &&
      !session.revoked &&
      session.member.active &&
      session.member.role === 'manager';
    const test = live
      ? await findSsoSignInTest(db, org.id, String(ctx.params.testId), session.member.id)
      : undefined;
    if (test?.status !== 'pending') {
      throw new PortalError(
        404,
        'not_found',
        'No test sign-in in progress with this id for the member signed in to this browser: start a new test on the SSO page.',
      );
    }
    await toProvider(ctx, slug, identity, { returnTo: '', test: test.id });
  });

  /**
   * A test's callback: the provider's answer went through the same checks as a sign-in (`redeem`);
   * the outcome (who the provider said it is, and which member that names, or why it failed) is
   * recorded once and shown on a page. No session, no binding: nobody is signed in.
   */
  async function finishTest(
    ctx: Context,
    org: { id: string; slug: string },
    testId: string,
    identify: () => Promise<SignInIdentity>,
  ) {
    let result: { status: 'succeeded' | 'failed'; outcome: Record<string, unknown> };
    try {
      const identity = await identify();
      const member = await memberSigningIn(db, org, identity).then(
        (found) => ({ signsInAs: found.userName, refusal: null }),
        (error: unknown) => {
          if (error instanceof PortalError) return { signsInAs: null, refusal: error.message };
          throw error;
        },
      );
      result = {
        status: 'succeeded',
        outcome: {
          issuer: identity.account.issuer,
          subject: identity.account.subject,
          userName: identity.userName ?? null,
          userNameSource: identity.source,
          email: identity.email ?? null,
          ...member,
        },
      };
    } catch (error) {
      if (!(error instanceof PortalError)) throw error;
      result = { status: 'failed', outcome: { code: error.code, message: error.message } };
    }
    const recorded = await db.transaction().execute(async (trx) => {
      const memberId = await completeSsoSignInTest(trx, org.id, testId, result);
      if (memberId) {
        await recordAuditEvent(trx, {
          orgId: org.id,
          actor: { type: 'member', id: memberId },
          action: 'identity.sso.test_completed',
          target: { type: 'identity_config', id: org.id },
          changes: {
            testId,
            status: result.status,
            ...(result.status === 'failed' ? { code: result.outcome.code } : {}),
          },
        });
      }
      return memberId !== undefined;
    });
    if (!recorded) {
      throw new PortalError(
        409,
        'sso_test_not_pending',
        'This test sign-in has already finished or has expired: start a new test on the SSO page.',
      );
    }
    const title = `Test sign-in ${result.status}`;
    const o = result.outcome;
    const detail =
      result.status === 'succeeded'
        ? `The identity provider answered for ${String(o.userName ?? `subject ${o.subject}`)} (${String(o.userNameSource)}). ${o.signsInAs ? `With SSO on, this signs in as ${String(o.signsInAs)}.` : String(o.refusal)}`
        : String(o.message);
    if (ctx.accepts('json', 'html') === 'html') {
      ctx.type = 'html';
      ctx.body = `<!doctype html><html lang="en"><title>${title}</title><h1>${title}</h1><p>${escapeHtml(detail)}</p><p>Nobody was signed in. You can close this window: the SSO page shows the result.</p></html>`;
    } else {
      ctx.body = { testId, status: result.status, outcome: result.outcome };
    }
  }

  router.get('ssoCallback', '/sso/:org/callback', async (ctx) => {
    const slug = String(ctx.params.org);
    const login = takePendingLogin(ctx, secretKey, slug);
    if (!login) throw noLogin(slug);
    const callbackUrl = new URL(ctx.originalUrl, originOf(ctx));
    if (login.test) {
      const { org, identity } = await withIdentity(slug);
      const checks = login.oidc;
      if (!checks) throw noLogin(slug);
      await finishTest(ctx, org, login.test, async () => {
        const claims = await redeem(await relyingParty(identity), callbackUrl, checks, logger);
        return signInIdentityOf(claims, identity.oidcUserNameClaim);
      });
      return;
    }
    const { org, identity } = await withSso(slug);
    if (!login.oidc) throw noLogin(slug);
    const config = await relyingParty(identity);
    const claims = await redeem(config, callbackUrl, login.oidc, logger);
    const session = await signIn(org, signInIdentityOf(claims, identity.oidcUserNameClaim), 'oidc');
    setSessionCookie(ctx, session.token, session.expiresAt);
    ctx.redirect(login.returnTo);
    ctx.status = 303;
  });

  router.post(
    'samlAcs',
    '/sso/:org/saml/acs',
    bodyParser({ enableTypes: ['form'], formLimit: '256kb' }),
    async (ctx) => {
      const slug = String(ctx.params.org);
      const login = takePendingLogin(ctx, secretKey, slug);
      const requestId = login?.saml?.requestId;
      if (!login || !requestId) throw noLogin(slug);
      const { org, identity } = login.test ? await withIdentity(slug) : await withSso(slug);
      const form = ctx.request.body as Record<string, unknown> | undefined;
      const response = typeof form?.SAMLResponse === 'string' ? form.SAMLResponse : undefined;
      if (!response) throw new PortalError(400, 'invalid_request', 'The POST carries no SAMLResponse.');
      /** The same checks for a test and a sign-in, and the assertion is used up either way. */
      const redeemOnce = async () => {
        const saml = await redeemSamlResponse(
          identity,
          identityUrls(originOf(ctx), slug),
          requestId,
          response,
        );
        if (!(await useSamlAssertion(db, org.id, saml.assertionId, saml.expiresAt))) {
          throw new PortalError(
            401,
            'sign_in_failed',
            'This SAML assertion has already been used: start the sign-in again.',
          );
        }
        return saml;
      };
      if (login.test) {
        await finishTest(ctx, org, login.test, async () => (await redeemOnce()).identity);
        return;
      }
      const saml = await redeemOnce();
      const session = await signIn(org, saml.identity, 'saml');
      setSessionCookie(ctx, session.token, session.expiresAt);
      ctx.redirect(login.returnTo);
      ctx.status = 303;
    },
  );

  router.get('samlMetadata', '/sso/:org/saml/metadata', async (ctx) => {
    const slug = String(ctx.params.org);
    const org = await findOrganizationBySlug(db, slug);
    if (!org) throw new PortalError(404, 'not_found', `No organization "${slug}".`);
    ctx.type = 'application/samlmetadata+xml';
    ctx.body = samlMetadata(await getIdentityConfig(db, org.id), identityUrls(originOf(ctx), slug));
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
