/** How the portal records what a member did: in the caller's transaction, as that member. */
import type { Database } from '@roster/db';
import { recordAuditEvent } from '@roster/directory/audit';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor.js';

type Target = { type: string; id: string };

export function recordMemberAction(
  trx: Kysely<Database>,
  actor: Actor,
  action: string,
  target: Target,
  changes?: Record<string, unknown>,
): Promise<void> {
  return recordAuditEvent(trx, {
    orgId: actor.orgId,
    actor: { type: 'member', id: actor.memberId },
    action,
    target,
    changes,
  });
}

/** Records an update only when it changed something (a no-op save leaves no event). */
export async function recordMemberUpdate(
  trx: Kysely<Database>,
  actor: Actor,
  action: string,
  target: Target,
  changes: Record<string, unknown>,
): Promise<void> {
  if (Object.keys(changes).length > 0) await recordMemberAction(trx, actor, action, target, changes);
}

/** `{field: {from, to}}` for each field whose value differs (never pass secrets here). */
export function diff<T extends Record<string, unknown>>(before: T, after: T): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(after)
      .filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]))
      .map((field) => [field, { from: before[field], to: after[field] }]),
  );
}
