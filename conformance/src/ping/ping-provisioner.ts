/**
 * Ping Identity's outbound provisioning as a SCIM client (docs/reference/ping.md#users, #groups,
 * #errors-and-retries): a user is looked up with the profile's filter template before it is created, then addressed by the id Ping
 * stores; updates read the user and PUT the whole representation, merged with what the target
 * holds (Ping cannot clear an attribute); disabling is the same PUT with `active: false`; the
 * Remove Action decides between disabling and deleting. Groups carry their members: created with
 * them, then kept equal to the source by PATCH add/remove or by PUT of the whole group (the
 * "Overwrite" membership handling). A failure is counted "Failed" and waits for a full resync.
 */

import { CORE_GROUP, CORE_USER } from '../entra/mapping.js';
import { PATCH_OP } from '../entra/patch-body.js';
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
  type CycleRecorder,
  type CycleResult,
  type LogEntry,
  listOf,
  memberIds,
  type UserExpectation,
} from '../provisioning/provisioner.js';
import type { ScimClient } from '../wire/scim-client.js';
import { type Resource, writePath } from '../wire/scim-paths.js';
import type { PingProfile } from './profiles.js';

/** PingOne's sync summary knows Success and Failed; the request and the target's detail say why. */
const PING_CODES: ErrorCodes = {
  status: () => 'Failed',
  incompatible: 'Failed',
  duplicate: 'Failed',
  timeout: 'Failed',
  network: 'Failed',
};

/**
 * PingOne's default SCIM mappings (docs/reference/ping.md#attribute-mappings): userName, names, work email
 * and phone.
 */
function userAttributes(user: SourceUser, active: boolean): Record<string, unknown> {
  const attributes: Record<string, unknown> = {
    userName: user.userName,
    'name.givenName': user.givenName,
    'name.familyName': user.familyName,
    'emails[type eq "work"].value': user.email,
    'phoneNumbers[type eq "work"].value': user.phone,
    active,
  };
  for (const [path, value] of Object.entries(attributes)) if (value === undefined) delete attributes[path];
  return attributes;
}

/** Multi-valued attributes carry `type` and `primary` (docs/reference/ping.md#type-and-primary). */
function withAttributes(base: Resource, attributes: Record<string, unknown>): Resource {
  for (const [path, value] of Object.entries(attributes)) writePath(base, path, value);
  for (const name of ['emails', 'phoneNumbers']) {
    const elements = base[name];
    if (Array.isArray(elements) && !elements.some((e) => e?.primary === true)) {
      const work = elements.find((e) => e?.type === 'work');
      if (work) work.primary = true;
    }
  }
  return base;
}

/**
 * The whole group, as Ping creates it and as it PUTs it (docs/reference/ping.md#group-create,
 * #group-membership).
 */
const groupBody = (group: SourceGroup, members: string[]) => ({
  schemas: [CORE_GROUP],
  displayName: group.displayName,
  members: members.map((value) => ({ value })),
});

export class PingProvisioner extends LinkedProvisioner {
  readonly idp = 'ping' as const;
  private readonly profile: PingProfile;

  constructor(source: IdpSource, client: ScimClient, profile: PingProfile) {
    super(source, client, PING_CODES);
    this.profile = { ...profile }; // useRemoveAction changes this simulator's copy only
  }

  get label(): string {
    return `${this.profile.label}${this.profile.groupUpdates === 'put' ? ', groups by PUT' : ', groups by PATCH'}`;
  }

  useRemoveAction(action: 'Disable' | 'Delete'): void {
    this.profile.removeAction = action;
  }

  private userFilter(userName: string): string {
    return this.profile.userFilter.replace('%s', () => userName);
  }

  /**
   * Test Connection sends an authenticated user lookup; any 2xx passes
   * (docs/reference/ping.md#test-connection).
   */
  async testConnection(): Promise<LogEntry[]> {
    const recorder = this.newRecorder();
    await this.client.credentials.refreshIfExpired();
    const entry = {
      action: 'TestConnection' as const,
      objectType: 'User' as const,
      source: 'connection test',
    };
    try {
      await this.requests.send(recorder, entry, 'GET', '/Users', {
        query: { filter: this.userFilter(`connection-test-${Date.now()}@example.com`) },
      });
      return [recorder.record({ ...entry, status: 'Success' })];
    } catch (error) {
      if (!(error instanceof ObjectFailure || error instanceof Unauthorized)) throw error;
      return recorder.failures;
    }
  }

  async cycle(options: { full?: boolean } = {}): Promise<CycleResult> {
    const { recorder, users, groups } = this.startCycle(options.full);
    const failed = new Set<string>();
    let groupIndex: Promise<Map<string, Resource>> | undefined;
    const listGroups = () => {
      groupIndex ??= this.listGroups(recorder);
      return groupIndex;
    };
    try {
      await this.client.credentials.refreshIfExpired();
      await eachObject(recorder, users, failed, (u) => this.provisionUser(recorder, u), this.afterObject);
      await eachObject(
        recorder,
        groups,
        failed,
        (g) => this.provisionGroup(recorder, g, listGroups),
        this.afterObject,
      );
    } catch (error) {
      if (!(error instanceof Unauthorized)) throw error;
      return recorder.result(`Unauthorized: ${error.message}`);
    }
    return recorder.result();
  }

  private async provisionUser(recorder: CycleRecorder, user: SourceUser): Promise<void> {
    const id = this.userLinks.get(user.key);
    const entry: ObjectRef = { objectType: 'User', source: user.userName, ...(id ? { targetId: id } : {}) };
    if (!this.source.inScope(user)) {
      if (!id) return; // Unsynced: disabled users are not provisioned
      if (this.profile.removeAction === 'Delete' && (user.deleted || !user.assigned)) {
        await this.deleteUser(recorder, user, entry, id);
        return;
      }
      await this.put(recorder, user, { ...entry, targetId: id }, 'Disable', false);
      return;
    }
    if (!id) {
      const found = await this.requests.lookup(recorder, entry, '/Users', {
        filter: this.userFilter(user.userName),
      });
      if (!found) {
        const body = withAttributes({ schemas: [CORE_USER] }, userAttributes(user, true));
        const created = await this.requests.create(recorder, entry, '/Users', body);
        this.userLinks.set(user.key, created.id);
        return;
      }
      this.userLinks.set(user.key, found.id as string);
      recorder.record({ ...entry, action: 'Match', status: 'Success', targetId: found.id as string });
    }
    await this.put(
      recorder,
      user,
      { ...entry, targetId: this.userLinks.get(user.key) as string },
      'Update',
      true,
    );
  }

  /** Reads the user and PUTs it back merged with the source's values, when anything differs. */
  private async put(
    recorder: CycleRecorder,
    user: SourceUser,
    entry: ObjectRef & { targetId: string },
    action: 'Update' | 'Disable',
    active: boolean,
  ): Promise<void> {
    const current = await this.requests.read(recorder, entry, `/Users/${entry.targetId}`);
    const wanted = action === 'Disable' ? { active } : userAttributes(user, active);
    if (differences(current, wanted).length === 0) return;
    const { meta: _meta, ...kept } = structuredClone(current);
    await this.requests.send(recorder, { ...entry, action }, 'PUT', `/Users/${entry.targetId}`, {
      body: withAttributes(kept, wanted),
    });
    recorder.record({ ...entry, action, status: 'Success' });
  }

  /** PingFederate's group matching: every group, page by page (docs/reference/ping.md#group-lookup). */
  private async listGroups(recorder: CycleRecorder): Promise<Map<string, Resource>> {
    const index = new Map<string, Resource>();
    const entry = { objectType: 'Group' as const, source: 'all groups', action: 'Lookup' as const };
    for (let startIndex = 1; ; ) {
      const res = await this.requests.send(recorder, entry, 'GET', '/Groups', {
        query: { startIndex, count: this.profile.groupPageSize },
      });
      const page = listOf(res.body);
      for (const group of page)
        if (typeof group.displayName === 'string') index.set(group.displayName, group);
      startIndex += page.length;
      const total = Number(res.body?.totalResults ?? 0);
      if (page.length === 0 || startIndex > total) return index;
    }
  }

  private async provisionGroup(
    recorder: CycleRecorder,
    group: SourceGroup,
    listGroups: () => Promise<Map<string, Resource>>,
  ): Promise<void> {
    let id = this.groupLinks.get(group.key);
    const entry: ObjectRef = {
      objectType: 'Group',
      source: group.displayName,
      ...(id ? { targetId: id } : {}),
    };
    if (group.deleted || !group.assigned) {
      if (!id) return;
      await this.deleteGroup(recorder, group, entry, id);
      return;
    }
    const wanted = this.expectedMembers(group);
    if (!id) {
      const found =
        this.profile.groupLookup === 'list'
          ? (await listGroups()).get(group.displayName)
          : await this.requests.lookup(recorder, entry, '/Groups', {
              filter: `displayName eq "${group.displayName}"`,
            });
      if (!found) {
        const created = await this.requests.create(recorder, entry, '/Groups', groupBody(group, wanted));
        this.groupLinks.set(group.key, created.id);
        return;
      }
      id = found.id as string;
      this.groupLinks.set(group.key, id);
      recorder.record({ ...entry, action: 'Match', status: 'Success', targetId: id });
    }
    const update = { ...entry, targetId: id, action: 'Update' as const };
    const current = await this.requests.read(recorder, update, `/Groups/${id}`);
    const present = new Set(memberIds(current));
    const add = wanted.filter((m) => !present.has(m));
    const remove = [...present].filter((m): m is string => typeof m === 'string' && !wanted.includes(m));
    const renamed = current.displayName !== group.displayName;
    if (add.length + remove.length === 0 && !renamed) return;
    const body =
      this.profile.groupUpdates === 'put'
        ? groupBody(group, wanted)
        : {
            schemas: [PATCH_OP],
            Operations: [
              ...(renamed ? [{ op: 'replace', path: 'displayName', value: group.displayName }] : []),
              ...(add.length ? [{ op: 'add', path: 'members', value: add.map((value) => ({ value })) }] : []),
              ...remove.map((value) => ({ op: 'remove', path: `members[value eq "${value}"]` })),
            ],
          };
    await this.requests.send(
      recorder,
      update,
      this.profile.groupUpdates === 'put' ? 'PUT' : 'PATCH',
      `/Groups/${id}`,
      {
        body,
      },
    );
    this.noteMembers(group, add, remove);
    recorder.record({ ...update, status: 'Success' });
  }

  expectedUsers(): UserExpectation[] {
    return [...this.source.users.values()].flatMap((user): UserExpectation[] => {
      const id = this.userLinks.get(user.key);
      const gone = this.deletedUsers.get(user.key);
      if (id) {
        const active = this.source.inScope(user);
        const attributes = active ? userAttributes(user, true) : { userName: user.userName, active: false };
        return [{ user, id, present: true, attributes }];
      }
      return gone ? [{ user, id: gone, present: false }] : [];
    });
  }

  protected expectedMembers(group: SourceGroup): string[] {
    return [...group.members].flatMap((k) => this.userLinks.get(k) ?? []);
  }
}
