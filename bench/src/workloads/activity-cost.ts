/**
 * What recording provisioning activity costs: lookups and creates against the suite's
 * Roster process (recording on, the default) beside a second process on the same database with
 * `ROSTER_ACTIVITY_RECORDING=false`, one after the other, in one run. The target: at
 * most 5% fewer requests a second with recording on.
 */
import { createBenchOrganization } from '../environment/fixtures.js';
import { round, type Throughput } from '../load/http-load.js';
import { createLoad, lookupLoad } from './throughput.js';
import { targeted, type Workload } from './workload.js';

/** The share of throughput lost with recording on, in percent (negative: on was faster, noise). */
const costOf = (on: Throughput, off: Throughput) => round(((off.rps - on.rps) / off.rps) * 100);

export const activityCost: Workload = {
  id: 'activity-cost',
  title: 'Activity recording: lookup and create with recording on beside off',
  async run(ctx) {
    const off = await ctx.startRoster('roster-no-activity', { ROSTER_ACTIVITY_RECORDING: 'false' });
    try {
      const lookup = (origin: string) => lookupLoad(ctx, origin);
      const create = async (origin: string, label: string) =>
        createLoad(ctx, origin, await createBenchOrganization(ctx.db, `bench-activity-${label}`), 'activity');
      const lookupOn = await lookup(ctx.roster.origin);
      const lookupOff = await lookup(off.origin);
      const createOn = await create(ctx.roster.origin, 'on');
      const createOff = await create(off.origin, 'off');
      const lookupCost = costOf(lookupOn, lookupOff);
      const createCost = costOf(createOn, createOff);
      return {
        id: this.id,
        title: this.title,
        failures: lookupOn.failures + lookupOff.failures + createOn.failures + createOff.failures,
        figures: [
          { name: 'lookup requests/s, recording on', value: lookupOn.rps, unit: 'req/s' },
          { name: 'lookup requests/s, recording off', value: lookupOff.rps, unit: 'req/s' },
          targeted(
            { name: 'lookup cost of recording', value: lookupCost, unit: '%' },
            '≤ 5%',
            lookupCost <= 5,
          ),
          { name: 'create requests/s, recording on', value: createOn.rps, unit: 'req/s' },
          { name: 'create requests/s, recording off', value: createOff.rps, unit: 'req/s' },
          targeted(
            { name: 'create cost of recording', value: createCost, unit: '%' },
            '≤ 5%',
            createCost <= 5,
          ),
        ],
      };
    } finally {
      await off.stop();
    }
  },
};
