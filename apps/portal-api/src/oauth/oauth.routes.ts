/**
 * The organization's OAuth 2.0 authorization server for SCIM clients, outside /api/v1 because
 * identity providers, not portal users, call it:
 * - `GET /.well-known/oauth-authorization-server/oauth/{org}`: RFC 8414 metadata;
 * - `POST /oauth/{org}/token`: the token endpoint;
 * - `GET /oauth/{org}/authorize`: the authorization endpoint. It checks the request and answers
 *   with what a manager approves; the approval itself is the portal API's
 *   `POST /api/v1/orgs/{org}/identity/provisioning/oauth-authorizations`, which redirects back.
 * Token requests are rate-limited per authenticated client (per address while authentication
 * fails), authorization requests per address, both per organization (OAUTH_RATE_LIMIT_*).
 */
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import { SCIM_SCOPE } from '@roster/auth/access-tokens';
import type { Database } from '@roster/db';
import { findOAuthClient, touchClientSecret } from '@roster/directory/oauth';
import { SLUG } from '@roster/directory/organizations';
import { allowedMethods, FALLBACK_ROUTE } from '@roster/observability';
import { originOf } from '@roster/observability/public-origin';
import { type RateLimiter, refusalDetail } from '@roster/rate-limit';
import type { Context } from 'koa';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { checkAuthorization } from './authorization-request.js';
import { type AuthenticatedClient, authenticateClient } from './client-authentication.js';
import { formOf } from './form.js';
import { NO_STORE, OAuthError, oauthErrorHandler } from './oauth-error.js';
import { assertClientMayProvision, tokenService } from './token.service.js';

/** The issuer identifier of an organization's authorization server (RFC 8414 §2). */
export const issuerOf = (origin: string, slug: string) => `${origin}/oauth/${slug}`;

export function oauthMetadata(origin: string, slug: string) {
  const issuer = issuerOf(origin, slug);
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    grant_types_supported: ['client_credentials', 'authorization_code', 'refresh_token'],
    response_types_supported: ['code'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: [SCIM_SCOPE],
  };
}

function slugOf(ctx: Context): string {
  const slug = String(ctx.params.org ?? '');
  // Answer the same for every well-formed slug: the endpoints don't reveal which organizations exist.
  if (!SLUG.test(slug))
    throw new OAuthError(404, 'invalid_request', 'There is no authorization server at this URL.');
  return slug;
}

const single = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

export interface OAuthRouterOptions {
  accessTokenTtlSeconds?: number | undefined;
  refreshTokenTtlSeconds?: number | undefined;
  /** Counts token and authorization requests (its own organization bucket); absent: not limited. */
  rateLimiter?: RateLimiter | undefined;
}

export function createOAuthRouter(
  db: Kysely<Database>,
  logger: Logger,
  signingKey: Uint8Array,
  options: OAuthRouterOptions = {},
): Router {
  const tokens = tokenService(db, signingKey, options.accessTokenTtlSeconds, options.refreshTokenTtlSeconds);
  const { rateLimiter } = options;
  /** One request counted for `who` in the organization: 429 with Retry-After, in OAuth's error body, once a limit is reached. */
  const count = (orgId: string, who: string) => {
    const refused = rateLimiter?.enabled ? rateLimiter.take(orgId, who) : undefined;
    if (refused) {
      // §5.2 has no code for it: "temporarily_unavailable" (§4.1.2.1) says what it means, the
      // status and Retry-After when to come back.
      throw new OAuthError(429, 'temporarily_unavailable', refusalDetail(refused), {
        'Retry-After': String(refused.retryAfterSeconds),
      });
    }
  };
  const onTouchError = (error: unknown) => logger.warn({ err: error }, 'could not record client secret use');
  const router = new Router();
  router.use(
    oauthErrorHandler((ctx, error) =>
      logger.error({ err: error, requestId: ctx.state.requestId }, 'unexpected error'),
    ),
  );

  router.get('oauthMetadata', '/.well-known/oauth-authorization-server/oauth/:org', (ctx) => {
    ctx.body = oauthMetadata(originOf(ctx), slugOf(ctx));
  });

  router.post(
    'oauthToken',
    '/oauth/:org/token',
    bodyParser({ enableTypes: ['form'], formLimit: '16kb' }),
    async (ctx) => {
      const slug = slugOf(ctx);
      const form = formOf(ctx);
      const found = await findOAuthClient(db, slug);
      let client: AuthenticatedClient;
      try {
        client = authenticateClient(ctx, form, found);
      } catch (refused) {
        // A client that fails to authenticate is counted by its address, so it cannot use up the
        // budget of the client whose id it sends (client ids are not secret).
        if (found) count(found.orgId, `address:${ctx.ip}`);
        throw refused;
      }
      count(client.orgId, `oauth_client:${client.clientId}`);
      touchClientSecret(db, client.orgId, client.secret, onTouchError);
      assertClientMayProvision(client);
      const response = await tokens.grant(client, form, issuerOf(originOf(ctx), slug));
      ctx.set(NO_STORE);
      ctx.body = response;
      ctx.state.logFields = {
        ...ctx.state.logFields,
        org: slug,
        credential: { type: 'oauth_client', id: client.clientId },
      };
    },
  );

  router.get('oauthAuthorize', '/oauth/:org/authorize', async (ctx) => {
    const slug = slugOf(ctx);
    const query = ctx.query;
    const client = await findOAuthClient(db, slug);
    // A browser: counted by its address (and its organization); an unknown organization costs one lookup.
    if (client) count(client.orgId, `address:${ctx.ip}`);
    const check = checkAuthorization(client, {
      responseType: single(query.response_type),
      clientId: single(query.client_id),
      redirectUri: single(query.redirect_uri),
      scope: single(query.scope),
      state: single(query.state),
      codeChallenge: single(query.code_challenge),
      codeChallengeMethod: single(query.code_challenge_method),
    });
    ctx.set(NO_STORE);
    if (check.kind === 'show') throw new OAuthError(400, 'invalid_request', check.description);
    if (check.kind === 'redirect') {
      ctx.redirect(check.redirectTo);
      return;
    }
    const { request } = check;
    // Until sign-in exists, the portal (holding the manager's session) renders this and posts the decision.
    ctx.body = {
      organization: slug,
      clientId: request.clientId,
      scope: request.scope,
      redirectUri: request.redirectUri,
      approval: {
        method: 'POST',
        url: `${originOf(ctx)}/api/v1/orgs/${slug}/identity/provisioning/oauth-authorizations`,
        body: {
          clientId: request.clientId,
          // Only when sent: the approval must remember whether the token request has to repeat it.
          ...(request.redirectUriSent ? { redirectUri: request.redirectUri } : {}),
          scope: request.scope,
          state: request.state,
          codeChallenge: request.codeChallenge,
          codeChallengeMethod: 'S256',
          responseType: 'code',
          decision: 'approve',
        },
      },
    };
  });

  // Anything else here is an OAuth-shaped 404, or a 405 naming the methods of a known endpoint.
  for (const path of ['/oauth/{*rest}', '/.well-known/oauth-authorization-server/{*rest}']) {
    router.all(FALLBACK_ROUTE, path, (ctx) => {
      const allowed = allowedMethods(ctx);
      if (allowed.length > 0) {
        throw new OAuthError(405, 'invalid_request', `Use ${allowed.join(', ')} here.`, {
          Allow: allowed.join(', '),
        });
      }
      throw new OAuthError(
        404,
        'invalid_request',
        'There is no authorization server endpoint at this URL: see /.well-known/oauth-authorization-server/oauth/{organization}.',
      );
    });
  }
  return router;
}
