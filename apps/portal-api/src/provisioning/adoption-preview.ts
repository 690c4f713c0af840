/**
 * The adoption preview: what switching on "Provision existing users" (and group sync) would hand
 * over to the identity provider, read before the switch is saved. Roster cannot see the IdP's
 * users, so it classifies its own portal-managed members by how an IdP's userName would meet them
 * (@roster/directory/members' AdoptionKind), and lists the portal groups a group of the same name
 * would adopt. Counts come from SQL; the lists are capped.
 */
import type { Database } from '@roster/db';
import { countPortalGroups, listPortalGroups } from '@roster/directory/groups';
import { getIdentityConfig } from '@roster/directory/identity';
import {
  type AdoptionCandidate,
  type AdoptionKind,
  countAdoptionKinds,
  listAdoptionCandidates,
} from '@roster/directory/members';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor.js';

export type ConflictKind = Exclude<AdoptionKind, 'hand_over'>;

/** What the administrator can do about each conflict, in the words of the set-up guides. */
export const CONFLICT_HINTS: Record<ConflictKind, string> = {
  user_name_case:
    "Roster matches userNames ignoring case, so the IdP's user with this address adopts the member, and the IdP's spelling replaces this one. Nothing to do unless the address itself differs in the IdP.",
  not_matchable:
    "This userName is not an email address, and the IdP sends one (Entra ID's userPrincipalName, Ping's mail): no IdP user will match it, and the IdP would create a second member for the same person. Remove this member or invite them again under their sign-in email before turning on Provision existing users.",
  no_sign_in_email:
    'This member has no email address to sign in with (the userName is not one, and there is no work or primary email): no IdP user will match it. Remove the member, or invite them again under their sign-in email.',
};

const CONFLICT_KINDS = Object.keys(CONFLICT_HINTS) as ConflictKind[];

export interface AdoptionPreview {
  provisionExistingUsers: boolean;
  syncGroups: boolean;
  counts: Record<AdoptionKind, number>;
  handOver: AdoptionCandidate[];
  conflicts: (AdoptionCandidate & { kind: ConflictKind })[];
  groupCount: number;
  groups: Awaited<ReturnType<typeof listPortalGroups>>;
}

/** Read-only: reads the organization's members, groups and settings, scoped to the caller's organization. */
export async function adoptionPreview(
  db: Kysely<Database>,
  actor: Actor,
  limit: number,
): Promise<AdoptionPreview> {
  const [config, counts, handOver, conflicts, groupCount, groups] = await Promise.all([
    getIdentityConfig(db, actor.orgId),
    countAdoptionKinds(db, actor.orgId),
    listAdoptionCandidates(db, actor.orgId, ['hand_over'], limit),
    listAdoptionCandidates(db, actor.orgId, CONFLICT_KINDS, limit),
    countPortalGroups(db, actor.orgId),
    listPortalGroups(db, actor.orgId, limit),
  ]);
  return {
    provisionExistingUsers: config.provisionExistingUsers,
    syncGroups: config.syncGroups,
    counts,
    handOver,
    conflicts: conflicts as AdoptionPreview['conflicts'],
    groupCount,
    groups,
  };
}
