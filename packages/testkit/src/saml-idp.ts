/**
 * A fake SAML 2.0 identity provider for sign-in tests: a self-signed certificate made for the
 * test (selfsigned), responses built for Roster's AuthnRequest and signed on the assertion
 * (xml-crypto: RSA-SHA256, exclusive canonicalization) as Entra ID and PingOne sign them. Every
 * part a service provider must check can be bent: audience, recipient, times, InResponseTo,
 * issuer, a forged signature, a tampered assertion.
 */
import { randomBytes } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { generate } from 'selfsigned';
import { SignedXml } from 'xml-crypto';
import { cookiePairs, sessionCookie } from './cookies.js';

export interface SamlAnswer {
  nameId: string;
  email?: string;
  audience?: string;
  recipient?: string;
  inResponseTo?: string;
  issuer?: string;
  /** Seconds from now; negative values make an expired assertion. */
  validForSeconds?: number;
  assertionId?: string;
  /** Sign with another key than the one Roster trusts. */
  forge?: boolean;
  /** Change the NameID after signing. */
  tamperWith?: string;
}

export interface FakeSamlIdp {
  entityId: string;
  ssoUrl: string;
  /** The signing certificate, PEM: what an administrator gives Roster. */
  certificate: string;
  /** A base64 SAMLResponse answering the AuthnRequest in Roster's redirect URL. */
  respond(
    authorizationUrl: string,
    answer: SamlAnswer,
  ): { samlResponse: string; acsUrl: string; assertionId: string };
}

const xmlText = (text: string) => text.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
const id = () => `_${randomBytes(16).toString('hex')}`;

function keyPair() {
  const pems = generate([{ name: 'commonName', value: 'fake-saml-idp.test' }], {
    keySize: 2048,
    days: 2,
    algorithm: 'sha256',
  });
  return { key: pems.private, cert: pems.cert };
}

export function startFakeSamlIdp(): FakeSamlIdp {
  const trusted = keyPair();
  const forger = keyPair();
  const entityId = `https://idp-${randomBytes(4).toString('hex')}.test/saml`;
  const ssoUrl = `${entityId}/sso`;
  return {
    entityId,
    ssoUrl,
    certificate: trusted.cert,
    respond(authorizationUrl, answer) {
      const encoded = new URL(authorizationUrl).searchParams.get('SAMLRequest') ?? '';
      const request = inflateRawSync(Buffer.from(encoded, 'base64')).toString('utf8');
      const requestId = /\sID="([^"]+)"/.exec(request)?.[1] ?? '';
      const acsUrl = /AssertionConsumerServiceURL="([^"]+)"/.exec(request)?.[1] ?? '';
      const spEntityId = /<saml:Issuer[^>]*>([^<]+)</.exec(request)?.[1] ?? '';
      const now = new Date();
      const until = new Date(now.getTime() + (answer.validForSeconds ?? 300) * 1000).toISOString();
      const before = new Date(now.getTime() - 60_000).toISOString();
      const issuer = xmlText(answer.issuer ?? entityId);
      const inResponseTo = xmlText(answer.inResponseTo ?? requestId);
      const recipient = xmlText(answer.recipient ?? acsUrl);
      const assertionId = answer.assertionId ?? id();
      const attributes = answer.email
        ? `<saml:AttributeStatement><saml:Attribute Name="http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"><saml:AttributeValue>${xmlText(answer.email)}</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>`
        : '';
      const xml =
        `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id()}" Version="2.0" IssueInstant="${now.toISOString()}" Destination="${xmlText(acsUrl)}" InResponseTo="${inResponseTo}">` +
        `<saml:Issuer>${issuer}</saml:Issuer>` +
        '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>' +
        `<saml:Assertion ID="${assertionId}" Version="2.0" IssueInstant="${now.toISOString()}">` +
        `<saml:Issuer>${issuer}</saml:Issuer>` +
        `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${xmlText(answer.nameId)}</saml:NameID>` +
        `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData InResponseTo="${inResponseTo}" NotOnOrAfter="${until}" Recipient="${recipient}"/></saml:SubjectConfirmation></saml:Subject>` +
        `<saml:Conditions NotBefore="${before}" NotOnOrAfter="${until}"><saml:AudienceRestriction><saml:Audience>${xmlText(answer.audience ?? spEntityId)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
        `<saml:AuthnStatement AuthnInstant="${now.toISOString()}" SessionIndex="${id()}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
        attributes +
        '</saml:Assertion></samlp:Response>';
      const signer = new SignedXml({
        privateKey: (answer.forge ? forger : trusted).key,
        canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
        signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      });
      signer.addReference({
        xpath: "//*[local-name(.)='Assertion']",
        transforms: [
          'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
          'http://www.w3.org/2001/10/xml-exc-c14n#',
        ],
        digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
      });
      signer.computeSignature(xml, {
        location: { reference: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' },
      });
      let signed = signer.getSignedXml();
      if (answer.tamperWith) signed = signed.replace(xmlText(answer.nameId), xmlText(answer.tamperWith));
      return { samlResponse: Buffer.from(signed).toString('base64'), acsUrl, assertionId };
    },
  };
}

/**
 * A browser's whole SAML sign-in to a Roster organization: login redirect to the IdP, the IdP's
 * answer POSTed to Roster's ACS with the browser's login cookie. Returns the ACS response, the
 * session cookie it set (if any), and what was posted (to replay it).
 */
export async function browserSamlSignIn(
  idp: FakeSamlIdp,
  origin: string,
  org: string,
  answer: SamlAnswer,
): Promise<{ response: Response; session: string | undefined; post: () => Promise<Response> }> {
  const login = await fetch(`${origin}/sso/${org}/login`, { redirect: 'manual' });
  const location = login.headers.get('location') ?? '';
  const cookie = cookiePairs(login).join('; ');
  const { samlResponse, acsUrl } = idp.respond(location, answer);
  const post = () =>
    fetch(acsUrl, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        Cookie: cookie,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: new URLSearchParams({ SAMLResponse: samlResponse, RelayState: '' }),
    });
  const response = await post();
  return { response, session: sessionCookie(response), post };
}
