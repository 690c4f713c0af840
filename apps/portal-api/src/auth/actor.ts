/**
 * The caller of a portal API request: the member, their effective role and the credential
 * authentication found. It sits at the bottom of the app (it imports no module of the app) so that
 * the edge, the services and the audit trail can name it without importing the middleware that
 * builds it.
 */
import type { Role } from '@roster/db';

/** What the identity provider owns in the organization (members/ownership.ts computes it). */
export interface IdpOwnership {
  members: boolean;
  groups: boolean;
}

export interface Actor {
  orgId: string;
  orgSlug: string;
  memberId: string;
  role: Role;
  /** The credential used (never its secret). */
  credential: { type: 'api_key' | 'session'; id: string };
  /**
   * The organization's settings, read in the credential's query, so that reads need no query of
   * their own for them. A change does not trust them: it re-reads what it checks under the
   * organization's lock, which a concurrent settings change also takes.
   */
  org: { rbacEnabled: boolean; idpOwns: IdpOwnership };
}
