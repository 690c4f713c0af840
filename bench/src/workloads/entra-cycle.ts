/**
 * An Entra ID initial cycle, by the conformance simulator: every user looked up then created,
 * groups created then their members PATCHed in, exactly as Entra sends them (docs/conformance.md).
 */

import { IdpSource } from '@roster/conformance/idp-source';
import { createProvisioner } from '@roster/conformance/run';
import { createBenchOrganization } from '../environment/fixtures.js';
import { round } from '../load/http-load.js';
import type { Workload } from './workload.js';

export const entraCycle: Workload = {
  id: 'entra-cycle',
  title: 'Entra ID initial cycle (conformance simulator)',
  async run(ctx) {
    const { users, groups, membersPerGroup } = ctx.sizes.cycle;
    const org = await createBenchOrganization(ctx.db, 'bench-entra');
    const source = new IdpSource('bench');
    source.seed({ users, groups, membersPerGroup });
    const simulator = createProvisioner(
      {
        profile: { idp: 'entra', mode: 'aadOptscim062020' },
        target: { baseUrl: `${ctx.roster.origin}/scim/v2/${org.slug}`, token: org.token },
      },
      source,
    );
    const started = performance.now();
    const cycle = await simulator.cycle();
    const seconds = (performance.now() - started) / 1000;
    return {
      id: this.id,
      title: `${this.title}: ${users.toLocaleString('en')} users, ${groups} groups of ${membersPerGroup}`,
      failures: cycle.failures.length + (cycle.stoppedBecause ? 1 : 0),
      figures: [
        { name: 'wall time', value: round(seconds, 1), unit: 's' },
        { name: 'requests', value: cycle.requests, unit: '' },
        { name: 'requests/s', value: round(cycle.requests / seconds), unit: 'req/s' },
      ],
    };
  },
};
