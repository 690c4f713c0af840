/**
 * What every simulated IdP offers a session: its source, Test Connection, a provisioning
 * cycle, the links it keeps between its objects and the target's (Entra's anchors, Ping's stored
 * ids), what the target must hold after a cycle, and a log of every object it handled, the way
 * the IdP's own provisioning log shows it.
 */
import type { IdpSource, SourceGroup, SourceUser } from '../idp-source/idp-source.js';
import type { ScimClient, ScimResponse } from '../wire/scim-client.js';

export type ObjectType = 'User' | 'Group';
export type Action = 'TestConnection' | 'Match' | 'Create' | 'Update' | 'Disable' | 'Delete' | 'Lookup';

export interface LogEntry {
  cycle: number;
  action: Action;
  objectType: ObjectType;
  /** The source object's name: userName or displayName. */
  source: string;
  targetId?: string;
  status: 'Success' | 'Failure';
  /** The IdP's error code (Entra: `EntryConflict`, …; Ping: its sync-summary category). */
  errorCode?: string;
  /** What the target said: its SCIM error `detail`, or what went wrong on the wire. */
  reason?: string;
  /** `PATCH /Users/… → 409` */
  request?: string;
}

export interface CycleResult {
  cycle: number;
  requests: number;
  writes: number;
  failures: LogEntry[];
  /** Set when the IdP stopped the cycle: Entra's quarantine, for instance. */
  stoppedBecause?: string;
}

/** What the target must hold for one source user after a cycle. */
export type UserExpectation =
  | { user: SourceUser; id: string; present: true; attributes: Record<string, unknown> }
  | { user: SourceUser; id: string; present: false };

export interface GroupExpectation {
  group: SourceGroup;
  id: string;
  present: boolean;
  displayName: string;
  /** Target ids that must be members. */
  members: string[];
  /** Target ids the IdP removed, which must not be members. */
  removed: string[];
}

export interface Provisioner {
  readonly idp: 'entra' | 'ping';
  /** "Entra ID (default mode)", "PingOne (SCIM Outbound)", … */
  readonly label: string;
  readonly source: IdpSource;
  readonly client: ScimClient;
  readonly log: LogEntry[];
  /** Called after each object a cycle handles; sessions use it to act mid-cycle. */
  afterObject?: (handled: number) => Promise<void>;
  testConnection(): Promise<LogEntry[]>;
  /** One provisioning cycle; `full` handles every object, not only the changed ones. */
  cycle(options?: { full?: boolean }): Promise<CycleResult>;
  /** Ping's Remove Action: what a user leaving the scope or deleted at the source becomes. */
  useRemoveAction?(action: 'Disable' | 'Delete'): void;
  userId(key: string): string | undefined;
  groupId(key: string): string | undefined;
  expectedUsers(): UserExpectation[];
  expectedGroups(): GroupExpectation[];
}

/** The SCIM error `detail` of a response, or its status line. */
export function reasonOf(response: ScimResponse): string {
  const detail = response.body?.detail;
  return typeof detail === 'string' && detail ? detail : `HTTP ${response.status}`;
}

/** What a thrown fetch error looks like in a log. */
export function wireFailure(error: unknown): { code: 'Timeout' | 'Network'; reason: string } {
  const name = (error as { name?: string })?.name;
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'TimeoutError' || name === 'AbortError') return { code: 'Timeout', reason: message };
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return { code: 'Network', reason: cause?.message ?? cause?.code ?? message };
}

/** Runs provisioning steps one object at a time and keeps the cycle's numbers. */
export class CycleRecorder {
  readonly failures: LogEntry[] = [];
  private readonly startRequests: number;
  private readonly startWrites: number;
  handled = 0;

  constructor(
    readonly cycle: number,
    private readonly client: ScimClient,
    private readonly log: LogEntry[],
  ) {
    this.startRequests = client.stats.requests;
    this.startWrites = client.stats.writes;
  }

  record(entry: Omit<LogEntry, 'cycle'>): LogEntry {
    const full = { cycle: this.cycle, ...entry };
    this.log.push(full);
    if (full.status === 'Failure') this.failures.push(full);
    return full;
  }

  result(stoppedBecause?: string): CycleResult {
    return {
      cycle: this.cycle,
      requests: this.client.stats.requests - this.startRequests,
      writes: this.client.stats.writes - this.startWrites,
      failures: this.failures,
      ...(stoppedBecause ? { stoppedBecause } : {}),
    };
  }
}

/** Splits a list into batches of at most `size`. */
export function batches<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export const listOf = (body: Record<string, unknown> | undefined): Record<string, unknown>[] =>
  Array.isArray(body?.Resources) ? (body.Resources as Record<string, unknown>[]) : [];

/** The member ids a group resource lists (`members[].value`). */
export const memberIds = (group: Record<string, unknown> | undefined): (string | undefined)[] =>
  Array.isArray(group?.members) ? (group.members as { value?: string }[]).map((m) => m.value) : [];
