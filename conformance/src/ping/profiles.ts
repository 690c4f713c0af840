/**
 * Ping Identity's outbound SCIM clients (docs/reference/ping.md#clients, #connection-settings, #preferences):
 * PingOne's SCIM Outbound connection and PingFederate's SCIM Provisioner. Where Ping documents nothing, the defaults are
 * the ones docs/reference/ping.md describes, and each is an option here.
 */
export type PingProfileId = 'p1' | 'pf';

export interface PingProfile {
  id: PingProfileId;
  label: string;
  /** The user lookup filter; `%s` becomes the userName (PingOne's default casing is its own). */
  userFilter: string;
  /** PingOne filters groups by displayName; PingFederate lists all groups and matches names. */
  groupLookup: 'filter' | 'list';
  /** Results Per Page when listing groups (PingFederate default 1000). */
  groupPageSize: number;
  /** Membership and rename: PATCH add/remove, or PUT of the whole group. */
  groupUpdates: 'patch' | 'put';
  /** What a user that leaves the scope or is deleted at the source becomes. */
  removeAction: 'Disable' | 'Delete';
}

export const PING_PROFILES: Record<PingProfileId, PingProfile> = {
  p1: {
    id: 'p1',
    label: 'PingOne (SCIM Outbound)',
    userFilter: 'username Eq "%s"',
    groupLookup: 'filter',
    groupPageSize: 1000,
    // Undocumented for PingOne; the evidence points to PATCH today (docs/reference/ping.md#group-membership).
    groupUpdates: 'patch',
    removeAction: 'Disable',
  },
  pf: {
    id: 'pf',
    label: 'PingFederate (SCIM Provisioner)',
    userFilter: 'userName eq "%s"',
    groupLookup: 'list',
    groupPageSize: 1000,
    groupUpdates: 'put',
    removeAction: 'Disable',
  },
};
