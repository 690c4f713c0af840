/**
 * The Microsoft Entra provisioning service as a SCIM client (docs/reference/entra.md): Test
 * Connection probes; cycles that look a user up before creating it, cache the target's id
 * (the anchor), read and compare before PATCHing only what differs, write references (the
 * manager) in a second pass, create groups without members and PATCH members in batches, disable
 * on unassign or block, DELETE on hard delete, and re-activate. Failures are logged with Entra's
 * error codes (entra.md#status-codes-and-provisioning-log-codes); a failed object is retried on the next
 * cycle, and a 401 that a new token does not cure quarantines the job.
 */
import { randomUUID } from 'node:crypto';
import type { IdpSource, SourceGroup, SourceUser } from '../idp-source/idp-source.js';
import { LinkedProvisioner } from '../provisioning/linked-provisioner.js';
import {
  differences,
  type ErrorCodes,
  eachObject,
  ObjectFailure,
  type ObjectRef,
  Unauthorized,
} from '../provisioning/object-requests.js';
import {
  batches,
  type CycleRecorder,
  type CycleResult,
  type LogEntry,
  type ObjectType,
  type UserExpectation,
} from '../provisioning/provisioner.js';
import type { ScimClient } from '../wire/scim-client.js';
import { type Resource, readPath, sameValue } from '../wire/scim-paths.js';
import { groupAttributes, groupCreateBody, MANAGER_PATH, userAttributes, userCreateBody } from './mapping.js';
import { addMembersPatch, attributePatch, type EntraMode, removeMembersPatch } from './patch-body.js';

export interface EntraOptions {
  mode: EntraMode;
  /**
   * Members per membership PATCH. Entra's batch size is not documented
   * (docs/reference/entra.md#group-membership).
   */
  memberBatchSize?: number;
}

/** Entra's provisioning-log codes (docs/reference/entra.md#status-codes-and-provisioning-log-codes). */
export const ENTRA_CODES: ErrorCodes = {
  status(status, linked) {
    if (status === 404 && linked) return 'InvalidAnchor';
    if (status === 409) return 'EntryConflict';
    if (status === 429) return 'TooManyRequests';
    if (status === 401) return 'Unauthorized';
    if (status === 403) return 'InsufficientRights';
    if (status === 405) return 'MethodNotAllowed';
    if (status === 422) return 'UnprocessableEntity';
    if (status === 501) return 'NotImplemented';
    if (status >= 500) return 'InternalServerError';
    // 400 and other 4xx are not in Microsoft's table; Entra's logs name them so.
    return 'SystemForCrossDomainIdentityManagementBadRequest';
  },
  incompatible: 'SystemForCrossDomainIdentityManagementServiceIncompatible',
  duplicate: 'DuplicateTargetEntries',
  timeout: 'Timeout',
  network: 'WebExceptionProtocolError',
};

export class EntraProvisioner extends LinkedProvisioner {
  readonly idp = 'entra' as const;
  /** Members Entra has written to each group: it never reads members back. */
  private readonly written = new Map<string, Set<string>>();
  /**
   * Users disabled because they left the scope: Entra no longer manages them
   * (entra.md#deactivation-and-deletion).
   */
  private readonly released = new Map<string, string>();

  constructor(
    source: IdpSource,
    client: ScimClient,
    private readonly options: EntraOptions,
  ) {
    super(source, client, ENTRA_CODES);
  }

  get label(): string {
    return this.options.mode === 'default' ? 'Entra ID (default mode)' : 'Entra ID (aadOptscim062020)';
  }

  /**
   * Test Connection: a random user and a random group, both expected to be absent (entra.md#test-connection).
   */
  async testConnection(): Promise<LogEntry[]> {
    const recorder = this.newRecorder();
    await this.client.credentials.refreshIfExpired();
    const probes: [ObjectType, string, Record<string, string>][] = [
      ['User', '/Users', { filter: `userName eq "${randomUUID()}"` }],
      ['Group', '/Groups', { excludedAttributes: 'members', filter: `displayName eq "${randomUUID()}"` }],
    ];
    for (const [objectType, path, query] of probes) {
      const entry = { action: 'TestConnection' as const, objectType, source: 'random probe' };
      try {
        const res = await this.requests.send(recorder, entry, 'GET', path, { query });
        if (res.body?.totalResults === 0) recorder.record({ ...entry, status: 'Success' });
        else
          this.requests.incompatible(
            recorder,
            entry,
            'A query for a random value must answer totalResults 0.',
          );
      } catch (error) {
        if (!(error instanceof ObjectFailure || error instanceof Unauthorized)) throw error;
      }
    }
    return this.log.filter((e) => e.cycle === recorder.cycle);
  }

  async cycle(options: { full?: boolean } = {}): Promise<CycleResult> {
    const { recorder, users, groups } = this.startCycle(options.full);
    const failed = new Set<string>();
    const fetched = new Map<string, Resource>();
    const after = this.afterObject;
    try {
      await this.client.credentials.refreshIfExpired();
      await this.probe(recorder);
      await eachObject(recorder, users, failed, (u) => this.provisionUser(recorder, u, fetched), after);
      await eachObject(recorder, users, failed, (u) => this.writeManager(recorder, u, fetched), after);
      await eachObject(recorder, groups, failed, (g) => this.provisionGroup(recorder, g), after);
    } catch (error) {
      if (!(error instanceof Unauthorized)) throw error;
      this.source.markChanged([...users, ...groups].map((o) => o.key));
      return recorder.result(`EncounteredQuarantineException: ${error.message}`);
    }
    this.source.markChanged(failed);
    return recorder.result();
  }

  /**
   * The random-value query Entra sends at the start of every cycle (entra.md#provisioning-cycles). A failure
   * is logged on the probe and the cycle goes on, unless the credentials are refused (quarantine).
   */
  private async probe(recorder: CycleRecorder): Promise<void> {
    const entry = { objectType: 'User' as const, source: 'random probe', action: 'Lookup' as const };
    const filter = `userName eq "${randomUUID()}"`;
    try {
      await this.requests.send(recorder, entry, 'GET', '/Users', { query: { filter } });
    } catch (error) {
      if (!(error instanceof ObjectFailure)) throw error;
    }
  }

  private async provisionUser(recorder: CycleRecorder, user: SourceUser, fetched: Map<string, Resource>) {
    const id = this.userLinks.get(user.key);
    const entry: ObjectRef = { objectType: 'User', source: user.userName, ...(id ? { targetId: id } : {}) };
    if (user.deleted) {
      if (!id) return;
      await this.deleteUser(recorder, user, entry, id);
      return;
    }
    if (!this.source.inScope(user)) {
      if (id) await this.disable(recorder, user, { ...entry, targetId: id });
      return;
    }
    let current: Resource | undefined;
    let targetId = id;
    if (targetId) {
      current = await this.requests.read(recorder, entry, `/Users/${targetId}`);
    } else {
      current = await this.requests.lookup(recorder, entry, '/Users', {
        filter: `userName eq "${user.userName}"`,
      });
      if (!current) {
        const created = await this.requests.create(recorder, entry, '/Users', userCreateBody(user));
        this.userLinks.set(user.key, created.id);
        fetched.set(user.key, created);
        return;
      }
      targetId = current.id as string;
      this.userLinks.set(user.key, targetId);
      this.released.delete(user.key);
      recorder.record({ ...entry, action: 'Match', status: 'Success', targetId });
    }
    fetched.set(user.key, current);
    const changes = differences(current, userAttributes(user));
    if (changes.length === 0) return; // EntrySynchronizationSkipped
    const update = { ...entry, targetId, action: 'Update' as const };
    const res = await this.requests.send(recorder, update, 'PATCH', `/Users/${targetId}`, {
      body: attributePatch(this.options.mode, changes),
    });
    if (res.body?.id) fetched.set(user.key, res.body);
    recorder.record({ ...update, status: 'Success' });
  }

  /**
   * Blocked, or out of scope: disabled through `active` (entra.md#deactivation-and-deletion). Entra stops
   * managing a user it disabled because it left the scope: the anchor goes, and re-assignment looks the user up.
   */
  private async disable(recorder: CycleRecorder, user: SourceUser, entry: ObjectRef & { targetId: string }) {
    const current = await this.requests.read(recorder, entry, `/Users/${entry.targetId}`);
    if (!sameValue(false, current.active)) {
      const disable = { ...entry, action: 'Disable' as const };
      await this.requests.send(recorder, disable, 'PATCH', `/Users/${entry.targetId}`, {
        body: attributePatch(this.options.mode, [{ path: 'active', value: false, present: true }]),
      });
      recorder.record({ ...disable, status: 'Success' });
    }
    if (!user.assigned) {
      this.userLinks.delete(user.key);
      this.released.set(user.key, entry.targetId);
    }
  }

  /**
   * References go in a second pass, once the manager exists in the target (entra.md#provisioning-cycles,
   * entra.md#manager).
   */
  private async writeManager(recorder: CycleRecorder, user: SourceUser, fetched: Map<string, Resource>) {
    const id = this.userLinks.get(user.key);
    const managerId = user.managerKey ? this.userLinks.get(user.managerKey) : undefined;
    const current = fetched.get(user.key);
    if (!id || !managerId || !current || !this.source.inScope(user)) return;
    const present = readPath(current, MANAGER_PATH);
    if (present === managerId) return;
    const update = {
      objectType: 'User' as const,
      source: user.userName,
      targetId: id,
      action: 'Update' as const,
    };
    await this.requests.send(recorder, update, 'PATCH', `/Users/${id}`, {
      body: attributePatch(this.options.mode, [
        { path: MANAGER_PATH, value: managerId, present: present !== undefined && present !== '' },
      ]),
    });
    recorder.record({ ...update, status: 'Success' });
  }

  private async provisionGroup(recorder: CycleRecorder, group: SourceGroup) {
    const id = this.groupLinks.get(group.key);
    const entry: ObjectRef = {
      objectType: 'Group',
      source: group.displayName,
      ...(id ? { targetId: id } : {}),
    };
    if (group.deleted || !group.assigned) {
      if (!id) return;
      await this.deleteGroup(recorder, group, entry, id);
      this.written.delete(group.key);
      return;
    }
    const withoutMembers = { excludedAttributes: 'members' };
    let targetId = id;
    let current = targetId
      ? await this.requests.read(recorder, entry, `/Groups/${targetId}`, withoutMembers)
      : await this.requests.lookup(recorder, entry, '/Groups', {
          ...withoutMembers,
          filter: `displayName eq "${group.displayName}"`,
        });
    if (current && Array.isArray(current.members) && current.members.length > 0) {
      // entra.md#group-lookup: a group read with excludedAttributes=members must not carry members.
      throw this.requests.incompatible(
        recorder,
        { ...entry, action: 'Lookup' },
        'excludedAttributes=members returned members.',
      );
    }
    if (!current) {
      current = await this.requests.create(recorder, entry, '/Groups', groupCreateBody(group));
      targetId = current.id as string;
    } else if (!targetId) {
      targetId = current.id as string;
      recorder.record({ ...entry, action: 'Match', status: 'Success', targetId });
    }
    this.groupLinks.set(group.key, targetId as string);
    const update = { ...entry, targetId: targetId as string, action: 'Update' as const };
    const changes = differences(current, groupAttributes(group));
    if (changes.length > 0) {
      await this.requests.send(recorder, update, 'PATCH', `/Groups/${targetId}`, {
        body: attributePatch(this.options.mode, changes),
      });
    }
    const membersChanged = await this.writeMembers(recorder, group, update);
    if (changes.length > 0 || membersChanged) recorder.record({ ...update, status: 'Success' });
  }

  /** Membership as Entra knows it: what it wrote, changed in batches; it never reads members back. */
  private async writeMembers(
    recorder: CycleRecorder,
    group: SourceGroup,
    update: ObjectRef & { targetId: string; action: 'Update' },
  ): Promise<boolean> {
    const written = this.written.get(group.key) ?? new Set<string>();
    this.written.set(group.key, written);
    for (const key of written) if (!this.userLinks.has(key)) written.delete(key);
    const add = [...group.members].filter((k) => this.userLinks.has(k) && !written.has(k));
    const remove = [...written].filter((k) => !group.members.has(k));
    const size = this.options.memberBatchSize ?? 100;
    for (const [keys, adding] of [
      ...batches(add, size).map((b) => [b, true] as const),
      ...batches(remove, size).map((b) => [b, false] as const),
    ]) {
      const ids = keys.map((k) => this.userLinks.get(k) as string);
      const body = adding
        ? addMembersPatch(this.options.mode, ids)
        : removeMembersPatch(this.options.mode, ids);
      await this.requests.send(recorder, update, 'PATCH', `/Groups/${update.targetId}`, { body });
      for (const key of keys) {
        if (adding) written.add(key);
        else written.delete(key);
      }
      this.noteMembers(group, adding ? ids : [], adding ? [] : ids);
    }
    return add.length + remove.length > 0;
  }

  expectedUsers(): UserExpectation[] {
    const out: UserExpectation[] = [];
    for (const user of this.source.users.values()) {
      const id = this.userLinks.get(user.key);
      const released = this.released.get(user.key);
      const gone = this.deletedUsers.get(user.key);
      if (id && this.source.inScope(user)) {
        const attributes = userAttributes(user);
        const managerId = user.managerKey ? this.userLinks.get(user.managerKey) : undefined;
        if (managerId) attributes[MANAGER_PATH] = managerId;
        out.push({ user, id, present: true, attributes });
      } else if (id ?? released) {
        out.push({
          user,
          id: (id ?? released) as string,
          present: true,
          attributes: { userName: user.userName, active: false },
        });
      } else if (gone) {
        out.push({ user, id: gone, present: false });
      }
    }
    return out;
  }

  protected expectedMembers(group: SourceGroup): string[] {
    return [...(this.written.get(group.key) ?? [])].flatMap((k) => this.userLinks.get(k) ?? []);
  }
}
