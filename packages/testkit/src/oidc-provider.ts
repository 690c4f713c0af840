/**
 * A fake OpenID Connect provider for sign-in tests: nock answers its discovery document, JWKS
 * and token endpoint, with an RS256 key made for the test (jose). The test plays the browser:
 * it takes the authorization URL Roster redirected to, asks the provider for a code for some
 * claims, and hands the code to Roster's callback. The token endpoint checks PKCE and the
 * client's credentials as a real provider would.
 */
import { createHash, randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import nock from 'nock';
import { cookiePairs, sessionCookie } from './cookies.js';

type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export interface CodeOptions {
  /** Claims of the ID token; iss, aud, nonce, iat and exp are filled in unless given. */
  claims: JWTPayload;
  /** Sign with another key (a forged token). */
  forge?: boolean;
}

export interface FakeOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** A code for the authorization request Roster made (its URL), yielding the given claims. */
  code(authorizationUrl: string, options: CodeOptions): string;
  close(): void;
}

export async function startFakeOidcProvider(
  issuer = `https://idp-${randomBytes(4).toString('hex')}.test/tenant/v2.0`,
): Promise<FakeOidcProvider> {
  const clientId = `roster-${randomBytes(4).toString('hex')}`;
  const clientSecret = randomBytes(16).toString('base64url');
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const forger = (await generateKeyPair('RS256')).privateKey;
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/$/, '');
  const codes = new Map<string, { payload: JWTPayload; challenge: string; redirectUri: string; key: Key }>();

  const scope = nock(url.origin)
    .persist()
    .get(`${path}/.well-known/openid-configuration`)
    .reply(200, {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    })
    .get(`${path}/jwks`)
    .reply(200, { keys: [jwk] })
    .post(`${path}/token`)
    .reply(async (_uri, body) => {
      const form = new URLSearchParams(String(body));
      const grant = codes.get(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret)
        return [401, { error: 'invalid_client' }];
      if (!grant || grant.challenge !== challenge || grant.redirectUri !== form.get('redirect_uri'))
        return [400, { error: 'invalid_grant' }];
      codes.delete(form.get('code') ?? '');
      const idToken = await new SignJWT(grant.payload)
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .sign(grant.key);
      return [
        200,
        {
          access_token: randomBytes(16).toString('hex'),
          token_type: 'Bearer',
          expires_in: 3600,
          id_token: idToken,
        },
      ];
    });

  return {
    issuer,
    clientId,
    clientSecret,
    code(authorizationUrl, options) {
      const request = new URL(authorizationUrl).searchParams;
      const code = randomBytes(12).toString('base64url');
      const now = Math.floor(Date.now() / 1000);
      codes.set(code, {
        payload: {
          iss: issuer,
          aud: clientId,
          nonce: request.get('nonce') ?? undefined,
          iat: now,
          exp: now + 600,
          ...options.claims,
        },
        challenge: request.get('code_challenge') ?? '',
        redirectUri: request.get('redirect_uri') ?? '',
        key: options.forge ? forger : privateKey,
      });
      return code;
    },
    close: () => scope.persist(false),
  };
}

/**
 * A browser's whole sign-in to a Roster organization through the provider: login redirect,
 * provider code, callback. Returns the callback's response and the session cookie it set
 * (`roster_session=…`), if any.
 */
export async function browserSignIn(
  provider: FakeOidcProvider,
  origin: string,
  org: string,
  claims: JWTPayload,
): Promise<{ response: Response; session: string | undefined }> {
  const login = await fetch(`${origin}/sso/${org}/login`, { redirect: 'manual' });
  const location = login.headers.get('location');
  if (login.status !== 302 || !location) return { response: login, session: undefined };
  const request = new URL(location).searchParams;
  const callback = new URL(request.get('redirect_uri') as string);
  callback.searchParams.set('code', provider.code(location, { claims }));
  callback.searchParams.set('state', request.get('state') as string);
  const response = await fetch(callback, {
    redirect: 'manual',
    headers: { Cookie: cookiePairs(login).join('; '), Accept: 'application/json' },
  });
  return { response, session: sessionCookie(response) };
}
