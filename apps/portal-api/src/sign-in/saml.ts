/**
 * The organization's SAML 2.0 identity provider, seen from Roster as a service provider
 * (@node-saml/node-saml): the AuthnRequest by HTTP-Redirect, and the checks of the POSTed
 * response: the IdP's signature on the assertion, issuer, audience (our entity id), time window
 * (30 s of skew) and InResponseTo (the request this browser started). Three checks the library
 * leaves to us are made here: the assertion's Issuer must be the configured IdP entity id, the
 * bearer confirmation's Recipient must be our ACS URL, and an assertion signs in once only (the
 * caller records its id).
 */
import { type CacheProvider, type Profile, SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import type { IdentityConfig } from '@roster/directory/identity';
import { PortalError } from '../portal-error.js';
import type { SignInIdentity } from './sign-in.service.js';

export interface ServiceProviderUrls {
  /** Our metadata URL, which is also our entity id. */
  samlMetadataUrl: string;
  samlAcsUrl: string;
}

/** A request-id cache of one login: the id the browser's cookie holds, nothing else. */
function oneRequest(requestId?: string): CacheProvider & { saved?: string } {
  const cache: CacheProvider & { saved?: string } = {
    async saveAsync(key, value) {
      cache.saved = key;
      return { value, createdAt: Date.now() };
    },
    getAsync: async (key) => (key === requestId ? new Date().toISOString() : null),
    removeAsync: async (key) => key,
  };
  return cache;
}

function serviceProvider(identity: IdentityConfig, urls: ServiceProviderUrls, cache: CacheProvider): SAML {
  if (!identity.samlEntryPoint || !identity.samlIdpCertificate) {
    throw new PortalError(
      409,
      'sso_incomplete',
      'SAML sign-in is not fully configured: an administrator sets the IdP sign-on URL and certificate under Identity configuration > SSO.',
    );
  }
  return new SAML({
    entryPoint: identity.samlEntryPoint,
    idpCert: identity.samlIdpCertificate,
    ...(identity.samlIdpEntityId ? { idpIssuer: identity.samlIdpEntityId } : {}),
    issuer: urls.samlMetadataUrl,
    audience: urls.samlMetadataUrl,
    callbackUrl: urls.samlAcsUrl,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    acceptedClockSkewMs: 30_000,
    validateInResponseTo: ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: 10 * 60 * 1000,
    cacheProvider: cache,
    // Entra and PingOne choose the authentication method; requesting one can make them refuse.
    disableRequestedAuthnContext: true,
  });
}

/** The IdP's sign-on URL carrying a fresh AuthnRequest, and that request's id (for the cookie). */
export async function samlAuthorizationRequest(
  identity: IdentityConfig,
  urls: ServiceProviderUrls,
): Promise<{ url: string; requestId: string }> {
  const cache = oneRequest();
  const url = await serviceProvider(identity, urls, cache).getAuthorizeUrlAsync('', undefined, {});
  if (!cache.saved) throw new Error('the SAML library made no request id');
  return { url, requestId: cache.saved };
}

/** Our metadata describes only us; the library wants IdP settings anyway, so unset ones are stubbed. */
export function samlMetadata(identity: IdentityConfig, urls: ServiceProviderUrls): string {
  return serviceProvider(
    {
      ...identity,
      samlEntryPoint: identity.samlEntryPoint ?? 'https://idp.invalid/',
      samlIdpCertificate: identity.samlIdpCertificate ?? 'unset',
    },
    urls,
    oneRequest(),
  ).generateServiceProviderMetadata(null, null);
}

type Node = Record<string, unknown>;
const first = (value: unknown): Node | undefined =>
  (Array.isArray(value) ? value[0] : value) as Node | undefined;
const attrs = (node: Node | undefined) => (node?.$ ?? {}) as Record<string, string>;

/** The email Entra and PingOne send as the emailaddress claim (or mail / email); shown by a test, never matched. */
const EMAIL_ATTRIBUTES = [
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  'email',
  'mail',
];
function emailOf(profile: Profile): string | undefined {
  for (const name of EMAIL_ATTRIBUTES) {
    const value = profile[name];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

export interface SamlSignIn {
  identity: SignInIdentity;
  assertionId: string;
  /** Until when the assertion could be replayed: its id is remembered that long. */
  expiresAt: Date;
}

/** Validates the POSTed `SAMLResponse`; anything wrong with it is a 401. */
export async function redeemSamlResponse(
  identity: IdentityConfig,
  urls: ServiceProviderUrls,
  requestId: string,
  samlResponse: string,
): Promise<SamlSignIn> {
  const refuse = (reason: string, cause?: unknown) =>
    new PortalError(
      401,
      'sign_in_failed',
      `The identity provider's SAML response was refused: ${reason}. Start the sign-in again.`,
      {
        cause,
      },
    );
  let profile: Profile | null;
  try {
    ({ profile } = await serviceProvider(identity, urls, oneRequest(requestId)).validatePostResponseAsync({
      SAMLResponse: samlResponse,
    }));
  } catch (error) {
    throw refuse(error instanceof Error ? error.message : String(error), error);
  }
  const assertion = first((profile?.getAssertion?.() as Node | undefined)?.Assertion);
  const confirmation = first(first(first(assertion?.Subject)?.SubjectConfirmation)?.SubjectConfirmationData);
  const { Recipient: recipient, NotOnOrAfter: notOnOrAfter } = attrs(confirmation);
  if (!profile || !assertion) throw refuse('it carries no assertion');
  if (identity.samlIdpEntityId && profile.issuer !== identity.samlIdpEntityId)
    throw refuse(`its Issuer is ${profile.issuer}, not ${identity.samlIdpEntityId}`);
  if (recipient !== urls.samlAcsUrl)
    throw refuse(`its Recipient is ${recipient ?? 'missing'}, not ${urls.samlAcsUrl}`);
  const assertionId = attrs(assertion).ID;
  if (!assertionId) throw refuse('its assertion has no ID');
  // The provider's account is (Issuer, NameID): SAML has no other stable subject, so the NameID
  // must be persistent (Entra's default and PingOne's email or user id are; a transient one
  // would make every sign-in after the first look like another account).
  if (!profile.nameID) throw refuse('its assertion has no NameID');
  const attribute = identity.samlUserNameAttribute;
  const value = attribute ? profile[attribute] : profile.nameID;
  // One value only: a multi-valued attribute does not name one member.
  const userName =
    typeof value === 'string' ? value : Array.isArray(value) && value.length === 1 ? value[0] : undefined;
  // The id is remembered while the assertion could be used (the library accepted its time window).
  const until = Date.parse(notOnOrAfter ?? '');
  return {
    identity: {
      userName: typeof userName === 'string' ? userName : undefined,
      source: attribute ? `the ${attribute} attribute` : 'the NameID',
      account: { issuer: profile.issuer, subject: profile.nameID },
      email: emailOf(profile),
    },
    assertionId,
    expiresAt: new Date(Number.isNaN(until) ? Date.now() + 600_000 : until),
  };
}
