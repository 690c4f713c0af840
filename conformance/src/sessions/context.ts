/**
 * What a scripted session works with: a fresh simulated IdP (its own source and links), the
 * Roster portal when the target is Roster, the sizes to use, and a list of named checks. A check
 * that fails does not stop the session: the report shows every check.
 */
import type { SourceUser } from '../idp-source/idp-source.js';
import { type CycleResult, type LogEntry, memberIds, type Provisioner } from '../provisioning/provisioner.js';
import type { RosterPortal } from '../roster/portal.js';
import { type Resource, readPath, sameValue } from '../wire/scim-paths.js';

export interface Sizes {
  /** Users of the initial cycle. */
  users: number;
  /** Groups of the initial cycle. */
  groups: number;
  membersPerGroup: number;
}

export interface Check {
  name: string;
  ok: boolean;
  detail?: string;
}

/** Thrown by a session that cannot run against this target or with this method. */
export class SessionSkipped extends Error {}

export type AuthKind = 'token' | 'oauth';

export interface SessionEnvironment {
  sizes: Sizes;
  auth: AuthKind;
  /** Longest wait for a token to expire in the token-expiry session, in seconds. */
  maxTokenWaitSeconds: number;
  portal?: RosterPortal;
}

const MAX_DETAILS = 10;

export const formatEntry = (e: LogEntry) =>
  `${e.action} ${e.objectType} "${e.source}": ${e.errorCode ?? e.status}${e.reason ? ` (${e.reason})` : ''}${e.request ? ` [${e.request}]` : ''}`;

export class SessionContext {
  readonly checks: Check[] = [];

  constructor(
    readonly sim: Provisioner,
    readonly env: SessionEnvironment,
  ) {}

  get source() {
    return this.sim.source;
  }

  check(name: string, ok: boolean, detail?: string): boolean {
    this.checks.push({ name, ok, ...(detail && !ok ? { detail } : {}) });
    return ok;
  }

  /** The Roster portal, or a skip when the target is another SCIM server. */
  portal(): RosterPortal {
    if (!this.env.portal)
      throw new SessionSkipped('needs the Roster portal API (--portal-url, --portal-org, --portal-key)');
    return this.env.portal;
  }

  /** A cycle that must finish without a failure. */
  async cycle(name: string, options?: { full?: boolean }): Promise<CycleResult> {
    const result = await this.sim.cycle(options);
    this.check(
      `${name}: the cycle finishes without failures`,
      result.failures.length === 0 && !result.stoppedBecause,
      [result.stoppedBecause, ...result.failures.slice(0, MAX_DETAILS).map(formatEntry)]
        .filter(Boolean)
        .join('; '),
    );
    return result;
  }

  /** Entries of the latest cycle of the IdP's log. */
  entries(result: CycleResult): LogEntry[] {
    return this.sim.log.filter((e) => e.cycle === result.cycle);
  }

  id(user: SourceUser): string {
    const id = this.sim.userId(user.key);
    if (!id) throw new Error(`${user.userName} has no target id`);
    return id;
  }

  /**
   * The target holds what the IdP sent: every linked user's mapped attributes exactly, deleted
   * users gone, groups named as sent with the members the IdP wrote and without those it removed.
   */
  async verifyTarget(): Promise<void> {
    const userProblems: string[] = [];
    const users = this.sim.expectedUsers();
    for (const expected of users) {
      const who = expected.user.userName;
      const body = await this.readExpected(`/Users/${expected.id}`, expected.present, who, userProblems);
      if (!body || !expected.present) continue;
      for (const [path, value] of Object.entries(expected.attributes)) {
        const stored = readPath(body, path);
        if (!sameValue(value, stored))
          userProblems.push(
            `${who}: ${path} is ${JSON.stringify(stored)}, the IdP sent ${JSON.stringify(value)}`,
          );
      }
    }
    this.check(
      `the target holds the ${users.length} users as the IdP sent them`,
      userProblems.length === 0,
      userProblems.slice(0, MAX_DETAILS).join('; '),
    );

    const groupProblems: string[] = [];
    const groups = this.sim.expectedGroups();
    for (const expected of groups) {
      const name = expected.displayName;
      const body = await this.readExpected(`/Groups/${expected.id}`, expected.present, name, groupProblems);
      if (!body) continue;
      if (body.displayName !== name)
        groupProblems.push(`${name}: displayName is ${JSON.stringify(body.displayName)}`);
      const members = new Set(memberIds(body));
      const missing = expected.members.filter((id) => !members.has(id));
      const kept = expected.removed.filter((id) => members.has(id));
      if (missing.length)
        groupProblems.push(`${name}: ${missing.length} members missing (${missing.slice(0, 3)})`);
      if (kept.length)
        groupProblems.push(`${name}: ${kept.length} removed members still there (${kept.slice(0, 3)})`);
    }
    this.check(
      `the target holds the ${groups.length} groups and their members as the IdP wrote them`,
      groupProblems.length === 0,
      groupProblems.slice(0, MAX_DETAILS).join('; '),
    );
  }

  /**
   * GETs an object the target must hold (`present`) or must answer 404 for: its body when it is
   * there as it must be; otherwise undefined, with what is wrong added to `problems`.
   */
  private async readExpected(
    path: string,
    present: boolean,
    who: string,
    problems: string[],
  ): Promise<Resource | undefined> {
    const res = await this.sim.client.request('GET', path);
    if (!present) {
      if (res.status !== 404) problems.push(`${who}: deleted, but GET answers ${res.status}`);
      return undefined;
    }
    if (res.status !== 200 || !res.body) {
      problems.push(`${who}: GET ${path} answers ${res.status}`);
      return undefined;
    }
    return res.body;
  }

  /** A full cycle with nothing changed sends no writes: values come back exactly as they were sent. */
  async repeatSendsNoWrites(): Promise<void> {
    const result = await this.sim.cycle({ full: true });
    const writes = this.entries(result).filter((e) => e.action !== 'Lookup' && e.action !== 'Match');
    this.check(
      'a repeated full cycle with no changes sends no writes',
      result.writes === 0 && result.failures.length === 0,
      `${result.writes} writes: ${writes.slice(0, MAX_DETAILS).map(formatEntry).join('; ')}`,
    );
  }

  /** Removes what the session made from a shared target (the session's own housekeeping). */
  async cleanUp(): Promise<void> {
    const client = this.sim.client;
    for (const expected of this.sim.expectedGroups())
      if (expected.present) await client.request('DELETE', `/Groups/${expected.id}`);
    for (const expected of this.sim.expectedUsers())
      if (expected.present) await client.request('DELETE', `/Users/${expected.id}`);
  }

  /** `readPath` on a user as the target holds it now. */
  async targetValue(user: SourceUser, path: string): Promise<unknown> {
    const res = await this.sim.client.request('GET', `/Users/${this.id(user)}`);
    return res.body ? readPath(res.body, path) : undefined;
  }
}
