/** What every workload gets, and what it reports. */
import type { Database } from '@roster/db';
import type { RosterProcess } from '@roster/testkit/roster-process';
import type { Kysely } from 'kysely';
import type { BenchOrganization } from '../environment/fixtures.js';
import type { PgbenchResult } from '../load/pgbench.js';
import type { Sizes } from '../sizes.js';

export interface BenchContext {
  sizes: Sizes;
  db: Kysely<Database>;
  /** The Roster process every workload calls. */
  roster: RosterProcess;
  /**
   * Starts one more Roster process, with more settings, on the same database or on `databaseUrl`
   * (stopped by the caller; its memory is sampled and its log read like the others').
   */
  startRoster(name: string, env?: Record<string, string>, databaseUrl?: string): Promise<RosterProcess>;
  /** The organization holding `sizes.users` users. */
  large: BenchOrganization;
  /** PostgreSQL's own rates, measured first. */
  ceiling: { insert: PgbenchResult; select: PgbenchResult };
  /** The benchmark database's URL (a peer creates its own database on the same server). */
  databaseUrl: string;
  log: (line: string) => void;
}

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** What the issue asks of this figure, and whether this run met it. */
  target?: { text: string; met: boolean };
}

export interface WorkloadResult {
  id: string;
  title: string;
  figures: Figure[];
  /** Requests that failed (errors, timeouts, non-2xx answers): 0 in a good run. */
  failures: number;
  /** Roster's resident memory during the workload (all its processes), filled in by the suite. */
  memory?: { peakMb: number; endMb: number };
  /** Why the workload measured nothing (e.g. a peer that could not be installed offline). */
  skipped?: string;
}

export interface Workload {
  id: string;
  title: string;
  /** Runs another product, installed on demand: in `npm run bench`, never in the smoke run (see `Sizes.peers`). */
  peer?: boolean;
  /** Starts its own database cluster (Citus): like the peers, in `npm run bench`, never in the smoke run. */
  cluster?: boolean;
  run(ctx: BenchContext): Promise<WorkloadResult>;
}

export const scimHeaders = (token: string, body = false): Record<string, string> => ({
  authorization: `Bearer ${token}`,
  accept: 'application/scim+json',
  ...(body ? { 'content-type': 'application/scim+json' } : {}),
});

/** A figure with its target: `ok` says whether it was met. */
export function targeted(figure: Omit<Figure, 'target'>, text: string, ok: boolean): Figure {
  return { ...figure, target: { text, met: ok } };
}
