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
import type { Kysely, Transaction } from 'kysely';
import { PortalError } from '../portal-error.js';

const refuse = (code: string, message: string) => new PortalError(403, code, message);

export interface SignInIdentity {
  /** The value of the configured claim or attribute; undefined when the provider sent none. */
  userName: string | undefined;
  /** Where the name came from, for messages: "the email claim", "the NameID", … */
  source: string;
  /** The provider's account: OIDC (iss, sub); SAML (Issuer, NameID). */
  account: SignInAccount;
  /** The email the provider asserted (the email claim, SAML's email attribute), for "Test sign-in"; never matched. */
  email?: string | undefined;
}

/** The member signing in: the one whose userName the provider gave, active (each refusal a 403 saying what to do). */
export async function memberSigningIn(
  db: Kysely<Database>,
  org: { id: string; slug: string },
  identity: SignInIdentity,
): Promise<SignInMember> {
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
  return member;
}

type SignInMember = { id: string; userName: string };

/** What a sign-in's write came to: a session, or no write because the account is not the member's. */
export type SessionStart =
  | { outcome: 'signed_in'; token: string; expiresAt: Date }
  | { outcome: 'other_account' | 'account_taken' };

/**
 * In the route's transaction: binds the provider's account (at the member's first sign-in),
 * starts the session and audits it. The three are one write: a sign-in is never recorded without
 * its session, or the reverse. Another account than the bound one writes nothing.
 */
export async function startSession(
  trx: Transaction<Database>,
  org: { id: string },
  member: SignInMember,
  identity: SignInIdentity,
  method: SignInMethod,
  lifetimeSeconds: number,
): Promise<SessionStart> {
  const binding = await bindSignIn(trx, org.id, member.id, identity.account);
  if (binding.outcome === 'other_account' || binding.outcome === 'account_taken') {
    return { outcome: binding.outcome };
  }
  const session = await createSession(trx, { orgId: org.id, memberId: member.id, method, lifetimeSeconds });
  await recordAuditEvent(trx, {
    orgId: org.id,
    actor: { type: 'member', id: member.id },
    action: 'member.signed_in',
    target: { type: 'member', id: member.id },
    changes: { method, ...(binding.outcome === 'bound' ? { boundTo: identity.account } : {}) },
  });
  return { outcome: 'signed_in', token: session.token, expiresAt: session.expiresAt };
}

/** A sign-in with another account than the member's: audited, then refused. */
export async function refuseOtherAccount(
  db: Kysely<Database>,
  org: { id: string; slug: string },
  member: SignInMember,
  identity: SignInIdentity,
  method: SignInMethod,
  outcome: 'other_account' | 'account_taken',
): Promise<never> {
  await recordAuditEvent(db, {
    orgId: org.id,
    actor: { type: 'system' },
    action: 'member.sign_in_refused',
    target: { type: 'member', id: member.id },
    changes: { method, reason: outcome, presented: identity.account },
  });
  throw refuse(
    'sign_in_account_mismatch',
    outcome === 'other_account'
      ? `${member.userName} signs in to ${org.slug} with another account of the identity provider than this one: sign in with that account. If your account at the identity provider was replaced, ask an administrator.`
      : `This account of the identity provider already signs in to ${org.slug} as another member, so it cannot sign in as ${member.userName}: ask an administrator.`,
  );
}
