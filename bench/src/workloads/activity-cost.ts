/**
 * What recording provisioning activity costs: lookups and creates against three fresh Roster
 * processes started the same way on the same database, one with recording on (the default) and
 * two with `ROSTER_ACTIVITY_RECORDING=false`. The suite's long-running process is not used: it has
 * served every earlier workload, and a control with recording off in both showed that alone to
 * be a 14% create gap.
 *
 * The loads run in rounds, each against every process in turn; the order reverses from one round
 * to the next (on, off, control, then control, off, on, …), so the "on" process and the control
 * take the same places and the "off" process is always between them. The on/off cost is then
 * reported beside the control/off difference, the run's noise floor: a cost is recording's only
 * where it stands above the control's. The target: at most 5% fewer requests a second.
 */
import { type BenchOrganization, createBenchOrganization } from '../environment/fixtures.js';
import { round, type Throughput } from '../load/http-load.js';
import { createLoad, lookupLoad } from './throughput.js';
import { type BenchContext, type Figure, targeted, type Workload } from './workload.js';

/** The share of throughput lost against `off`, in percent (negative: faster than `off`). */
const costOf = (rps: number, offRps: number) => round(((offRps - rps) / offRps) * 100);

type Role = 'on' | 'off' | 'control';
const ORDER: Role[] = ['on', 'off', 'control'];

interface Totals {
  requests: number;
  rps: number;
  failures: number;
}

/**
 * `rounds` rounds of `load` against each process, the order reversed every other round; each
 * process's requests a second are the mean over its rounds.
 */
async function alternate(
  rounds: number,
  load: (role: Role, round: number) => Promise<Throughput>,
): Promise<Record<Role, Totals>> {
  const totals = Object.fromEntries(
    ORDER.map((role) => [role, { requests: 0, rps: 0, failures: 0 }]),
  ) as Record<Role, Totals>;
  for (let r = 0; r < rounds; r++) {
    for (const role of r % 2 === 0 ? ORDER : ORDER.toReversed()) {
      const result = await load(role, r);
      totals[role].requests += result.requests;
      totals[role].rps += result.rps / rounds;
      totals[role].failures += result.failures;
    }
  }
  for (const role of ORDER) totals[role].rps = round(totals[role].rps, 1);
  return totals;
}

function figures(kind: 'lookup' | 'create', totals: Record<Role, Totals>): Figure[] {
  const cost = costOf(totals.on.rps, totals.off.rps);
  const control = costOf(totals.control.rps, totals.off.rps);
  return [
    { name: `${kind} requests/s, recording on`, value: totals.on.rps, unit: 'req/s' },
    { name: `${kind} requests/s, recording off`, value: totals.off.rps, unit: 'req/s' },
    { name: `${kind} requests/s, control (recording off)`, value: totals.control.rps, unit: 'req/s' },
    targeted({ name: `${kind} cost of recording (on vs off)`, value: cost, unit: '%' }, '≤ 5%', cost <= 5),
    { name: `${kind} noise floor (control vs off)`, value: control, unit: '%' },
  ];
}

export const activityCost: Workload = {
  id: 'activity-cost',
  title: 'Activity recording: lookup and create with recording on beside off, and an off/off control',
  async run(ctx: BenchContext) {
    const { activityRounds: rounds, seconds } = ctx.sizes;
    // Each process gets the same total time as the other throughput workloads' single run.
    const roundCtx = { ...ctx, sizes: { ...ctx.sizes, seconds: Math.max(1, Math.round(seconds / rounds)) } };
    const recording = { on: 'true', off: 'false', control: 'false' } satisfies Record<Role, string>;
    const processes = await Promise.all(
      ORDER.map((role) =>
        ctx.startRoster(`roster-activity-${role}`, { ROSTER_ACTIVITY_RECORDING: recording[role] }),
      ),
    );
    try {
      const origin = (role: Role) => processes[ORDER.indexOf(role)]?.origin as string;
      const orgs = new Map<Role, BenchOrganization>();
      for (const role of ORDER)
        orgs.set(role, await createBenchOrganization(ctx.db, `bench-activity-${role}`));

      const lookups = await alternate(rounds, (role) => lookupLoad(roundCtx, origin(role)));
      const creates = await alternate(rounds, (role, r) =>
        createLoad(roundCtx, origin(role), orgs.get(role) as BenchOrganization, `activity-r${r}-`),
      );
      const all = [...Object.values(lookups), ...Object.values(creates)];
      return {
        id: this.id,
        title: `${this.title} (${rounds} alternating rounds)`,
        failures: all.reduce((sum, t) => sum + t.failures, 0),
        figures: [...figures('lookup', lookups), ...figures('create', creates)],
      };
    } finally {
      for (const roster of processes) await roster.stop();
    }
  },
};
