/** The shapes of events: their types, what an append takes, and what the feed and webhooks hand out. */
import type { EventActor } from '@roster/db';

/** Every event type Roster emits (docs/events.md describes each one's data). */
export const EVENT_TYPES = [
  'member.created',
  'member.updated',
  'member.deactivated',
  'member.reactivated',
  'member.deleted',
  'member.role_changed',
  'group.created',
  'group.updated',
  'group.deleted',
  'group.member_added',
  'group.member_removed',
  'identity.sso_updated',
  'identity.provisioning_updated',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** An event to append: what happened, who did it, and the resource's new state (or `{id}` for a deletion). */
export interface NewEvent {
  type: EventType;
  actor: EventActor;
  data: Record<string, unknown>;
}

/** An event as stored and as the feed and webhooks hand it out. */
export interface EventRecord {
  orgId: string;
  /** 1, 2, 3 … per organization, in commit order; consumers order and de-duplicate by it. */
  sequence: number;
  /** Unique across organizations (the webhook-id header). */
  id: string;
  type: EventType;
  occurredAt: Date;
  actor: EventActor;
  data: Record<string, unknown>;
}
