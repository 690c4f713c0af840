/**
 * The scripted sessions (issue #4), the same for every IdP: each changes the IdP's source the
 * way an administrator would, runs cycles, and checks what the target and, for Roster, the portal
 * show. Each ends by checking that the target matches the IdP's source and that a repeated
 * cycle sends no writes.
 */
import { adoptGroups } from './adopt-groups.js';
import { adoptMembers } from './adopt-members.js';
import type { Session } from './checks.js';
import { deactivate } from './deactivate.js';
import { groupSync } from './group-sync.js';
import { hardDelete } from './hard-delete.js';
import { incrementalUpdates } from './incremental-updates.js';
import { initialCycle } from './initial-cycle.js';
import { reactivate } from './reactivate.js';
import { roles } from './roles.js';
import { testConnection } from './test-connection.js';
import { tokenExpiry } from './token-expiry.js';

export const SESSIONS: Session[] = [
  testConnection,
  initialCycle,
  incrementalUpdates,
  deactivate,
  reactivate,
  hardDelete,
  groupSync,
  roles,
  adoptMembers,
  adoptGroups,
  tokenExpiry,
];

/** The error for session ids the catalog does not have, or undefined when it has them all. */
export function unknownSessions(ids: string[]): string | undefined {
  const unknown = ids.filter((id) => !SESSIONS.some((s) => s.id === id));
  if (unknown.length === 0) return undefined;
  return `Unknown session ${unknown.join(', ')}; sessions: ${SESSIONS.map((s) => s.id).join(', ')}`;
}
