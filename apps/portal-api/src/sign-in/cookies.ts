/**
 * The two cookies of sign-in. `roster_session` holds the session token: HTTP-only, Secure,
 * SameSite=Lax, for the whole origin. `roster_sign_in` holds a login in progress (state, nonce,
 * PKCE verifier) sealed under the cookie key derived from the server's secret, and scoped to the organization's /sso/ path: it
 * binds the IdP's answer to the browser that started the login, so a code injected into another
 * browser is refused (login CSRF).
 */
import { openSecret, sealSecret } from '@roster/auth/secret-box';
import { parse, serialize } from 'cookie';
import type { Context } from 'koa';

export const SESSION_COOKIE = 'roster_session';
const LOGIN_COOKIE = 'roster_sign_in';
const LOGIN_SECONDS = 600;

export interface PendingLogin {
  org: string;
  returnTo: string;
  expiresAt: number;
  /** An OpenID Connect login: what the callback checks the provider's answer against. */
  oidc?: { state: string; nonce: string; codeVerifier: string };
  /** A SAML login: the AuthnRequest's id, which the response must be InResponseTo. */
  saml?: { requestId: string };
  /**
   * A manager's "Test sign-in" (its id): the callback records the outcome of that test and signs
   * nobody in. Sealed with the rest, so it cannot be removed to turn a test into a sign-in.
   */
  test?: string;
}

const base = { httpOnly: true, secure: true, sameSite: 'lax' as const };

export function readCookie(ctx: Context, name: string): string | undefined {
  const header = ctx.get('cookie');
  return header ? parse(header)[name] : undefined;
}

function append(ctx: Context, cookie: string) {
  ctx.append('Set-Cookie', cookie);
}

export function setSessionCookie(ctx: Context, token: string, expiresAt: Date) {
  append(ctx, serialize(SESSION_COOKIE, token, { ...base, path: '/', expires: expiresAt }));
}

export function clearSessionCookie(ctx: Context) {
  append(ctx, serialize(SESSION_COOKIE, '', { ...base, path: '/', maxAge: 0 }));
}

const loginPath = (org: string) => `/sso/${org}/`;

/**
 * SAML's response comes back as a cross-site POST, which a SameSite=Lax cookie would not follow:
 * the SAML login cookie is SameSite=None (still Secure, HttpOnly, path-scoped and sealed).
 */
export function setPendingLogin(ctx: Context, key: Buffer, login: Omit<PendingLogin, 'expiresAt'>) {
  const sealed = sealSecret(
    JSON.stringify({ ...login, expiresAt: Date.now() + LOGIN_SECONDS * 1000 }),
    key,
    'cookie',
  );
  const sameSite = login.saml ? ('none' as const) : ('lax' as const);
  append(
    ctx,
    serialize(LOGIN_COOKIE, sealed, { ...base, sameSite, path: loginPath(login.org), maxAge: LOGIN_SECONDS }),
  );
}

/** The login this browser started for the organization, if its cookie is intact and fresh. */
export function takePendingLogin(ctx: Context, key: Buffer, org: string): PendingLogin | undefined {
  const sealed = readCookie(ctx, LOGIN_COOKIE);
  append(ctx, serialize(LOGIN_COOKIE, '', { ...base, path: loginPath(org), maxAge: 0 }));
  if (!sealed) return undefined;
  try {
    const login = JSON.parse(openSecret(sealed, key, 'cookie')) as PendingLogin;
    return login.org === org && login.expiresAt > Date.now() ? login : undefined;
  } catch {
    return undefined;
  }
}
