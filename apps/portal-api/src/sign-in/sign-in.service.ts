/**
 * Who may sign in: the member the identity provider names, in the organization of the URL, if
 * they are active. Each refusal says why and what to do; a successful sign-in starts a session
 * and is audited.
 */
import type { Database, SignInMethod } from '@roster/db';
import { recordAuditEvent } from '@roster/directory/audit';
import { createSession, findMembersForSignIn } from '@roster/directory/sessions';
import type { Kysely } from 'kysely';
import { PortalError } from '../http/portal-error.js';

const refuse = (code: string, message: string) => new PortalError(403, code, message);

export async function startSession(
  db: Kysely<Database>,
  org: { id: string; slug: string },
  identifiers: string[],
  method: SignInMethod,
  lifetimeSeconds: number,
): Promise<{ token: string; expiresAt: Date }> {
  if (identifiers.length === 0) {
    throw refuse(
      'unknown_member',
      'The identity provider did not say who signed in (no preferred_username, upn or email): add the email claim to the ID token, then sign in again.',
    );
  }
  const found = await findMembersForSignIn(db, org.id, identifiers);
  const who = identifiers[0];
  if (found.length === 0) {
    throw refuse(
      'not_a_member',
      `${who} is not a member of ${org.slug}: ask an administrator to provision you from the identity provider or to invite you.`,
    );
  }
  if (found.length > 1) {
    throw refuse(
      'ambiguous_member',
      `More than one member of ${org.slug} has the email ${who}: an administrator must make the sign-in name (userName) unique.`,
    );
  }
  const member = found[0] as (typeof found)[number];
  if (!member.active) {
    throw refuse(
      'member_deactivated',
      `${member.userName} is deactivated in ${org.slug}: an administrator (or the identity provider) must reactivate you.`,
    );
  }
  // The session and its audit event are one write: a sign-in is never recorded without its session, or the reverse.
  return db.transaction().execute(async (trx) => {
    const session = await createSession(trx, { orgId: org.id, memberId: member.id, method, lifetimeSeconds });
    await recordAuditEvent(trx, {
      orgId: org.id,
      actor: { type: 'member', id: member.id },
      action: 'member.signed_in',
      target: { type: 'member', id: member.id },
      changes: { method },
    });
    return { token: session.token, expiresAt: session.expiresAt };
  });
}
