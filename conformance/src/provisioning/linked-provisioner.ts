/**
 * What both simulated IdPs keep between cycles: the links from their objects to the target's ids
 * (Entra's anchors, the ids PingFederate stores), what they deleted and which members they
 * removed (for verification), and the cycle count with its watermark. The IdP-specific parts
 * (what a cycle sends) are the subclasses'.
 */
import type { IdpSource, SourceGroup, SourceUser } from '../idp-source/idp-source.js';
import type { ScimClient } from '../wire/scim-client.js';
import { type ErrorCodes, type ObjectRef, ObjectRequests } from './object-requests.js';
import {
  CycleRecorder,
  type CycleResult,
  type GroupExpectation,
  type LogEntry,
  type Provisioner,
  type UserExpectation,
} from './provisioner.js';

export abstract class LinkedProvisioner implements Provisioner {
  abstract readonly idp: 'entra' | 'ping';
  abstract readonly label: string;
  readonly log: LogEntry[] = [];
  afterObject?: (handled: number) => Promise<void>;
  protected readonly requests: ObjectRequests;
  /** Source key → target id. */
  protected readonly userLinks = new Map<string, string>();
  protected readonly groupLinks = new Map<string, string>();
  /** Objects whose DELETE went through: key → the target id they had. */
  protected readonly deletedUsers = new Map<string, string>();
  private readonly deletedGroups = new Map<string, string>();
  /** Target ids the IdP removed from each group. */
  private readonly removedMembers = new Map<string, Set<string>>();
  private cycles = 0;
  /** Whether the first, full cycle has run: later cycles handle only what changed. */
  private synced = false;

  constructor(
    readonly source: IdpSource,
    readonly client: ScimClient,
    codes: ErrorCodes,
  ) {
    this.requests = new ObjectRequests(client, codes);
  }

  abstract testConnection(): Promise<LogEntry[]>;
  abstract cycle(options?: { full?: boolean }): Promise<CycleResult>;
  abstract expectedUsers(): UserExpectation[];
  /** The target ids the target must list as the group's members. */
  protected abstract expectedMembers(group: SourceGroup): string[];

  userId = (key: string) => this.userLinks.get(key);
  groupId = (key: string) => this.groupLinks.get(key);

  /** A recorder for the next cycle (or Test Connection) of the log. */
  protected newRecorder(): CycleRecorder {
    this.cycles += 1;
    return new CycleRecorder(this.cycles, this.client, this.log);
  }

  /** A cycle's recorder and the objects it handles: all on the first cycle or when `full`. */
  protected startCycle(full = false) {
    const recorder = this.newRecorder();
    const work = this.source.takeWork(full || !this.synced);
    this.synced = true;
    return { recorder, ...work };
  }

  protected async deleteUser(recorder: CycleRecorder, user: SourceUser, entry: ObjectRef, id: string) {
    await this.requests.delete(recorder, entry, `/Users/${id}`);
    this.userLinks.delete(user.key);
    this.deletedUsers.set(user.key, id);
  }

  protected async deleteGroup(recorder: CycleRecorder, group: SourceGroup, entry: ObjectRef, id: string) {
    await this.requests.delete(recorder, entry, `/Groups/${id}`);
    this.groupLinks.delete(group.key);
    this.deletedGroups.set(group.key, id);
  }

  /** Notes members the IdP added to or removed from a group. */
  protected noteMembers(group: SourceGroup, added: string[], removed: string[]): void {
    const ids = this.removedMembers.get(group.key) ?? new Set<string>();
    for (const id of added) ids.delete(id);
    for (const id of removed) ids.add(id);
    this.removedMembers.set(group.key, ids);
  }

  expectedGroups(): GroupExpectation[] {
    return [...this.source.groups.values()].flatMap((group): GroupExpectation[] => {
      const id = this.groupLinks.get(group.key);
      const gone = this.deletedGroups.get(group.key);
      const common = { group, displayName: group.displayName };
      if (!id && gone) return [{ ...common, id: gone, present: false, members: [], removed: [] }];
      if (!id) return [];
      const removed = [...(this.removedMembers.get(group.key) ?? [])];
      return [{ ...common, id, present: true, members: this.expectedMembers(group), removed }];
    });
  }
}
