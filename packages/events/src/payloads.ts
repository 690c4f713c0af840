/**
 * What each event says: the resource's new state, built from its row the same way whichever app
 * made the change (SCIM or the portal), and which events a change of a member or a group makes.
 * Data holds the profile the IdP or the portal wrote and the organization's own columns, never a
 * secret (a SCIM `password` is never stored; it is dropped here as well should one ever be).
 */
import type { EventActor, GroupRow, MemberRow } from '@roster/db';
import type { NewEvent } from './types.js';

const iso = (value: Date | string) => new Date(value).toISOString();

/** A member's state in an event. */
export function memberState(row: MemberRow): Record<string, unknown> {
  const { password: _password, ...attributes } = row.data as Record<string, unknown>;
  return {
    id: row.id,
    userName: row.user_name,
    externalId: row.external_id,
    displayName: row.display_name,
    active: row.active,
    role: row.role,
    managedBy: row.managed_by,
    /** The SCIM attributes (name, emails, the enterprise extension …), as stored. */
    attributes,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** A group's state in an event (its members are not listed: membership has events of its own). */
export function groupState(row: GroupRow): Record<string, unknown> {
  const { members: _members, ...attributes } = row.data as Record<string, unknown>;
  return {
    id: row.id,
    displayName: row.display_name,
    externalId: row.external_id,
    role: row.role,
    managedBy: row.managed_by,
    attributes,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

const withoutActive = (data: unknown) => {
  const { active: _active, ...rest } = data as Record<string, unknown>;
  return rest;
};

/**
 * The events of a member's change, from its rows before and after (both as the database returned
 * them, so their JSON compares equal when unchanged): `member.created` for a new member; else
 * `member.updated` when the profile or its manager changed, `member.role_changed` when its own role
 * did, and `member.deactivated` / `member.reactivated` when its status did. Each carries the
 * member's whole new state; a change may make several (a PATCH that renames and deactivates).
 */
export function memberChangeEvents(
  actor: EventActor,
  before: MemberRow | undefined,
  after: MemberRow,
): NewEvent[] {
  const data = memberState(after);
  if (!before) return [{ type: 'member.created', actor, data }];
  const events: NewEvent[] = [];
  if (
    before.managed_by !== after.managed_by ||
    JSON.stringify(withoutActive(before.data)) !== JSON.stringify(withoutActive(after.data))
  ) {
    events.push({ type: 'member.updated', actor, data });
  }
  if (before.role !== after.role) events.push({ type: 'member.role_changed', actor, data });
  if (before.active !== after.active) {
    events.push({ type: after.active ? 'member.reactivated' : 'member.deactivated', actor, data });
  }
  return events;
}

/**
 * `group.updated` when a group's attributes, role or manager changed (a membership-only change
 * makes only membership events).
 */
export function groupChangeEvents(actor: EventActor, before: GroupRow, after: GroupRow): NewEvent[] {
  const changed =
    before.managed_by !== after.managed_by ||
    before.role !== after.role ||
    JSON.stringify(before.data) !== JSON.stringify(after.data);
  return changed ? [{ type: 'group.updated', actor, data: groupState(after) }] : [];
}

/**
 * One event per membership a write added or removed, from the member ids its statements
 * returned, in order. Net of each other: a member removed and added back in the same write (a
 * SCIM PUT of an unchanged member list removes all, then adds) was a member before and after, so
 * makes no event.
 */
export function membershipEvents(
  actor: EventActor,
  group: { id: string; display_name: string },
  added: readonly string[],
  removed: readonly string[],
): NewEvent[] {
  const net = new Map<string, number>();
  for (const id of added) net.set(id, (net.get(id) ?? 0) + 1);
  for (const id of removed) net.set(id, (net.get(id) ?? 0) - 1);
  const events: NewEvent[] = [];
  for (const [memberId, count] of net) {
    if (count === 0) continue;
    events.push({
      type: count > 0 ? 'group.member_added' : 'group.member_removed',
      actor,
      data: { group: { id: group.id, displayName: group.display_name }, member: { id: memberId } },
    });
  }
  return events;
}
