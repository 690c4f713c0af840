/**
 * The fault tests' machinery (issue #7): a durable PostgreSQL of their own (they take it down),
 * Roster in its own process on it, a load of concurrent SCIM clients whose every request and
 * answer goes into a ledger, and the reconciliation of the database against that ledger.
 *
 * What an answer proves about a write: 2xx, it happened; 4xx, it did not; 5xx or a connection
 * lost after the request was sent, nothing (the commit may have happened before the answer was
 * lost), so it must have happened entirely or not at all; a refused connection, it never reached
 * the server and did not happen.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectDatabase, type DatabaseHandle, migrateToLatest } from '@roster/db';
import { createScimKey } from '@roster/directory/api-keys';
import { enableScimProvisioning } from '@roster/directory/identity';
import { createOrganization } from '@roster/directory/organizations';
import { createDatabase, type OwnPostgresServer, startPostgres } from '@roster/testkit/postgres';
import { RosterProcess } from '@roster/testkit/roster-process';
import { sql } from 'kysely';
import { expect } from 'vitest';

const ROSTER_MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const SCIM_JSON = 'application/scim+json';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** No request may go unanswered longer than this: a bound on hangs, not a performance target. */
const HANG_BOUND_MS = 15_000;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------------
// Environment

export interface FaultEnvironment {
  /** The tests' own server, started from the binaries even when DATABASE_URL is set. */
  pg: OwnPostgresServer;
  databaseUrl: string;
  /** The test's own connection, for set-up and reconciliation. */
  handle: DatabaseHandle;
  roster: RosterProcess;
  workDir: string;
  /** Another Roster process on the same database, with extra environment settings; killed by close(). */
  startRoster(name: string, env?: Record<string, string>): Promise<RosterProcess>;
  close(): Promise<void>;
}

/** A durable PostgreSQL of the test's own, a migrated database on it, and Roster running on that. */
export async function startFaultEnvironment(name: string): Promise<FaultEnvironment> {
  // Durable: "answered 2xx, so it is there" must hold across a crash of the server too.
  const pg = await startPostgres({ own: true, durable: true });
  const cleanup: (() => Promise<unknown>)[] = [() => pg.stop()];
  const close = async () => {
    for (const step of cleanup.reverse()) await step().catch(() => {});
  };
  try {
    const databaseUrl = await createDatabase(pg.url, `roster_${name.replaceAll('-', '_')}`);
    const handle = connectDatabase({ url: databaseUrl, maxConnections: 4 });
    cleanup.push(() => handle.close());
    await migrateToLatest(handle.db);
    const { rows } = await sql<{ name: string; setting: string }>`
      select name, setting from pg_settings where name in ('fsync', 'synchronous_commit')`.execute(handle.db);
    expect(rows.map((r) => `${r.name}=${r.setting}`).sort(), 'a durable server').toEqual([
      'fsync=on',
      'synchronous_commit=on',
    ]);
    const workDir = await mkdtemp(join(tmpdir(), `roster-${name}-`));
    // One server secret for every process of the fault: a restarted or second process must verify
    // the access tokens and open the secrets the first one issued and sealed, as in production.
    const secretKey = randomBytes(32).toString('base64');
    const start = async (processName: string, settings: Record<string, string> = {}) => {
      const roster = await RosterProcess.start({
        main: ROSTER_MAIN,
        databaseUrl,
        secretKey,
        workDir,
        name: processName,
        // Rate limits off: the load's clients retry much faster than an identity provider
        // would, and a 429 is not the fault under test.
        env: { SCIM_RATE_LIMIT_PER_CREDENTIAL: '0', SCIM_RATE_LIMIT_PER_ORGANIZATION: '0', ...settings },
      });
      cleanup.push(() => roster.kill('SIGKILL'));
      return roster;
    };
    const roster = await start(name);
    return { pg, databaseUrl, handle, roster, workDir, startRoster: start, close };
  } catch (error) {
    await close();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------
// HTTP

export type Outcome =
  | { kind: 'response'; status: number; headers: Headers; body: unknown; ms: number }
  /** The connection was refused: the request never reached the server. */
  | { kind: 'refused'; ms: number }
  /** The connection failed after the request may have been sent. */
  | { kind: 'lost'; ms: number; error: string }
  /** No answer within the bound (HANG_BOUND_MS unless the caller chose a shorter one). */
  | { kind: 'timeout'; ms: number };

/** What an outcome proves about the write it answers. */
export type Effect = 'applied' | 'rejected' | 'unknown' | 'unsent';

function effectOf(outcome: Outcome): Effect {
  if (outcome.kind === 'refused') return 'unsent';
  if (outcome.kind !== 'response' || outcome.status >= 500) return 'unknown';
  return outcome.status < 300 ? 'applied' : 'rejected';
}

export interface Tenant {
  orgId: string;
  /** The SCIM base URL, `<origin>/scim/v2/<slug>`. */
  base: string;
  token: string;
}

export async function request(
  tenant: Tenant,
  method: string,
  path: string,
  body?: unknown,
  { timeoutMs = HANG_BOUND_MS }: { timeoutMs?: number } = {},
): Promise<Outcome> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(`${tenant.base}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${tenant.token}`,
        ...(body === undefined ? {} : { 'Content-Type': SCIM_JSON }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Kept as text: the assertions on error bodies then fail with the text in view.
    }
    return { kind: 'response', status: response.status, headers: response.headers, body: parsed, ms: ms() };
  } catch (error) {
    return failure(error, ms());
  }
}

function failure(error: unknown, ms: number): Outcome {
  if ((error as Error).name === 'TimeoutError') return { kind: 'timeout', ms };
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return { kind: 'refused', ms };
  return { kind: 'lost', ms, error: `${(error as Error).message}: ${cause?.code ?? cause?.message ?? ''}` };
}

/** Polls /readyz until it answers 200; returns how long that took. Fails after `deadlineMs`. */
export async function waitUntilReady(origin: string, deadlineMs = 60_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < deadlineMs) {
    const ok = await fetch(`${origin}/readyz`, { signal: AbortSignal.timeout(5_000) }).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ok) return Math.round(performance.now() - started);
    await sleep(50);
  }
  throw new Error(`${origin}/readyz did not answer 200 within ${deadlineMs} ms`);
}

/** What /readyz answers right now (0: no answer). */
export async function readiness(origin: string): Promise<number> {
  return fetch(`${origin}/readyz`, { signal: AbortSignal.timeout(HANG_BOUND_MS) }).then(
    (response) => response.status,
    () => 0,
  );
}

/** Polls `condition` until it holds; fails after `deadlineMs`. */
export async function waitFor(condition: () => Promise<boolean>, deadlineMs = 10_000): Promise<void> {
  const started = performance.now();
  while (!(await condition())) {
    if (performance.now() - started > deadlineMs) throw new Error(`condition not met in ${deadlineMs} ms`);
    await sleep(25);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Slow requests: row locks the test holds

type LockedTable = 'organizations' | 'groups' | 'members';

/**
 * Takes row locks (FOR UPDATE) in a transaction of the test's own, so that the requests that
 * need those rows wait: a slow request made on purpose. `release()` ends the transaction.
 */
export async function holdRowLocks(
  env: FaultEnvironment,
  rows: { table: LockedTable; id: string }[],
): Promise<{ release(): Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let held!: () => void;
  const holding = new Promise<void>((resolve) => {
    held = resolve;
  });
  const transaction = env.handle.db.transaction().execute(async (trx) => {
    for (const { table, id } of rows) {
      await trx.selectFrom(table).select('id').where('id', '=', id).forUpdate().execute();
    }
    held();
    await released;
  });
  await Promise.race([holding, transaction]);
  return {
    release: async () => {
      release();
      await transaction;
    },
  };
}

/** How many sessions on the test's database wait for a lock (the requests the test holds up). */
export async function lockWaiters(env: FaultEnvironment): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pg_stat_activity
    where wait_event_type = 'Lock' and datname = current_database()`.execute(env.handle.db);
  return rows[0]?.n ?? 0;
}

// ---------------------------------------------------------------------------------------------------------
// Tenants and resources

/**
 * An organization set up for SCIM (HTTP Header method, group sync on), with `groups` SCIM
 * groups, reached through `roster` (default: the environment's process).
 */
export async function createTenant(
  env: FaultEnvironment,
  groups: number,
  roster: RosterProcess = env.roster,
): Promise<Tenant & { groups: string[] }> {
  const slug = `faults-${randomUUID().slice(0, 8)}`;
  const org = await createOrganization(env.handle.db, { slug });
  await enableScimProvisioning(env.handle.db, org.id);
  const tenant = {
    orgId: org.id,
    base: `${roster.origin}/scim/v2/${slug}`,
    token: await createScimKey(env.handle.db, org.id, 'faults'),
  };
  const ids: string[] = [];
  for (let i = 0; i < groups; i++) {
    const created = await request(tenant, 'POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: `Fault group ${i}`,
    });
    expect(created).toMatchObject({ kind: 'response', status: 201 });
    ids.push((created as { body: { id: string } }).body.id);
  }
  return { ...tenant, groups: ids };
}

/** Version `k` of a user: every attribute a write sets says k, so a half-applied write shows. */
export function userAt(userName: string, k: number) {
  return {
    schemas: [USER_SCHEMA],
    userName,
    externalId: `ext-${userName}`,
    displayName: `${userName} v${k}`,
    title: `v${k}`,
    name: { givenName: 'Fault', familyName: `v${k}` },
    emails: emailsAt(userName, k),
    active: true,
  };
}

const emailsAt = (userName: string, k: number) => [
  { value: userName, type: 'work', primary: true },
  { value: `v${k}.${userName}`, type: 'home' },
];

/** The PATCH that takes a user to version k (all attributes in one request). */
function patchTo(userName: string, k: number) {
  return {
    schemas: [PATCH_SCHEMA],
    Operations: [
      { op: 'replace', path: 'displayName', value: `${userName} v${k}` },
      { op: 'replace', path: 'title', value: `v${k}` },
      { op: 'replace', path: 'name.familyName', value: `v${k}` },
      { op: 'replace', path: 'emails', value: emailsAt(userName, k) },
    ],
  };
}

export const addMember = (userId: string) => ({
  schemas: [PATCH_SCHEMA],
  Operations: [{ op: 'add', path: 'members', value: [{ value: userId }] }],
});

// ---------------------------------------------------------------------------------------------------------
// The load and its ledger

export interface RequestRecord {
  op: 'create' | 'patch' | 'put' | 'member';
  sentAt: number;
  answeredAt: number;
  outcome: Outcome;
}

interface UpdateRecord {
  k: number;
  effect: Effect;
}

export interface UserRecord {
  userName: string;
  create: Effect;
  /** From the 201. */
  id?: string;
  updates: UpdateRecord[];
}

export interface MembershipRecord {
  groupId: string;
  userName: string;
  userId: string;
  effect: Effect;
}

/**
 * `workers` concurrent SCIM clients, each creating users, updating them (PATCH and PUT, one
 * request at a time per user) and adding them to groups until stopped. Every request and answer
 * is recorded. After a failed request a client waits briefly, as an identity provider backs off.
 */
export class Load {
  readonly users: UserRecord[] = [];
  readonly memberships: MembershipRecord[] = [];
  readonly requests: RequestRecord[] = [];
  private running = false;
  private workers: Promise<void>[] = [];
  private next = 0;

  constructor(
    private readonly tenant: Tenant & { groups: string[] },
    private readonly options: { workers?: number; prefix?: string; timeoutMs?: number } = {},
  ) {}

  start(): void {
    this.running = true;
    this.workers = Array.from({ length: this.options.workers ?? 8 }, (_, w) => this.work(w));
    // A load whose test failed before stopping it stops by itself.
    setTimeout(() => {
      this.running = false;
    }, 60_000).unref();
  }

  /** Stops the clients and waits for their last requests to be answered. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  /** Requests sent at or after `from` and answered before `to` (performance.now() times). */
  between(from: number, to: number): RequestRecord[] {
    return this.requests.filter((r) => r.sentAt >= from && r.answeredAt <= to);
  }

  /** Counts of requests by outcome: `201`, `503`, `refused`, `lost`, … */
  tally(requests: RequestRecord[] = this.requests): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const { outcome } of requests) {
      const key = outcome.kind === 'response' ? String(outcome.status) : outcome.kind;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }

  private async send(op: RequestRecord['op'], method: string, path: string, body: unknown) {
    const sentAt = performance.now();
    const outcome = await request(this.tenant, method, path, body, {
      timeoutMs: this.options.timeoutMs ?? HANG_BOUND_MS,
    });
    this.requests.push({ op, sentAt, answeredAt: performance.now(), outcome });
    return outcome;
  }

  private async work(worker: number): Promise<void> {
    const mine: UserRecord[] = [];
    const attempted = new Set<string>();
    while (this.running) {
      const ready = mine.filter((user) => user.id);
      const roll = Math.random();
      let outcome: Outcome;
      if (ready.length < 3 || roll < 0.35) {
        const user: UserRecord = {
          userName: `${this.options.prefix ?? 'load'}-w${worker}-${this.next++}@faults.example`,
          create: 'unknown',
          updates: [],
        };
        mine.push(user);
        this.users.push(user);
        outcome = await this.send('create', 'POST', '/Users', userAt(user.userName, 0));
        user.create = effectOf(outcome);
        if (outcome.kind === 'response' && outcome.status === 201)
          user.id = (outcome.body as { id: string }).id;
      } else {
        const user = ready[Math.floor(Math.random() * ready.length)] as UserRecord & { id: string };
        const groupId = this.tenant.groups[Math.floor(Math.random() * this.tenant.groups.length)] as string;
        const pair = `${groupId}/${user.id}`;
        if (roll < 0.6 && !attempted.has(pair)) {
          attempted.add(pair);
          outcome = await this.send('member', 'PATCH', `/Groups/${groupId}`, addMember(user.id));
          this.memberships.push({
            groupId,
            userName: user.userName,
            userId: user.id,
            effect: effectOf(outcome),
          });
        } else {
          const k = user.updates.length + 1;
          const put = roll >= 0.8;
          outcome = put
            ? await this.send('put', 'PUT', `/Users/${user.id}`, userAt(user.userName, k))
            : await this.send('patch', 'PATCH', `/Users/${user.id}`, patchTo(user.userName, k));
          user.updates.push({ k, effect: effectOf(outcome) });
        }
      }
      if (effectOf(outcome) !== 'applied') await sleep(50);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Assertions

/**
 * Every error answer is a SCIM 503 with Retry-After (no 500s, no 4xx: the load sends only valid
 * requests), and nothing went unanswered past the hang bound. Returns how many 503s there were.
 */
function expectOnlyRetryableErrors(requests: RequestRecord[]): number {
  const timeouts = requests.filter((r) => r.outcome.kind === 'timeout');
  expect(timeouts, `${timeouts.length} requests unanswered within the hang bound`).toEqual([]);
  let unavailable = 0;
  for (const { op, outcome } of requests) {
    if (outcome.kind !== 'response' || outcome.status < 300) continue;
    const what = `${op} answered ${outcome.status}: ${JSON.stringify(outcome.body)}`;
    expect(outcome.status, what).toBe(503);
    expect(outcome.headers.get('retry-after'), what).toMatch(/^\d+$/);
    expect(outcome.headers.get('content-type'), what).toMatch(/^application\/scim\+json/);
    expect(outcome.body, what).toMatchObject({ schemas: [ERROR_SCHEMA], status: '503' });
    unavailable++;
  }
  return unavailable;
}

interface MemberRow {
  id: string;
  user_name: string;
  version: number;
  data: Record<string, unknown>;
}

export interface Reconciliation {
  users: Record<Effect, number>;
  /** Creates whose outcome was unknown and that turned out to have been committed. */
  unknownCreatesCommitted: number;
  updates: Record<Effect, number>;
  memberships: Record<Effect, number>;
  unknownMembershipsCommitted: number;
}

const noEffects = (): Record<Effect, number> => ({ applied: 0, rejected: 0, unknown: 0, unsent: 0 });

/**
 * The database against the ledger: every write answered 2xx is there; every write refused or
 * rejected is not; every other one is there entirely or not at all. "Entirely" spans tables: a
 * user's row, its email rows, its audit events and its version agree; a group's membership rows,
 * its version and its audit events agree.
 */
async function reconcile(env: FaultEnvironment, tenant: Tenant, load: Load): Promise<Reconciliation> {
  const { db } = env.handle;
  const members = (await db
    .selectFrom('members')
    .select(['id', 'user_name', 'version', 'data'])
    .where('org_id', '=', tenant.orgId)
    .execute()) as MemberRow[];
  const emails = await db
    .selectFrom('member_emails')
    .select(['member_id', 'position', 'value', 'type'])
    .where('org_id', '=', tenant.orgId)
    .orderBy('member_id')
    .orderBy('position')
    .execute();
  const audit = await db
    .selectFrom('audit_events')
    .select(['action', 'target_id', 'changes'])
    .where('org_id', '=', tenant.orgId)
    .execute();
  const groups = await db
    .selectFrom('groups')
    .select(['id', 'version'])
    .where('org_id', '=', tenant.orgId)
    .execute();
  const memberships = await db
    .selectFrom('group_members')
    .select(['group_id', 'member_id'])
    .where('org_id', '=', tenant.orgId)
    .execute();

  const report: Reconciliation = {
    users: noEffects(),
    unknownCreatesCommitted: 0,
    updates: noEffects(),
    memberships: noEffects(),
    unknownMembershipsCommitted: 0,
  };
  const byName = new Map(members.map((m) => [m.user_name, m]));
  const emailRows = new Map<string, typeof emails>();
  for (const e of emails) emailRows.set(e.member_id, [...(emailRows.get(e.member_id) ?? []), e]);
  const events = (action: string, target: string) =>
    audit.filter((e) => e.action === action && e.target_id === target);

  // Users: present exactly when they should be, each one whole.
  const ledger = new Map(load.users.map((u) => [u.userName, u]));
  const strangers = members.filter((m) => !ledger.has(m.user_name)).map((m) => m.user_name);
  expect(strangers, 'users in the database that no request created').toEqual([]);
  for (const user of load.users) {
    report.users[user.create]++;
    const row = byName.get(user.userName);
    const where = `${user.userName} (create ${user.create}, updates ${JSON.stringify(user.updates)})`;
    if (user.create === 'applied') expect(row?.id, `${where}: answered 201, so present`).toBe(user.id);
    if (user.create === 'unsent' || user.create === 'rejected')
      expect(row, `${where}: never created`).toBeUndefined();
    if (!row) continue;
    if (user.create === 'unknown') report.unknownCreatesCommitted++;

    // One version k throughout the row and its email rows.
    const k = Number(/^v(\d+)$/.exec(String(row.data.title))?.[1]);
    expect(Number.isInteger(k), `${where}: title ${String(row.data.title)}`).toBe(true);
    expect(row.data, `${where}: every attribute at v${k}`).toMatchObject({
      userName: user.userName,
      displayName: `${user.userName} v${k}`,
      name: { givenName: 'Fault', familyName: `v${k}` },
      emails: emailsAt(user.userName, k),
    });
    expect(
      (emailRows.get(row.id) ?? []).map((e) => ({ value: e.value, type: e.type })),
      `${where}: email rows match the user's emails`,
    ).toEqual(emailsAt(user.userName, k).map((e) => ({ value: e.value, type: e.type })));

    // k is the last update answered 2xx, or a later one whose answer was lost.
    const lastApplied = user.updates.findLastIndex((u) => u.effect === 'applied');
    const possible = [
      lastApplied === -1 ? 0 : (user.updates[lastApplied] as UpdateRecord).k,
      ...user.updates
        .slice(lastApplied + 1)
        .filter((u) => u.effect === 'unknown')
        .map((u) => u.k),
    ];
    expect(possible, `${where}: at v${k}`).toContain(k);

    // Each applied update bumped the version once and left one audit event.
    for (const update of user.updates) report.updates[update.effect]++;
    const applied = user.updates.filter((u) => u.effect === 'applied').length;
    const unknown = user.updates.filter((u) => u.effect === 'unknown').length;
    expect(row.version - 1, `${where}: version`).toBeGreaterThanOrEqual(applied);
    expect(row.version - 1, `${where}: version`).toBeLessThanOrEqual(applied + unknown);
    expect(events('scim.member.created', row.id), `${where}: one creation event`).toHaveLength(1);
    expect(events('scim.member.updated', row.id), `${where}: an event per update`).toHaveLength(
      row.version - 1,
    );
  }
  const ids = new Set(members.map((m) => m.id));
  const orphans = audit.filter((e) => e.action.startsWith('scim.member.') && !ids.has(e.target_id ?? ''));
  expect(orphans, 'audit events of users that do not exist').toEqual([]);

  // Group memberships.
  const present = new Set(memberships.map((m) => `${m.group_id}/${m.member_id}`));
  const attempted = new Set(load.memberships.map((m) => `${m.groupId}/${m.userId}`));
  expect(
    [...present].filter((pair) => !attempted.has(pair)),
    'memberships no request added',
  ).toEqual([]);
  for (const m of load.memberships) {
    report.memberships[m.effect]++;
    const pair = `${m.groupId}/${m.userId}`;
    const where = `${m.userName} in group ${m.groupId} (${m.effect})`;
    if (m.effect === 'applied') expect(present.has(pair), `${where}: answered 2xx, so present`).toBe(true);
    if (m.effect === 'unsent' || m.effect === 'rejected')
      expect(present.has(pair), `${where}: never added`).toBe(false);
    if (m.effect === 'unknown' && present.has(pair)) report.unknownMembershipsCommitted++;
  }
  for (const group of groups) {
    const updated = events('scim.group.updated', group.id);
    const rows = memberships.filter((m) => m.group_id === group.id).length;
    const added = updated.reduce((sum, e) => sum + Number(e.changes?.membersAdded ?? 0), 0);
    expect(updated, `group ${group.id}: an event per change`).toHaveLength(group.version - 1);
    expect(added, `group ${group.id}: the events account for every membership`).toBe(rows);
  }
  return report;
}

/**
 * The checks after a fault, once the load has stopped: every error answer was a retryable 503;
 * everything sent once Roster was ready again (at `ready`, a performance.now() time) succeeded, so
 * no broken connection was left in the pool; and the database reconciles with the ledger, before
 * and after the identity provider's retries. Returns the figures the test logs.
 */
export async function expectRecovered(env: FaultEnvironment, tenant: Tenant, load: Load, ready: number) {
  const unavailable = expectOnlyRetryableErrors(load.requests);
  const after = load.between(ready, Number.POSITIVE_INFINITY);
  expect(after.length).toBeGreaterThan(0);
  expect(after.filter((r) => r.outcome.kind !== 'response' || r.outcome.status >= 300)).toEqual([]);
  const reconciliation = await reconcile(env, tenant, load);
  const retried = await retryUnknown(tenant, load);
  await reconcile(env, tenant, load);
  const slowest503Ms = Math.max(
    0,
    ...load.requests.map((r) =>
      r.outcome.kind === 'response' && r.outcome.status === 503 ? r.outcome.ms : 0,
    ),
  );
  return {
    requests: load.requests.length,
    outcomes: load.tally(),
    unavailable,
    slowest503Ms,
    reconciliation,
    retried,
  };
}

/**
 * What an identity provider does next with the writes whose answers it never got: sends them
 * again. A create then succeeds or meets the user it already made (409 uniqueness, never a
 * second user); a member add succeeds. The ledger then records them as applied, so that a
 * second reconciliation holds the database to that. Returns the statuses seen.
 */
async function retryUnknown(tenant: Tenant, load: Load): Promise<Record<string, number>> {
  const statuses: Record<string, number> = {};
  const count = (outcome: Outcome) => {
    const key = outcome.kind === 'response' ? String(outcome.status) : outcome.kind;
    statuses[key] = (statuses[key] ?? 0) + 1;
  };
  const creates = load.users.filter((u) => u.create === 'unknown');
  await inParallel(creates, async (user) => {
    const outcome = await request(tenant, 'POST', '/Users', userAt(user.userName, 0));
    count(outcome);
    expect(outcome).toMatchObject({ kind: 'response' });
    const { status, body } = outcome as { status: number; body: { id?: string; scimType?: string } };
    expect([201, 409], `retried create of ${user.userName}: ${JSON.stringify(body)}`).toContain(status);
    if (status === 409) expect(body.scimType).toBe('uniqueness');
    const found = await request(
      tenant,
      'GET',
      `/Users?filter=${encodeURIComponent(`userName eq "${user.userName}"`)}`,
    );
    expect(found).toMatchObject({ kind: 'response', status: 200, body: { totalResults: 1 } });
    // Now known to exist: the next reconciliation holds it to that.
    user.create = 'applied';
    user.id = (found as { body: { Resources: { id: string }[] } }).body.Resources[0]?.id;
  });
  const adds = load.memberships.filter((m) => m.effect === 'unknown');
  await inParallel(adds, async (m) => {
    const outcome = await request(tenant, 'PATCH', `/Groups/${m.groupId}`, addMember(m.userId));
    count(outcome);
    expect(outcome, `retried member add of ${m.userName}`).toMatchObject({ kind: 'response' });
    expect((outcome as { status: number }).status).toBeLessThan(300);
    m.effect = 'applied';
  });
  return statuses;
}

/** Runs `task` over `items`, `concurrency` at a time, as an identity provider's sync would. */
async function inParallel<T>(items: T[], task: (item: T) => Promise<void>, concurrency = 8): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++] as T);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
