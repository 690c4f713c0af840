/**
 * The benchmark suite: PostgreSQL and its ceiling, the data, Roster in its own process, then each
 * workload with Roster's memory sampled throughout. Returns the results; cli.ts prints them.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemorySampler, RosterProcess } from '@roster/testkit/roster-process';
import { type BenchDatabase, startDatabase } from './environment/database.js';
import { createBenchOrganization, loadUsers, vacuumAnalyze } from './environment/fixtures.js';
import { describeMachine, type Machine, ROSTER_MAIN } from './environment/machine.js';
import { pgbench } from './load/pgbench.js';
import type { Sizes } from './sizes.js';
import { activityCost } from './workloads/activity-cost.js';
import { citus } from './workloads/citus.js';
import { entraCycle } from './workloads/entra-cycle.js';
import { bigGroup, deepPaging } from './workloads/latency.js';
import { betterAuthPeer } from './workloads/peer.js';
import { create, lookup, manyConnections, manyTenants, twoProcesses } from './workloads/throughput.js';
import { webhooks } from './workloads/webhooks.js';
import type { BenchContext, Workload, WorkloadResult } from './workloads/workload.js';

export const WORKLOADS: Workload[] = [
  create,
  lookup,
  manyConnections,
  entraCycle,
  bigGroup,
  deepPaging,
  manyTenants,
  twoProcesses,
  activityCost,
  betterAuthPeer,
  webhooks,
  citus,
];

/**
 * The workloads a run makes: those named, else all but the peers and the Citus cluster at a size
 * without them (smoke: both take tens of seconds before the first request).
 */
export function selectWorkloads(sizes: Sizes, only?: string[]): Workload[] {
  return WORKLOADS.filter((w) => (only ? only.includes(w.id) : sizes.peers || !(w.peer || w.cluster)));
}

export interface BenchOptions {
  sizes: Sizes;
  /** Workload ids to run (all when absent). */
  only?: string[];
  /** Run PostgreSQL with fsync and synchronous commit on (off by default: see docs/performance.md). */
  durable?: boolean;
  /** Write V8 CPU profiles of the Roster processes into the work directory. */
  cpuProfile?: boolean;
  log?: (line: string) => void;
}

export interface BenchReport {
  startedAt: string;
  machine: Machine & { durable: boolean };
  sizes: Sizes;
  ceiling: BenchContext['ceiling'];
  workloads: WorkloadResult[];
  /** Error lines from Roster's logs: none in a good run. */
  serverErrors: string[];
  /** Where the server logs (and CPU profiles) were written. */
  workDir: string;
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const log = options.log ?? (() => {});
  const { sizes } = options;
  const durable = options.durable ?? false;
  const workDir = await mkdtemp(join(tmpdir(), 'roster-bench-'));
  const startedAt = new Date().toISOString();
  const database = await startDatabase({ durable, log });
  const processes: RosterProcess[] = [];
  const workloads: WorkloadResult[] = [];
  let ceiling: BenchContext['ceiling'];
  let about: BenchReport['machine'];
  try {
    const { db } = database.handle;
    about = { ...(await describeMachine(db)), durable };
    log(`loading ${sizes.users.toLocaleString('en')} users`);
    const large = await createBenchOrganization(db, 'bench-large');
    await loadUsers(db, [large.id], sizes.users, (n) => log(`  ${n.toLocaleString('en')} users`));
    await vacuumAnalyze(db);

    log('measuring PostgreSQL alone (pgbench)');
    ceiling = await measureCeiling(database, large.id, sizes);
    log(`  insert ${ceiling.insert.tps} tps, select ${ceiling.select.tps} tps`);

    const secretKey = randomBytes(32).toString('base64');
    const startRoster = async (
      name: string,
      env: Record<string, string> = {},
      databaseUrl = database.url,
    ) => {
      const roster = await RosterProcess.start({
        main: ROSTER_MAIN,
        databaseUrl,
        secretKey,
        workDir,
        name,
        cpuProfile: options.cpuProfile ?? false,
        // The benchmark measures how fast Roster can go, not the limits that protect it.
        env: { SCIM_RATE_LIMIT_PER_CREDENTIAL: '0', SCIM_RATE_LIMIT_PER_ORGANIZATION: '0', ...env },
      });
      processes.push(roster);
      return roster;
    };
    const ctx: BenchContext = {
      sizes,
      db,
      roster: await startRoster('roster-1'),
      startRoster,
      large,
      ceiling,
      databaseUrl: database.url,
      log,
    };
    for (const workload of selectWorkloads(sizes, options.only)) {
      log(`${workload.title} …`);
      // Every Roster process, including one a workload starts.
      const sampler = new MemorySampler(processes);
      let memory: WorkloadResult['memory'];
      const result = await workload.run(ctx).finally(() => {
        memory = sampler.stop();
      });
      workloads.push({ ...result, memory });
    }
  } finally {
    // Stopped before their logs are read: a process flushes its log as it exits.
    for (const roster of processes) await roster.stop();
    await database.stop();
  }
  return {
    startedAt,
    machine: about,
    sizes,
    ceiling,
    workloads,
    serverErrors: processes.flatMap((p) => p.errorLines()),
    workDir,
  };
}

/**
 * PostgreSQL's own rates on the same server and data: a single-row insert into `members` (what a
 * create writes first) and the indexed select a userName lookup runs, at the same concurrency.
 */
async function measureCeiling(database: BenchDatabase, orgId: string, sizes: Sizes) {
  const common = {
    binDir: database.binDir,
    databaseUrl: database.url,
    clients: sizes.concurrency,
    seconds: sizes.seconds,
  };
  const pgbenchOrg = await createBenchOrganization(database.handle.db, 'bench-pgbench');
  const select = await pgbench({
    ...common,
    variables: { org: orgId, users: sizes.users },
    script: `\\set n random(1, :users)
select * from members where org_id = :org and lower(user_name) = 'user' || :n::text || '@bench.example';
`,
  });
  const insert = await pgbench({
    ...common,
    variables: { org: pgbenchOrg.id },
    script: `insert into members (org_id, id, user_name, data)
values (:org, gen_random_uuid(), 'pgbench-' || gen_random_uuid()::text, '{"userName": "pgbench"}');
`,
  });
  return { insert, select };
}
