/**
 * What recording provisioning activity costs: lookups and creates against the suite's
 * Roster process (recording on, the default) beside a second process on the same database with
 * `ROSTER_ACTIVITY_RECORDING=false`, one after the other, in one run. The issue's target: at
 * most 5% fewer requests a second with recording on.
 */
import { createBenchOrganization, userName } from '../environment/fixtures.js';
import { round, runLoad, type Throughput } from '../load/http-load.js';
import { scimHeaders, targeted, type Workload } from './workload.js';

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

/** The share of throughput lost with recording on, in percent (negative: on was faster, noise). */
const costOf = (on: Throughput, off: Throughput) => round(((off.rps - on.rps) / off.rps) * 100);

export const activityCost: Workload = {
  id: 'activity-cost',
  title: 'Activity recording: lookup and create with recording on beside off',
  async run(ctx) {
    const off = await ctx.startRoster('roster-no-activity', { ROSTER_ACTIVITY_RECORDING: 'false' });
    try {
      const { slug, token } = ctx.large;
      const lookup = (origin: string) =>
        runLoad({
          origin,
          connections: ctx.sizes.concurrency,
          seconds: ctx.sizes.seconds,
          request: () => ({
            path: `/scim/v2/${slug}/Users?filter=${encodeURIComponent(
              `userName eq "${userName(1 + Math.floor(Math.random() * ctx.sizes.users))}"`,
            )}`,
            headers: scimHeaders(token),
          }),
        });
      const create = async (origin: string, label: string) => {
        const org = await createBenchOrganization(ctx.db, `bench-activity-${label}`);
        let next = 0;
        return runLoad({
          origin,
          connections: ctx.sizes.concurrency,
          seconds: ctx.sizes.seconds,
          request: () => {
            next += 1;
            const name = `activity${next}@bench.example`;
            return {
              method: 'POST',
              path: `/scim/v2/${org.slug}/Users`,
              headers: scimHeaders(org.token, true),
              body: JSON.stringify({
                schemas: [USER_SCHEMA],
                userName: name,
                emails: [{ value: name, type: 'work', primary: true }],
                active: true,
              }),
            };
          },
        });
      };
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
