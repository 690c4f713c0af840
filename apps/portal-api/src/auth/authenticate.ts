/**
 * Who is calling the portal API: a member, through one of their personal API keys (sessions come
 * with sign-in). The organization in the path must be the key's, the key live, and the member
 * active: a deactivated member's keys stop working at once. The role is the member's effective
 * role: their own, or manager through a group that carries it while RBAC is on.
 */
import { parseApiKey, verifySecret } from '@roster/auth/api-keys';
import type { Database, Role } from '@roster/db';
import { findKeyCredential, touchKey } from '@roster/directory/api-keys';
import type { Context } from 'koa';
import type { Kysely } from 'kysely';
import { PortalError } from '../http/portal-error.js';

export interface Actor {
  orgId: string;
  orgSlug: string;
  memberId: string;
  role: Role;
  /** The credential used (never its secret), for the audit trail. */
  keyId: string;
}

const unauthenticated = (message: string) =>
  new PortalError(401, 'unauthenticated', message, {
    headers: { 'WWW-Authenticate': 'Bearer realm="Roster portal"' },
  });

export function authenticator(db: Kysely<Database>, onTouchError: (error: unknown) => void) {
  return async function authenticate(ctx: Context): Promise<Actor> {
    const match = /^bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'));
    if (!match?.[1]) throw unauthenticated('Send "Authorization: Bearer <personal API key>".');
    const parsed = parseApiKey(match[1]);
    const credential = parsed && (await findKeyCredential(db, String(ctx.params.org ?? ''), parsed.id));
    if (!parsed || !credential || !verifySecret(parsed.secret, credential.secretHash)) {
      throw unauthenticated('The API key is not valid for this organization.');
    }
    if (credential.revokedAt) throw unauthenticated('This API key has been revoked.');
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
      keyId: credential.keyId,
    };
  };
}
