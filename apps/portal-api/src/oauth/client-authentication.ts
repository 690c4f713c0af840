/**
 * Client authentication at the token endpoint (RFC 6749 §2.3.1): HTTP Basic
 * (`client_secret_basic`) or the credentials in the form body (`client_secret_post`), never both.
 * Ping's "OAuth2 Client Credentials" and Microsoft's validation harness use either, so both work.
 */
import { verifySecret } from '@roster/auth/api-keys';
import { isExpired, type OAuthClient, type OAuthClientSecret } from '@roster/directory/oauth';
import type { Context } from 'koa';
import type { Form } from './form.js';
import { OAuthError } from './oauth-error.js';

interface Presented {
  id: string;
  secret: string;
  method: 'client_secret_basic' | 'client_secret_post';
}

/** Basic credentials are form-urlencoded before base64 (§2.3.1), so `+` is a space. */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

function presented(ctx: Context, form: Form): Presented | undefined {
  const basic = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(ctx.get('authorization'));
  const postedSecret = form.optional('client_secret');
  if (basic?.[1]) {
    if (postedSecret !== undefined) {
      throw new OAuthError(
        400,
        'invalid_request',
        'Authenticate the client one way: HTTP Basic or client_secret in the body, not both.',
      );
    }
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const id = colon > 0 ? formDecode(decoded.slice(0, colon)) : undefined;
    const secret = colon > 0 ? formDecode(decoded.slice(colon + 1)) : undefined;
    const postedId = form.optional('client_id');
    if (id === undefined || secret === undefined || (postedId !== undefined && postedId !== id)) {
      return { id: '', secret: '', method: 'client_secret_basic' };
    }
    return { id, secret, method: 'client_secret_basic' };
  }
  const id = form.optional('client_id');
  if (id !== undefined && postedSecret !== undefined)
    return { id, secret: postedSecret, method: 'client_secret_post' };
  return undefined;
}

export type AuthenticatedClient = OAuthClient & { clientId: string; secret: OAuthClientSecret };

/**
 * The organization's client when the presented credentials are its own, with the secret that
 * matched (either of its two live ones); otherwise 401 `invalid_client`, the same for an unknown
 * organization, an unknown client and a wrong secret, and one that says so for an expired secret.
 */
export function authenticateClient(
  ctx: Context,
  form: Form,
  client: OAuthClient | undefined,
): AuthenticatedClient {
  const credentials = presented(ctx, form);
  if (!credentials) {
    throw new OAuthError(
      401,
      'invalid_client',
      'Client authentication required: send the client ID and secret with HTTP Basic, or as client_id and client_secret in the form body.',
      { 'WWW-Authenticate': 'Basic realm="Roster OAuth"' },
    );
  }
  const challenge: Record<string, string> =
    credentials.method === 'client_secret_basic' ? { 'WWW-Authenticate': 'Basic realm="Roster OAuth"' } : {};
  const clientId = client?.clientId;
  // Every live secret is compared (each in constant time), so the time taken does not say which matched.
  const matches = (client?.secrets ?? []).filter((secret) => verifySecret(credentials.secret, secret.hash));
  const secret = matches[0];
  if (!client || !clientId || credentials.id !== clientId || !secret) {
    throw new OAuthError(
      401,
      'invalid_client',
      "Client authentication failed: check the client ID, the client secret (a revoked secret stops working at once) and that the token endpoint is this organization's.",
      challenge,
    );
  }
  if (isExpired(secret.expiresAt)) {
    throw new OAuthError(
      401,
      'invalid_client',
      `The client secret expired at ${secret.expiresAt?.toISOString()}: an administrator creates a new one under Identity configuration > Provisioning (OAuth client secrets) and updates the identity provider.`,
      challenge,
    );
  }
  return { ...client, clientId, secret };
}
