/**
 * A manager's decision on an OAuth authorization-code request (the consent step of
 * `GET /oauth/{org}/authorize`): approving issues a single-use code; either way the answer is the
 * URL to send the browser back to the identity provider.
 */
import type { Database } from '@roster/db';
import { findOAuthClient, issueAuthorizationCode } from '@roster/directory/oauth';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { recordMemberAction } from '../audit/record.js';
import { defineRoute } from '../http/route.js';
import { orgParams } from '../http/schemas.js';
import { checkAuthorization, redirectWith } from '../oauth/authorization-request.js';
import { PortalError } from '../portal-error.js';

const body = z
  .object({
    responseType: z.string(),
    clientId: z.string(),
    redirectUri: z.string().optional(),
    scope: z.string().optional(),
    state: z.string().max(2048).optional(),
    codeChallenge: z.string(),
    codeChallengeMethod: z.string(),
    decision: z.enum(['approve', 'deny']),
  })
  .strict();

export function oauthAuthorizationRoutes(db: Kysely<Database>) {
  return [
    defineRoute({
      method: 'post',
      path: '/orgs/{org}/identity/provisioning/oauth-authorizations',
      operationId: 'decideOAuthAuthorization',
      summary: "Approve or deny an identity provider's OAuth authorization request",
      description:
        'Takes the request that GET /oauth/{org}/authorize checked (its "approval.body"). Approving issues a single-use authorization code (5 minutes) bound to the PKCE challenge; denying returns access_denied. A request whose client or redirect URI is not this organization\'s is refused with 400 invalid_authorization_request.',
      tag: 'Identity configuration',
      access: 'manager',
      params: orgParams,
      body,
      responses: {
        200: {
          description:
            'Where to send the browser: the redirect URI with the code (or the error) and the state',
          schema: z.object({ redirectTo: z.string() }),
        },
      },
      async handle({ actor, body }) {
        const check = checkAuthorization(await findOAuthClient(db, actor.orgSlug), body);
        if (check.kind === 'show')
          throw new PortalError(400, 'invalid_authorization_request', check.description);
        if (check.kind === 'redirect') return { status: 200, body: { redirectTo: check.redirectTo } };
        const { request } = check;
        if (body.decision === 'deny') {
          return {
            status: 200,
            body: {
              redirectTo: redirectWith(request.redirectUri, {
                error: 'access_denied',
                error_description: 'A manager denied the request.',
                state: request.state,
              }),
            },
          };
        }
        const code = await db.transaction().execute(async (trx) => {
          const code = await issueAuthorizationCode(trx, {
            orgId: actor.orgId,
            clientId: request.clientId,
            redirectUri: request.redirectUri,
            redirectUriSent: request.redirectUriSent,
            codeChallenge: request.codeChallenge,
            scope: request.scope,
            approvedBy: actor.memberId,
          });
          await recordMemberAction(
            trx,
            actor,
            'identity.oauth_authorization.approved',
            { type: 'oauth_client', id: request.clientId },
            { redirectUri: request.redirectUri, scope: request.scope },
          );
          return code;
        });
        return {
          status: 200,
          body: { redirectTo: redirectWith(request.redirectUri, { code, state: request.state }) },
          headers: { 'Cache-Control': 'no-store' },
        };
      },
    }),
  ];
}
