/**
 * The soak (issue #7): Roster in its own process on real PostgreSQL, with its production settings
 * (rate limits included), under mixed IdP traffic for a long while (10 minutes by default): Entra
 * ID and Ping simulators provisioning their organizations round after round, with reads around
 * them. Every interval (a minute by default) it records Roster's memory and what the traffic met;
 * the verdict fails on any 5xx, connection error, IdP-logged failure or server error line, and on
 * memory that keeps growing.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MemorySampler, RosterProcess, toMb } from '@roster/testkit/roster-process';
import { startDatabase } from '../environment/database.js';
import { describeMachine, type Machine, ROSTER_MAIN } from '../environment/machine.js';
import { round } from '../load/http-load.js';
import { type Random, seededRandom } from './churn.js';
import { createSoakOrganizations } from './organizations.js';
import { type ProvisioningTotals, ProvisioningWorker, ROUND_SIZES, type RoundSizes } from './provisioning.js';
import { type ReadTarget, readInBackground } from './reads.js';
import { type IntervalCounts, Traffic, zeroCounts } from './traffic.js';

/**
 * Memory that looks like a leak: at the end, more than 1.5× what Roster held after the first
 * interval (warm: JIT, connection pool, caches), and above the issue's 200 MB target.
 */
export const LEAK = { growth: 1.5, floorMb: 200 };

export interface SoakOptions {
  /** How long the traffic runs. */
  seconds: number;
  /** How often memory and counts are recorded (the last interval ends when the traffic has stopped). */
  intervalSeconds?: number;
  /** Background reads per second, across the organizations. */
  readsPerSecond?: number;
  rounds?: Partial<RoundSizes>;
  /** Seed of the changes to the IdP source and of the reads; random when absent (the report names it). */
  seed?: number;
  log?: (line: string) => void;
}

export interface SoakInterval extends IntervalCounts {
  /** Seconds from the start of the traffic to the end of this interval. */
  atSeconds: number;
  /** Roster's resident memory at the end of the interval. */
  rssMb: number;
  /** Error lines Roster logged during the interval. */
  serverLogErrors: number;
}

export interface SoakReport {
  startedAt: string;
  machine: Machine;
  settings: {
    seconds: number;
    intervalSeconds: number;
    readsPerSecond: number;
    rounds: RoundSizes;
    seed: number;
  };
  intervals: SoakInterval[];
  totals: Omit<SoakInterval, 'atSeconds' | 'rssMb' | 'p99Ms'> & {
    /** Responses by exact status. */
    statusCodes: Record<string, number>;
    reads: number;
  };
  organizations: ProvisioningTotals[];
  memory: {
    /** RSS after the first interval: the warm baseline. */
    baselineMb: number;
    endMb: number;
    peakMb: number;
    /** endMb / baselineMb. */
    growth: number;
    leak: boolean;
  };
  /** Why the soak failed; empty when it passed. */
  verdict: string[];
  /** The first problems met: 5xx answers, connection errors, IdP failures. */
  problems: string[];
  /** Roster's log lines at error level. */
  serverErrors: string[];
  /** Provisioning activity entries Roster could not record (`roster_activity_dropped_total`): 0 expected. */
  activityDrops: number;
  /** Where Roster's log was written. */
  workDir: string;
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => {});
  const intervalSeconds = options.intervalSeconds ?? 60;
  const readsPerSecond = options.readsPerSecond ?? 5;
  const rounds = { ...ROUND_SIZES, ...options.rounds };
  const seed = options.seed ?? randomBytes(4).readUInt32BE();
  const workDir = await mkdtemp(join(tmpdir(), 'roster-soak-'));
  const startedAt = new Date().toISOString();
  const database = await startDatabase({ durable: false, log });
  let roster: RosterProcess | undefined;
  try {
    roster = await RosterProcess.start({
      main: ROSTER_MAIN,
      databaseUrl: database.url,
      secretKey: randomBytes(32).toString('base64'),
      workDir,
      name: 'roster',
    });
    const { origin } = roster;
    const organizations = await createSoakOrganizations(database.handle.db, origin);
    const machine = await describeMachine(database.handle.db);
    log(
      `soak: ${options.seconds} s of traffic on ${organizations.map((o) => `${o.slug} (${o.label}, ${o.auth})`).join(', ')}; seed ${seed}`,
    );
    const traffic = new Traffic();
    const workers = organizations.map(
      (org, i) => new ProvisioningWorker(org, rounds, seededRandom(seed + i + 1), traffic),
    );
    const run = await drive(roster, traffic, {
      seconds: options.seconds,
      intervalSeconds,
      log,
      workers,
      // The OAuth organization refuses system keys: the reads go to the others.
      reads: organizations.flatMap(({ target: { baseUrl, token } }, i) =>
        token ? [{ baseUrl, token, someUserName: (random: Random) => workers[i]?.someUserName(random) }] : [],
      ),
      readsPerSecond,
      random: seededRandom(seed),
    });

    const { intervals } = run;
    const baselineMb = intervals[0]?.rssMb ?? 0;
    const endMb = intervals.at(-1)?.rssMb ?? 0;
    const growth = baselineMb > 0 ? round(endMb / baselineMb, 2) : 0;
    const memory = {
      baselineMb,
      endMb,
      peakMb: Math.max(run.peakMb, endMb),
      growth,
      leak: growth > LEAK.growth && endMb > LEAK.floorMb,
    };
    // Read before the stop: the drops of the whole run (a drop at drain would be in the log).
    const activityDrops = await droppedActivity(roster.origin);
    // Stopped before its log is read: a process flushes its log as it exits.
    await roster.stop();
    const serverErrors = roster.errorLines();
    const totals = {
      ...sumIntervals(intervals),
      // The whole log, lines flushed at exit included (the intervals were read while it ran).
      serverLogErrors: serverErrors.length,
      statusCodes: traffic.statusCodes,
      reads: run.reads,
    };
    return {
      startedAt,
      machine,
      settings: { seconds: options.seconds, intervalSeconds, readsPerSecond, rounds, seed },
      intervals,
      totals,
      organizations: workers.map((w) => w.totals),
      memory,
      verdict: [
        ...verdict(totals, serverErrors, memory),
        ...(activityDrops > 0 ? [`Roster dropped ${activityDrops} provisioning activity entries`] : []),
      ],
      problems: traffic.problems,
      serverErrors,
      activityDrops,
      workDir,
    };
  } finally {
    await roster?.stop();
    await database.stop();
  }
}

/**
 * Runs the workers and the reads for `seconds`, recording an interval every `intervalSeconds`;
 * the last interval ends when every cycle under way has finished.
 */
async function drive(
  roster: RosterProcess,
  traffic: Traffic,
  options: {
    seconds: number;
    intervalSeconds: number;
    log: (line: string) => void;
    workers: ProvisioningWorker[];
    reads: ReadTarget[];
    readsPerSecond: number;
    random: Random;
  },
): Promise<{ intervals: SoakInterval[]; reads: number; peakMb: number }> {
  const sampler = new MemorySampler([roster]);
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  // Ended early too when something here fails, so no worker outlives the run.
  let stopped = false;
  const done = () => stopped || performance.now() >= deadline;
  const intervals: SoakInterval[] = [];
  let reads = 0;
  let peakMb = 0;
  let errorsSoFar = 0;
  const record = () => {
    const errors = roster.errorLines().length;
    const interval: SoakInterval = {
      atSeconds: Math.round((performance.now() - started) / 1000),
      rssMb: toMb(roster.rss() ?? 0),
      serverLogErrors: errors - errorsSoFar,
      ...traffic.take(),
    };
    errorsSoFar = errors;
    intervals.push(interval);
    options.log(
      `  ${clock(interval.atSeconds)}: RSS ${interval.rssMb} MB, ${interval.requests} requests, ` +
        `${interval.statuses['5xx']} 5xx, ${interval.connectionErrors} connection errors, ` +
        `${interval.simulatorFailures} IdP failures, ${interval.cycles} cycles`,
    );
  };
  const running = Promise.all([
    ...options.workers.map((w) => w.run(done)),
    readInBackground(options.reads, options.readsPerSecond, options.random, traffic.fetch, done).then(
      (sent) => {
        reads = sent;
      },
    ),
  ]);
  try {
    for (let n = 1; ; n += 1) {
      const tick = started + n * options.intervalSeconds * 1000;
      if (tick >= deadline) {
        await running;
        record();
        break;
      }
      await sleep(Math.max(0, tick - performance.now()));
      record();
    }
  } finally {
    stopped = true;
    await running;
    peakMb = sampler.stop().peakMb;
  }
  return { intervals, reads, peakMb };
}

function sumIntervals(intervals: SoakInterval[]) {
  const totals = zeroCounts();
  for (const interval of intervals) {
    totals.requests += interval.requests;
    for (const key of Object.keys(totals.statuses) as (keyof typeof totals.statuses)[])
      totals.statuses[key] += interval.statuses[key];
    totals.throttled += interval.throttled;
    totals.connectionErrors += interval.connectionErrors;
    totals.simulatorFailures += interval.simulatorFailures;
    totals.cycles += interval.cycles;
  }
  return totals;
}

/** `roster_activity_dropped_total` from the process's /metrics (-1 when it cannot be read). */
async function droppedActivity(origin: string): Promise<number> {
  try {
    const text = await (await fetch(`${origin}/metrics`)).text();
    const match = /^roster_activity_dropped_total (\d+)/m.exec(text);
    return match ? Number(match[1]) : -1;
  } catch {
    return -1;
  }
}

function verdict(
  totals: SoakReport['totals'],
  serverErrors: string[],
  memory: SoakReport['memory'],
): string[] {
  const reasons: string[] = [];
  if (totals.statuses['5xx'] > 0) reasons.push(`${totals.statuses['5xx']} responses were 5xx`);
  if (totals.connectionErrors > 0) reasons.push(`${totals.connectionErrors} requests got no response`);
  if (totals.simulatorFailures > 0) reasons.push(`the IdPs logged ${totals.simulatorFailures} failures`);
  if (serverErrors.length > 0) reasons.push(`Roster logged ${serverErrors.length} lines at error level`);
  if (memory.leak) {
    reasons.push(
      `memory grew from ${memory.baselineMb} MB to ${memory.endMb} MB (${memory.growth}×, more than ` +
        `${LEAK.growth}× and above ${LEAK.floorMb} MB)`,
    );
  }
  if (totals.cycles === 0) reasons.push('no provisioning cycle finished');
  return reasons;
}

/** `m:ss` */
export const clock = (seconds: number) =>
  `${Math.floor(seconds / 60)}:${String(Math.round(seconds % 60)).padStart(2, '0')}`;
