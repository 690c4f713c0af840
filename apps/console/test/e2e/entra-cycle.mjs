// The Entra ID simulator's initial cycle (apps/conformance, built) for the browser tests. Plain
// JavaScript so that the console's typecheck (DOM types) does not take in the simulator's sources
// (Node's fetch types); entra-cycle.d.mts declares it.
import { IdpSource } from '@roster/conformance/idp-source';
import { createProvisioner } from '@roster/conformance/run';

export async function entraInitialCycle({ baseUrl, token, users, prefix }) {
  const source = new IdpSource(prefix);
  source.seed({ users, groups: 0, membersPerGroup: 0 });
  const entra = createProvisioner(
    { profile: { idp: 'entra', mode: 'default' }, target: { baseUrl, token } },
    source,
  );
  await entra.cycle();
  return {
    userNames: [...source.users.values()].map((user) => user.userName).sort(),
    failures: entra.log.filter((entry) => entry.status === 'Failure').map((entry) => JSON.stringify(entry)),
  };
}
