/**
 * The IdP's source: its users and groups as it holds them (the source of provisioning; Roster is
 * the target), its source of truth. Sessions change it the way an administrator
 * changes Entra ID or PingOne (add, edit, block, unassign, delete, group membership), and the
 * simulator provisions the changes. Every change marks the object, so an incremental cycle
 * handles only what changed since the last one (Entra's watermark, Ping's real-time events).
 */

export interface SourceUser {
  /** The IdP's immutable id (Entra objectId, PingOne user id). */
  readonly key: string;
  userName: string;
  givenName: string;
  familyName: string;
  displayName: string;
  email: string;
  /** Entra's mailNickname, mapped to externalId. */
  mailNickname: string;
  jobTitle?: string;
  department?: string;
  employeeId?: string;
  phone?: string;
  /** The key of the user's manager. */
  managerKey?: string;
  /** The Entra app role assigned to the user (its value), if any. */
  appRole?: string;
  /** Sign-in allowed (Entra accountEnabled, Ping enabled). */
  enabled: boolean;
  /** In the provisioning scope (assigned to the app, or matched by the Ping rule). */
  assigned: boolean;
  /** Hard deleted at the source (purged). */
  deleted: boolean;
}

export interface SourceGroup {
  readonly key: string;
  displayName: string;
  members: Set<string>;
  assigned: boolean;
  deleted: boolean;
}

export type UserChange = Partial<Omit<SourceUser, 'key'>>;

export class IdpSource {
  readonly users = new Map<string, SourceUser>();
  readonly groups = new Map<string, SourceGroup>();
  private readonly changed = new Set<string>();
  private sequence = 0;

  constructor(
    /** Prefix of every name this source makes, so sessions never collide on a shared target. */
    readonly prefix: string,
    readonly domain = 'example.com',
  ) {}

  private nextKey(): string {
    this.sequence += 1;
    return `${this.prefix}-${String(this.sequence).padStart(6, '0')}`;
  }

  addUser(change: UserChange = {}): SourceUser {
    const key = this.nextKey();
    const n = this.sequence;
    const givenName = change.givenName ?? `Given${n}`;
    const familyName = change.familyName ?? `Family${n}`;
    const userName = change.userName ?? `${key}@${this.domain}`.toLowerCase();
    const user: SourceUser = {
      key,
      userName,
      givenName,
      familyName,
      displayName: `${givenName} ${familyName}`,
      email: userName,
      mailNickname: key,
      jobTitle: 'Engineer',
      department: 'R&D',
      employeeId: String(100000 + n),
      enabled: true,
      assigned: true,
      deleted: false,
      ...change,
    };
    this.users.set(key, user);
    this.changed.add(key);
    return user;
  }

  updateUser(user: SourceUser, change: UserChange): void {
    Object.assign(user, change);
    this.changed.add(user.key);
  }

  addGroup(displayName?: string, members: SourceUser[] = []): SourceGroup {
    const key = this.nextKey();
    const group: SourceGroup = {
      key,
      displayName: displayName ?? `${this.prefix} Group ${this.sequence}`,
      members: new Set(members.map((m) => m.key)),
      assigned: true,
      deleted: false,
    };
    this.groups.set(key, group);
    this.changed.add(key);
    return group;
  }

  updateGroup(
    group: SourceGroup,
    change: Partial<Pick<SourceGroup, 'displayName' | 'assigned' | 'deleted'>>,
  ) {
    Object.assign(group, change);
    this.changed.add(group.key);
  }

  addMembers(group: SourceGroup, users: SourceUser[]): void {
    for (const user of users) group.members.add(user.key);
    this.changed.add(group.key);
  }

  removeMembers(group: SourceGroup, users: SourceUser[]): void {
    for (const user of users) group.members.delete(user.key);
    this.changed.add(group.key);
  }

  /** The keys changed since the last call, which clears them (the watermark moves). */
  takeChanges(): Set<string> {
    const keys = new Set(this.changed);
    this.changed.clear();
    return keys;
  }

  /**
   * What a cycle handles: everything when `full`, else what changed since the last cycle, plus
   * the groups one of whose members changed (they came into scope or left it).
   */
  takeWork(full: boolean): { users: SourceUser[]; groups: SourceGroup[] } {
    const changed = this.takeChanges();
    const users = [...this.users.values()].filter((u) => full || changed.has(u.key));
    const changedUsers = new Set(users.map((u) => u.key));
    const groups = [...this.groups.values()].filter(
      (g) => full || changed.has(g.key) || [...g.members].some((m) => changedUsers.has(m)),
    );
    return { users, groups };
  }

  /** Puts keys back, for objects whose provisioning failed and is retried next cycle. */
  markChanged(keys: Iterable<string>): void {
    for (const key of keys) this.changed.add(key);
  }

  /** Users an IdP provisions as active members: assigned, enabled, not deleted. */
  inScope(user: SourceUser): boolean {
    return user.assigned && user.enabled && !user.deleted;
  }

  /** A source of `users` users and `groups` groups of `membersPerGroup` members each (round robin). */
  seed(sizes: { users: number; groups: number; membersPerGroup: number }): void {
    const users = Array.from({ length: sizes.users }, () => this.addUser());
    for (let g = 0; g < sizes.groups; g += 1) {
      const members = Array.from(
        { length: Math.min(sizes.membersPerGroup, users.length) },
        (_, i) => users[(g * sizes.membersPerGroup + i) % users.length] as SourceUser,
      );
      this.addGroup(undefined, members);
    }
  }
}
