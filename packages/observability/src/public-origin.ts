/**
 * The origin every externally visible URL is built from (SCIM `meta.location`, the SCIM endpoint
 * URL the portal shows, OAuth issuer and endpoints, SAML audience and ACS, OIDC redirect URIs).
 * With `PUBLIC_URL` set it is that URL's origin whatever the request says: a forged `Host` or
 * `X-Forwarded-Host` must not put an attacker's host into a URL an identity provider or a browser
 * is told to use. Without it the request's origin is used, which only development allows: in
 * production Roster refuses to start without `PUBLIC_URL` (apps/roster's start-up checks).
 */
import type { Context, Next } from 'koa';

const CONFIGURED = Symbol('roster public origin');

/** Koa middleware: every URL this app builds comes from `publicUrl` when it is given. */
export function publicOrigin(publicUrl: URL | undefined) {
  // loadConfig refuses a path in PUBLIC_URL: routes live at the root, so the origin is all of it.
  const origin = publicUrl?.origin;
  return function usePublicOrigin(ctx: Context, next: Next) {
    (ctx.state as Record<symbol, unknown>)[CONFIGURED] = origin;
    return next();
  };
}

/** `https://roster.example.com`: PUBLIC_URL's origin, else (development) the request's own. */
export function originOf(ctx: Context): string {
  const configured = (ctx.state as Record<symbol, unknown>)[CONFIGURED] as string | undefined;
  // Not ctx.origin: since Koa 3 that is the request's Origin header. Behind a proxy with
  // TRUST_PROXY, protocol and host are the forwarded ones.
  return configured ?? `${ctx.protocol}://${ctx.host}`;
}
