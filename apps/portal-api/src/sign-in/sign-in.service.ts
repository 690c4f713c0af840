/**
 * Who may sign in: the one member whose userName is the name the identity provider gave (from the
 * one claim or attribute the organization chose), in the organization of the URL, if they are
 * active and the provider's account is the one they are bound to (bound at their first sign-in).
 * Each refusal says why and what to do; a successful sign-in starts a session and is audited, and
 * so is a refusal for another account.
 */
import type { Database, SignInMethod } from '@roster/db';
import { recordAuditEvent } from '@roster/directory/audit';
import { createSession, findMembersForSignIn } from '@roster/directory/sessions';
import { bindSignIn, type SignInAccount } from '@roster/directory/sign-in-bindings';
import type { Kysely } from 'kysely';
import { PortalError } from '../http/portal-error.js';

const refuse = (code: string, message: string) => new PortalError(403, code, message);

export interface SignInIdentity {
  /** The value of the configured claim or attribute; undefined when the provider sent none. */
  userName: string | undefined;
  /** Where the name came from, for messages: "the email claim", "the NameID", … */
  source: string;
  /** The provider's account: OIDC (iss, sub); SAML (Issuer, NameID). */
  account: SignInAccount;
}

export async function startSession(
  db: Kysely<Database>,
  org: { id: string; slug: string },
  identity: SignInIdentity,
  method: SignInMethod,
  lifetimeSeconds: number,
): Promise<{ token: string; expiresAt: Date }> {
  const who = identity.userName?.trim();
  if (!who) {
    throw refuse(
      'unknown_member',
      `The identity provider did not say who signed in (${identity.source} is missing or empty): add it to what the provider sends, or an administrator chooses another one under Identity configuration > SSO.`,
    );
  }
  const [member] = await findMembersForSignIn(db, org.id, who);
  if (!member) {
    throw refuse(
      'not_a_member',
      `${who} is not a member of ${org.slug}: ask an administrator to provision you from the identity provider or to invite you.`,
    );
  }
  if (!member.active) {
    throw refuse(
      'member_deactivated',
      `${member.userName} is deactivated in ${org.slug}: an administrator (or the identity provider) must reactivate you.`,
    );
  }
  // The binding, the session and its audit event are one write: a sign-in is never recorded
  // without its session, or the reverse.
  const result = await db.transaction().execute(async (trx) => {
    const binding = await bindSignIn(trx, org.id, member.id, identity.account);
    if (binding.outcome === 'other_account' || binding.outcome === 'account_taken') return binding;
    const session = await createSession(trx, { orgId: org.id, memberId: member.id, method, lifetimeSeconds });
    await recordAuditEvent(trx, {
      orgId: org.id,
      actor: { type: 'member', id: member.id },
      action: 'member.signed_in',
      target: { type: 'member', id: member.id },
      changes: { method, ...(binding.outcome === 'bound' ? { boundTo: identity.account } : {}) },
    });
    return { outcome: 'signed_in' as const, token: session.token, expiresAt: session.expiresAt };
  });
  if (result.outcome === 'signed_in') return { token: result.token, expiresAt: result.expiresAt };
  await recordAuditEvent(db, {
    orgId: org.id,
    actor: { type: 'system' },
    action: 'member.sign_in_refused',
    target: { type: 'member', id: member.id },
    changes: { method, reason: result.outcome, presented: identity.account },
  });
  throw refuse(
    'sign_in_account_mismatch',
    result.outcome === 'other_account'
      ? `${member.userName} signs in to ${org.slug} with another account of the identity provider than this one: sign in with that account. If your account at the identity provider was replaced, ask an administrator.`
      : `This account of the identity provider already signs in to ${org.slug} as another member, so it cannot sign in as ${member.userName}: ask an administrator.`,
  );
}
