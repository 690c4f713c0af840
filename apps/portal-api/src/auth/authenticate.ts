/**
 * Who is calling the portal API: a member, through one of their personal API keys or through the
 * session cookie single sign-on gave their browser. The organization in the path must be the
 * credential's, the credential live, and the member active: a deactivated member's keys and
 * sessions stop working at once. The role is the member's effective role at this request: their
 * own, or manager through a group that carries it while RBAC is on.
 */
import { parseApiKey, verifySecret } from '@roster/auth/api-keys';
import type { Database } from '@roster/db';
import { type CredentialOrganization, findKeyCredential, touchKey } from '@roster/directory/api-keys';
import { findSessionCredential } from '@roster/directory/sessions';
import { originOf } from '@roster/observability/public-origin';
import type { Context } from 'koa';
import type { Kysely } from 'kysely';
import { ownershipOf } from '../members/ownership.js';
import { PortalError } from '../portal-error.js';
import { readCookie, SESSION_COOKIE } from '../sign-in/cookies.js';
import type { Actor } from './actor.js';

const orgOf = (organization: CredentialOrganization): Actor['org'] => ({
  rbacEnabled: organization.rbacEnabled,
  idpOwns: ownershipOf(organization),
});

const unauthenticated = (message: string) =>
  new PortalError(401, 'unauthenticated', message, {
    headers: { 'WWW-Authenticate': 'Bearer realm="Roster portal"' },
  });

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function authenticator(db: Kysely<Database>, onTouchError: (error: unknown) => void) {
  async function withKey(token: string, org: string): Promise<Actor> {
    const parsed = parseApiKey(token);
    const credential = parsed && (await findKeyCredential(db, org, parsed.id));
    if (!parsed || !credential || !verifySecret(parsed.secret, credential.secretHash)) {
      throw unauthenticated('The API key is not valid for this organization.');
    }
    if (credential.revokedAt) throw unauthenticated('This API key has been revoked.');
    if (credential.expiresAt && credential.expiresAt.getTime() <= Date.now()) {
      throw unauthenticated(
        `This API key expired at ${credential.expiresAt.toISOString()}: a manager creates a new one (POST /api/v1/orgs/${org}/api-keys).`,
      );
    }
    if (credential.kind !== 'personal' || !credential.member) {
      throw new PortalError(
        403,
        'forbidden',
        'The portal API takes personal API keys; this is a system key.',
      );
    }
    if (!credential.member.active)
      throw unauthenticated('This member is deactivated; their keys no longer work.');
    touchKey(db, credential, onTouchError);
    return {
      orgId: credential.orgId,
      orgSlug: credential.orgSlug,
      memberId: credential.member.id,
      role: credential.member.role,
      credential: { type: 'api_key', id: credential.keyId },
      org: orgOf(credential.organization),
    };
  }

  async function withSession(ctx: Context, token: string, org: string): Promise<Actor> {
    const again = `sign in again at /sso/${org}/login`;
    const session = await findSessionCredential(db, org, token);
    if (!session) throw unauthenticated(`The session is not valid for this organization: ${again}.`);
    if (session.revoked) throw unauthenticated(`This session has ended: ${again}.`);
    if (session.expired) throw unauthenticated(`This session has expired: ${again}.`);
    if (!session.member.active)
      throw unauthenticated('This member is deactivated; their sessions no longer work.');
    // A cookie rides along with cross-site requests: a change must come from this origin's pages.
    if (!SAFE_METHODS.has(ctx.method) && ctx.get('origin') !== originOf(ctx)) {
      throw new PortalError(
        403,
        'cross_origin_request',
        'A change made with a session cookie must come from this origin (its Origin header); scripts elsewhere use a personal API key.',
      );
    }
    return {
      orgId: session.orgId,
      orgSlug: session.orgSlug,
      memberId: session.member.id,
      role: session.member.role,
      credential: { type: 'session', id: session.sessionId },
      org: orgOf(session.organization),
    };
  }

  return async function authenticate(ctx: Context): Promise<Actor> {
    const org = String(ctx.params.org ?? '');
    const bearer = /^bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'));
    if (bearer?.[1]) return withKey(bearer[1], org);
    const session = readCookie(ctx, SESSION_COOKIE);
    if (session) return withSession(ctx, session, org);
    throw unauthenticated(
      `Send "Authorization: Bearer <personal API key>", or sign in at /sso/${org}/login for a session.`,
    );
  };
}
