/**
 * Each member's identity provider account: at their first sign-in the member is bound to the
 * provider's (issuer, subject), the OIDC `sub` or the SAML NameID. Later sign-ins must come from
 * that same account, so someone who gets a member's userName or email into another account at
 * the provider (a renamed or recycled address) does not become that member. A binding goes with
 * its member, or with all of them when the portal changes the organization's issuer; nothing
 * else clears it.
 */
import type { Database } from '@roster/db';
import type { Kysely } from 'kysely';

type Db = Kysely<Database>;

export interface SignInAccount {
  issuer: string;
  subject: string;
}

export type BindingOutcome =
  /** First sign-in: the member is now bound to this account. */
  | { outcome: 'bound' }
  /** The account the member is bound to. */
  | { outcome: 'matched' }
  /** The member is bound to another account. */
  | { outcome: 'other_account'; bound: SignInAccount }
  /** This account is bound to another member of the organization. */
  | { outcome: 'account_taken' };

async function bindingOf(db: Db, orgId: string, memberId: string): Promise<SignInAccount | undefined> {
  return db
    .selectFrom('member_sign_in_bindings')
    .select(['issuer', 'subject'])
    .where('org_id', '=', orgId)
    .where('member_id', '=', memberId)
    .executeTakeFirst();
}

const compare = (bound: SignInAccount, account: SignInAccount): BindingOutcome =>
  bound.issuer === account.issuer && bound.subject === account.subject
    ? { outcome: 'matched' }
    : { outcome: 'other_account', bound };

/**
 * Checks the account against the member's binding, binding it on first use. Two first sign-ins
 * at once serialise on the primary key: the second sees the first's binding.
 */
export async function bindSignIn(
  db: Db,
  orgId: string,
  memberId: string,
  account: SignInAccount,
): Promise<BindingOutcome> {
  const existing = await bindingOf(db, orgId, memberId);
  if (existing) return compare(existing, account);
  const inserted = await db
    .insertInto('member_sign_in_bindings')
    .values({ org_id: orgId, member_id: memberId, issuer: account.issuer, subject: account.subject })
    .onConflict((oc) => oc.doNothing())
    .returning('member_id')
    .executeTakeFirst();
  if (inserted) return { outcome: 'bound' };
  const raced = await bindingOf(db, orgId, memberId);
  return raced ? compare(raced, account) : { outcome: 'account_taken' };
}

/** Drops every binding of the organization (its issuer changed); returns how many there were. */
export async function clearSignInBindings(db: Db, orgId: string): Promise<number> {
  const result = await db
    .deleteFrom('member_sign_in_bindings')
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
