/**
 * Identity configuration > SSO: the organization's OIDC identity provider. The client secret is
 * write-only: sealed at rest with the server's key, never returned, never audited.
 */
import { X509Certificate } from 'node:crypto';
import { sealSecret } from '@roster/auth/secret-box';
import type { Database } from '@roster/db';
import {
  getIdentityConfig,
  type IdentityConfig,
  saveIdentityConfig,
  signInIssuer,
} from '@roster/directory/identity';
import { clearSignInBindings } from '@roster/directory/sign-in-bindings';
import { checkDestination, EgressError } from '@roster/egress';
import { appendEvents } from '@roster/events';
import { originOf } from '@roster/observability/public-origin';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { z } from 'zod';
import { diff, eventActor, recordMemberUpdate } from '../audit/record.js';
import { defineRoute } from '../http/route.js';
import { httpsOrLoopback, orgParams } from '../http/schemas.js';
import { lockExistingOrganization } from '../organizations/lock.js';
import { portalErrors } from '../portal-error.js';
import type { IdentityDeps } from './identity.service.js';
import { type IdentityUrls, identityUrls } from './identity-urls.js';

const issuer = z
  .string()
  .trim()
  .max(2048)
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'The issuer must be an absolute URL, e.g. https://login.example.com.',
      });
      return;
    }
    // https only outside development: checked in the handler, which knows the setting.
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      ctx.addIssue({ code: 'custom', message: 'The issuer must be an https URL.' });
    }
    if (url.search || url.hash || url.username || url.password) {
      ctx.addIssue({
        code: 'custom',
        message: 'The issuer URL takes no query, fragment or credentials (OpenID Connect Discovery §4).',
      });
    }
  })
  .describe(
    'The OIDC issuer: an https URL without query or fragment, at a public address (plain http and private addresses only with ROSTER_ENV=development)',
  );

/**
 * The ID token claim whose value is the member's userName. Entra ID: `preferred_username` (or
 * `upn`, in v1 tokens or as an optional claim); other providers: `email`, with `email_verified`.
 */
const userNameClaim = z
  .enum(['email', 'preferred_username', 'upn'])
  .describe(
    "The one ID token claim matched against the member's userName: email (default; only with email_verified true), preferred_username or upn (Entra ID). Omit to keep the stored one.",
  );

/** An https URL (http only for localhost), as a SAML IdP's sign-on URL. */
const signOnUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((value) => {
    try {
      return httpsOrLoopback(new URL(value));
    } catch {
      return false;
    }
  }, 'The sign-on URL must be an https URL (http only for localhost).');

/** The IdP's signing certificate as PEM, from PEM or bare base64 (what Entra and PingOne download). */
function toPem(value: string): string | undefined {
  const body = value.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return undefined;
  const pem = `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)?.join('\n')}\n-----END CERTIFICATE-----\n`;
  try {
    new X509Certificate(pem);
    return pem;
  } catch {
    return undefined;
  }
}

const certificate = z
  .string()
  .max(20_000)
  .transform((value, ctx) => {
    const pem = toPem(value);
    if (!pem)
      ctx.addIssue({
        code: 'custom',
        message: 'The certificate must be an X.509 certificate, PEM or base64.',
      });
    return pem ?? '';
  });

/**
 * The server will fetch the issuer's discovery document, keys and tokens: refuse what the egress
 * rules refuse without resolving it (scheme, metadata names, addresses in the URL); names are
 * checked after resolution at each request. The caller is told the rule, the log gets the detail.
 */
function allowedIssuer(issuer: string, development: boolean, log: Logger): void {
  try {
    checkDestination(new URL(issuer), development);
  } catch (error) {
    if (!(error instanceof EgressError)) throw error;
    log.warn({ err: error }, 'identity provider address refused');
    throw portalErrors.invalidRequest(
      "The identity provider's address is not allowed: the issuer must be an https URL of a public host (plain http, loopback, private and link-local addresses only in development).",
    );
  }
}

const fingerprint = (pem: string | null) => (pem ? new X509Certificate(pem).fingerprint256 : null);

const ssoSchema = z.object({
  enabled: z.boolean(),
  protocol: z.enum(['oidc', 'saml']).describe('How members sign in: OpenID Connect or SAML 2.0'),
  signInUrl: z
    .string()
    .describe("Where members sign in: it redirects to the organization's identity provider"),
  redirectUri: z
    .string()
    .describe(
      "OIDC: the redirect URI to register for Roster's client at the OpenID provider (the sign-in callback)",
    ),
  samlMetadataUrl: z
    .string()
    .describe("SAML: Roster's service provider metadata; its URL is also Roster's entity id"),
  samlAcsUrl: z
    .string()
    .describe('SAML: the assertion consumer service URL (Reply URL) to register at the IdP'),
  oidc: z.object({
    issuer: z.string().nullable(),
    clientId: z.string().nullable(),
    userNameClaim,
    clientSecretSet: z
      .boolean()
      .describe('Whether a client secret is stored; the secret itself is write-only'),
  }),
  saml: z.object({
    entryPoint: z.string().nullable(),
    idpEntityId: z.string().nullable(),
    certificateSha256: z.string().nullable().describe("The stored IdP certificate's SHA-256 fingerprint"),
    userNameAttribute: z
      .string()
      .nullable()
      .describe("The SAML attribute matched against the member's userName; null: the NameID"),
  }),
});

const oidcBody = z
  .object({
    issuer,
    clientId: z.string().trim().min(1).max(500),
    clientSecret: z
      .string()
      .min(1)
      .max(4096)
      .optional()
      .describe(
        'Write-only. Omit to keep the stored secret; it is dropped when the issuer or client id changes.',
      ),
    userNameClaim: userNameClaim.optional(),
  })
  .strict();

const samlBody = z
  .object({
    entryPoint: signOnUrl.describe("The IdP's SAML sign-on URL (HTTP-Redirect binding)"),
    idpEntityId: z
      .string()
      .trim()
      .min(1)
      .max(2048)
      .optional()
      .describe("The IdP's entity id (its responses' Issuer)"),
    certificate: certificate.describe("The IdP's signing certificate, PEM or base64"),
    userNameAttribute: z
      .string()
      .trim()
      .min(1)
      .max(1024)
      .nullable()
      .optional()
      .describe(
        "The one attribute (its Name, e.g. http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress) matched against the member's userName; null: the NameID (the default). Omit to keep the stored one.",
      ),
  })
  .strict();

const ssoBody = z
  .object({
    enabled: z.boolean(),
    protocol: z.enum(['oidc', 'saml']).default('oidc'),
    oidc: oidcBody.optional(),
    saml: samlBody.optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (!body[body.protocol]) {
      ctx.addIssue({
        code: 'custom',
        path: [body.protocol],
        message: `Required with protocol "${body.protocol}".`,
      });
    }
  });

const toSso = (config: IdentityConfig, urls: IdentityUrls): z.output<typeof ssoSchema> => ({
  enabled: config.ssoEnabled,
  protocol: config.ssoProtocol,
  signInUrl: urls.signInUrl,
  redirectUri: urls.redirectUri,
  samlMetadataUrl: urls.samlMetadataUrl,
  samlAcsUrl: urls.samlAcsUrl,
  oidc: {
    issuer: config.oidcIssuer,
    clientId: config.oidcClientId,
    clientSecretSet: config.oidcClientSecretEncrypted !== null,
    userNameClaim: config.oidcUserNameClaim,
  },
  saml: {
    entryPoint: config.samlEntryPoint,
    idpEntityId: config.samlIdpEntityId,
    certificateSha256: fingerprint(config.samlIdpCertificate),
    userNameAttribute: config.samlUserNameAttribute,
  },
});

export function ssoRoutes(db: Kysely<Database>, deps: IdentityDeps) {
  return [
    defineRoute({
      method: 'get',
      path: '/orgs/{org}/identity/sso',
      operationId: 'getSso',
      summary: 'Read the SSO configuration (never the client secret)',
      tag: 'Identity configuration',
      access: 'manager',
      params: orgParams,
      responses: { 200: { description: 'The SSO configuration', schema: ssoSchema } },
      async handle({ ctx, actor }) {
        const urls = identityUrls(originOf(ctx), actor.orgSlug);
        return { status: 200, body: toSso(await getIdentityConfig(db, actor.orgId), urls) };
      },
    }),
    defineRoute({
      method: 'put',
      path: '/orgs/{org}/identity/sso',
      operationId: 'updateSso',
      summary: 'Configure the identity provider (OIDC or SAML) and enable or disable SSO',
      description:
        'protocol "oidc" (the default) needs `oidc`: enabling needs the issuer, the client id and a client secret (sent now or already stored for the same issuer and client id), else 409 sso_incomplete. protocol "saml" needs `saml`: the IdP\'s sign-on URL and signing certificate. The other protocol\'s settings are kept. SCIM provisioning relies on SSO: disabling it while SCIM is on is refused with 409 sso_required_by_scim.',
      tag: 'Identity configuration',
      access: 'manager',
      params: orgParams,
      body: ssoBody,
      responses: { 200: { description: 'The saved SSO configuration', schema: ssoSchema } },
      async handle({ ctx, actor, body }) {
        const urls = identityUrls(originOf(ctx), actor.orgSlug);
        if (body.oidc) allowedIssuer(body.oidc.issuer, deps.development, ctx.state.log as Logger);
        const saved = await db.transaction().execute(async (trx) => {
          await lockExistingOrganization(trx, actor.orgId);
          const config = await getIdentityConfig(trx, actor.orgId, { forUpdate: true });
          if (!body.enabled && config.scimEnabled) {
            throw portalErrors.precondition(
              'sso_required_by_scim',
              `SCIM provisioning relies on SSO: turn SCIM provisioning off first (PUT ${urls.provisioningUrl} with "scimEnabled": false), then disable SSO.`,
            );
          }
          // A stored secret belongs to one client of one issuer: never send it to another one.
          const oidc = body.oidc;
          const clientChanged =
            oidc !== undefined &&
            (config.oidcIssuer !== oidc.issuer || config.oidcClientId !== oidc.clientId);
          const given = oidc?.clientSecret;
          const sealed =
            given !== undefined
              ? sealSecret(given, deps.secretKey)
              : clientChanged
                ? null
                : config.oidcClientSecretEncrypted;
          if (body.enabled && body.protocol === 'oidc' && sealed === null) {
            throw portalErrors.precondition(
              'sso_incomplete',
              clientChanged && config.oidcClientSecretEncrypted !== null
                ? 'The issuer or client id changed, so the stored client secret no longer applies: send this client\'s secret in "oidc.clientSecret" to enable SSO.'
                : 'SSO can be enabled only with an OIDC issuer, a client id and a client secret: send the client secret in "oidc.clientSecret".',
            );
          }
          const after = await saveIdentityConfig(trx, actor.orgId, {
            ...config,
            ssoEnabled: body.enabled,
            ssoProtocol: body.protocol,
            oidcIssuer: oidc ? oidc.issuer : config.oidcIssuer,
            oidcClientId: oidc ? oidc.clientId : config.oidcClientId,
            oidcClientSecretEncrypted: sealed,
            oidcUserNameClaim: oidc?.userNameClaim ?? config.oidcUserNameClaim,
            ...(body.saml
              ? {
                  samlEntryPoint: body.saml.entryPoint,
                  samlIdpEntityId: body.saml.idpEntityId ?? null,
                  samlIdpCertificate: body.saml.certificate,
                  samlUserNameAttribute:
                    body.saml.userNameAttribute === undefined
                      ? config.samlUserNameAttribute
                      : body.saml.userNameAttribute,
                }
              : {}),
          });
          const fields = (c: IdentityConfig) => ({
            enabled: c.ssoEnabled,
            protocol: c.ssoProtocol,
            issuer: c.oidcIssuer,
            clientId: c.oidcClientId,
            samlEntryPoint: c.samlEntryPoint,
            samlIdpEntityId: c.samlIdpEntityId,
            samlCertificateSha256: fingerprint(c.samlIdpCertificate),
            userNameClaim: c.oidcUserNameClaim,
            samlUserNameAttribute: c.samlUserNameAttribute,
          });
          const changes = diff(fields(config), fields(after));
          // The event says what a product service can act on: a replaced client secret alone is none.
          const settingsChanged = Object.keys(changes).length > 0;
          // What happened to the secret, never the secret.
          if (given !== undefined)
            changes.clientSecret = config.oidcClientSecretEncrypted ? 'replaced' : 'set';
          else if (sealed === null && config.oidcClientSecretEncrypted !== null)
            changes.clientSecret = 'cleared';
          await recordMemberUpdate(
            trx,
            actor,
            'identity.sso.updated',
            { type: 'identity_config', id: actor.orgId },
            changes,
          );
          // Members are bound to accounts of the issuer they signed in with: another issuer's
          // accounts are other accounts, so the bindings go (and only here).
          if (signInIssuer(config) !== signInIssuer(after)) {
            const cleared = await clearSignInBindings(trx, actor.orgId);
            if (cleared > 0) {
              await recordMemberUpdate(
                trx,
                actor,
                'identity.sign_in_bindings.cleared',
                { type: 'identity_config', id: actor.orgId },
                { cleared, issuer: { from: signInIssuer(config), to: signInIssuer(after) } },
              );
            }
          }
          // Last, after every other write of the change (the events' append requires it).
          if (settingsChanged) {
            await appendEvents(trx, actor.orgId, [
              { type: 'identity.sso_updated', actor: eventActor(actor), data: fields(after) },
            ]);
          }
          return after;
        });
        return { status: 200, body: toSso(saved, urls) };
      },
    }),
  ];
}
