/**
 * What an administrator does to the IdP's source between two provisioning cycles, at random but
 * from a seed: the changes of the conformance sessions (docs/conformance.md), a few of each per
 * cycle. Users join, are edited (names, title, phone, manager, app role, now and then a new
 * userName), blocked and unblocked, taken out of scope and back, deleted; groups gain and lose
 * members, are renamed, deleted and replaced.
 */
import type { IdpSource, SourceGroup, SourceUser } from '@roster/conformance/idp-source';

export type Random = () => number;

/** mulberry32: a small seeded generator, so a soak's changes can be replayed. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const pick = <T>(random: Random, items: T[]): T | undefined => items[Math.floor(random() * items.length)];

/** Up to `count` distinct items, in random order. */
function pickSome<T>(random: Random, items: T[], count: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < count && pool.length > 0) {
    out.push(pool.splice(Math.floor(random() * pool.length), 1)[0] as T);
  }
  return out;
}

const EDITS: ((user: SourceUser, dir: IdpSource, random: Random, staying: SourceUser[]) => void)[] = [
  (user, dir, random) =>
    dir.updateUser(user, { jobTitle: pick(random, ['Engineer', 'Lead', 'Manager', 'Director']) }),
  (user, dir, random) =>
    dir.updateUser(user, { department: pick(random, ['R&D', 'Sales & Marketing', 'Support', 'Finance']) }),
  (user, dir, random) => {
    const familyName = `Family${Math.floor(random() * 10_000)}`;
    dir.updateUser(user, { familyName, displayName: `${user.givenName} ${familyName}` });
  },
  (user, dir, random) =>
    dir.updateUser(user, { phone: `+1 425 555 ${String(Math.floor(random() * 10_000)).padStart(4, '0')}` }),
  (user, dir, random, staying) => {
    const manager = pick(
      random,
      staying.filter((u) => u.key !== user.key),
    );
    if (manager) dir.updateUser(user, { managerKey: manager.key });
  },
  (user, dir) => dir.updateUser(user, { appRole: user.appRole === 'manager' ? 'basic' : 'manager' }),
  (user, dir) => {
    // A new userName (a marriage, a domain change), once per user.
    if (user.userName.startsWith('renamed-')) return;
    const userName = `renamed-${user.userName}`;
    dir.updateUser(user, { userName, email: userName });
  },
];

export interface ChurnSizes {
  /** Users added per cycle (one user is deleted per cycle, so the source grows slowly). */
  addsPerCycle: number;
  editsPerCycle: number;
}

/** One cycle's worth of changes to `dir`. */
export function churn(dir: IdpSource, random: Random, sizes: ChurnSizes): void {
  const users = [...dir.users.values()].filter((u) => !u.deleted);
  const inScope = users.filter((u) => dir.inScope(u));
  const groups = [...dir.groups.values()].filter((g) => !g.deleted && g.assigned);

  for (let i = 0; i < sizes.addsPerCycle; i += 1) {
    const user = dir.addUser();
    const group = pick(random, groups);
    if (group) dir.addMembers(group, [user]);
  }
  // Distinct users: one blocked, one taken out of scope, one deleted, the others edited.
  const [blocked, unassigned, deleted, ...edited] = pickSome(random, inScope, 3 + sizes.editsPerCycle);
  // A manager stays in scope this cycle: a reference to a user the IdP is about to release would
  // wait for a later cycle that handles the referring user (it is how the IdP works, not a fault).
  const staying = inScope.filter((u) => u !== blocked && u !== unassigned && u !== deleted);
  for (const user of edited) pick(random, EDITS)?.(user, dir, random, staying);
  const wasBlocked = pick(
    random,
    users.filter((u) => !u.enabled),
  );
  const wasUnassigned = pick(
    random,
    users.filter((u) => !u.assigned),
  );
  if (blocked) dir.updateUser(blocked, { enabled: false });
  if (wasBlocked && random() < 0.7) dir.updateUser(wasBlocked, { enabled: true });
  if (unassigned) dir.updateUser(unassigned, { assigned: false });
  if (wasUnassigned && random() < 0.7) dir.updateUser(wasUnassigned, { assigned: true });
  // A hard delete: the user leaves its groups at the source too.
  if (deleted) {
    dir.updateUser(deleted, { deleted: true });
    for (const group of groups) if (group.members.has(deleted.key)) dir.removeMembers(group, [deleted]);
  }

  churnGroups(
    dir,
    random,
    groups,
    inScope.filter((u) => u !== deleted),
  );
}

function churnGroups(dir: IdpSource, random: Random, groups: SourceGroup[], users: SourceUser[]): void {
  const group = pick(random, groups);
  if (group) {
    dir.addMembers(
      group,
      pickSome(
        random,
        users.filter((u) => !group.members.has(u.key)),
        2,
      ),
    );
    const leaving = pick(
      random,
      users.filter((u) => group.members.has(u.key)),
    );
    if (leaving) dir.removeMembers(group, [leaving]);
  }
  const other = pick(random, groups);
  // Names stay unique in the organization (Roster refuses a duplicate displayName): the key is in them.
  if (other && random() < 0.25)
    dir.updateGroup(other, { displayName: `${other.key} Team ${Math.floor(random() * 1e6)}` });
  if (other && other !== group && random() < 0.15) {
    // A group is retired and a new one takes its place.
    dir.updateGroup(other, { deleted: true });
    dir.addGroup(undefined, pickSome(random, users, Math.min(users.length, 5)));
  }
}

/** The round's end: every user and group deleted at the source. */
export function deleteEverything(dir: IdpSource): void {
  for (const user of dir.users.values()) if (!user.deleted) dir.updateUser(user, { deleted: true });
  for (const group of dir.groups.values()) if (!group.deleted) dir.updateGroup(group, { deleted: true });
}
