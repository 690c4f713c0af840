/**
 * Identity configuration > SSO > Test sign-in: a manager checks the saved settings against the
 * identity provider before SSO is on. Starting a test returns the URL to open in the manager's
 * browser (GET /sso/{org}/test/{testId}, sign-in.routes.ts), which goes through the same OIDC or
 * SAML round trip as a sign-in; its callback records the outcome and signs nobody in. The console
 * polls the test until it has one. A test is the starting member's only.
 */
import type { Database } from '@roster/db';
import { getIdentityConfig } from '@roster/directory/identity';
import {
  findSsoSignInTest,
  type SsoSignInTest,
  startSsoSignInTest,
} from '@roster/directory/sso-sign-in-tests';
import { originOf } from '@roster/observability/public-origin';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { recordMemberAction } from '../audit/record.js';
import { defineRoute } from '../http/route.js';
import { orgParams, timestamp } from '../http/schemas.js';
import { portalErrors } from '../portal-error.js';

const testSchema = z.object({
  id: z.string(),
  protocol: z.enum(['oidc', 'saml']),
  status: z
    .enum(['pending', 'succeeded', 'failed', 'expired'])
    .describe('pending until the identity provider answers (10 minutes at most, then expired)'),
  startedAt: timestamp,
  expiresAt: timestamp,
  completedAt: timestamp.nullable(),
  identity: z
    .object({
      issuer: z.string(),
      subject: z.string(),
      userName: z.string().nullable().describe('The value of the configured claim or attribute'),
      userNameSource: z.string().describe('Which claim or attribute it came from'),
      email: z.string().nullable(),
      signsInAs: z.string().nullable().describe('The member this identity signs in as once SSO is on'),
      refusal: z.string().nullable().describe('Why it would not sign anyone in, when it would not'),
    })
    .nullable()
    .describe('succeeded: who the identity provider said signed in'),
  error: z
    .object({ code: z.string(), message: z.string() })
    .nullable()
    .describe("failed: the refusal, in the identity provider's or the library's words"),
});

const toBody = (test: SsoSignInTest): z.output<typeof testSchema> => {
  const o = test.outcome as Record<string, string | null> | null;
  return {
    id: test.id,
    protocol: test.protocol,
    status: test.status,
    startedAt: test.createdAt.toISOString(),
    expiresAt: test.expiresAt.toISOString(),
    completedAt: test.completedAt?.toISOString() ?? null,
    identity:
      test.status === 'succeeded' && o
        ? {
            issuer: String(o.issuer),
            subject: String(o.subject),
            userName: o.userName ?? null,
            userNameSource: String(o.userNameSource),
            email: o.email ?? null,
            signsInAs: o.signsInAs ?? null,
            refusal: o.refusal ?? null,
          }
        : null,
    error: test.status === 'failed' && o ? { code: String(o.code), message: String(o.message) } : null,
  };
};

export function ssoTestRoutes(db: Kysely<Database>) {
  return [
    defineRoute({
      method: 'post',
      path: '/orgs/{org}/identity/sso/tests',
      operationId: 'startSsoTest',
      summary: 'Start a test sign-in with the saved SSO settings (SSO on or off)',
      description:
        'Returns the URL to open in the browser of the manager who starts it (it needs their session cookie): it redirects to the identity provider, whose answer goes through the same checks as a sign-in, is recorded in this test and signs nobody in. Poll GET …/sso/tests/{testId} for the outcome. Settings that cannot make a request (no issuer, client id or secret; no SAML sign-on URL or certificate) are refused with 409 sso_incomplete.',
      tag: 'Identity configuration',
      access: 'manager',
      params: orgParams,
      responses: {
        201: {
          description: 'The test, pending, and where to open it',
          schema: z.object({
            testId: z.string(),
            url: z.string().describe('Open in the manager’s browser: redirects to the identity provider'),
            expiresAt: timestamp,
          }),
        },
      },
      async handle({ ctx, actor }) {
        const config = await getIdentityConfig(db, actor.orgId);
        const complete =
          config.ssoProtocol === 'saml'
            ? Boolean(config.samlEntryPoint && config.samlIdpCertificate)
            : Boolean(config.oidcIssuer && config.oidcClientId && config.oidcClientSecretEncrypted);
        if (!complete) {
          throw portalErrors.precondition(
            'sso_incomplete',
            config.ssoProtocol === 'saml'
              ? 'Save the SAML sign-on URL and signing certificate first, then test the sign-in.'
              : 'Save the OIDC issuer, client id and client secret first, then test the sign-in.',
          );
        }
        const test = await db.transaction().execute(async (trx) => {
          const test = await startSsoSignInTest(trx, {
            orgId: actor.orgId,
            memberId: actor.memberId,
            protocol: config.ssoProtocol,
          });
          await recordMemberAction(
            trx,
            actor,
            'identity.sso.test_started',
            { type: 'identity_config', id: actor.orgId },
            { testId: test.id, protocol: test.protocol },
          );
          return test;
        });
        return {
          status: 201,
          body: {
            testId: test.id,
            url: `${originOf(ctx)}/sso/${actor.orgSlug}/test/${test.id}`,
            expiresAt: test.expiresAt.toISOString(),
          },
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/orgs/{org}/identity/sso/tests/{testId}',
      operationId: 'getSsoTest',
      summary: "A test sign-in's state and outcome",
      description: 'Only the member who started the test sees it; anyone else gets 404.',
      tag: 'Identity configuration',
      access: 'manager',
      params: orgParams.extend({ testId: z.string().regex(/^[0-9a-f]{32}$/) }),
      responses: { 200: { description: 'The test', schema: testSchema } },
      async handle({ actor, params }) {
        const test = await findSsoSignInTest(db, actor.orgId, params.testId, actor.memberId);
        if (!test) throw portalErrors.notFound(`No test sign-in ${params.testId} of yours.`);
        return { status: 200, body: toBody(test), headers: { 'Cache-Control': 'no-store' } };
      },
    }),
  ];
}
