/**
 * One simulated IdP provisioning its organization for the length of the soak, in rounds. A round
 * is a provisioning job's life: Test Connection, the initial cycle of a fresh source, then
 * incremental cycles with the source changed before each, a full cycle that must find nothing
 * to write (the target holds exactly what the IdP sent), and a last cycle after everything was
 * deleted at the source. Rounds keep the organization's size steady however long the soak runs.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { IdpSource } from '@roster/conformance/idp-source';
import { createProvisioner, credentialsFor } from '@roster/conformance/run';
import { type ChurnSizes, churn, deleteEverything, type Random } from './churn.js';
import type { SoakOrganization } from './organizations.js';
import type { Traffic } from './traffic.js';

export interface RoundSizes extends ChurnSizes {
  /** The source each round starts with. */
  users: number;
  groups: number;
  membersPerGroup: number;
  /** Incremental cycles per round. */
  incrementalCycles: number;
  /** Pause between two cycles, in milliseconds (an IdP's cycles are minutes apart; a soak's are not). */
  pauseMs: number;
}

export const ROUND_SIZES: RoundSizes = {
  users: 30,
  groups: 4,
  membersPerGroup: 8,
  incrementalCycles: 6,
  addsPerCycle: 2,
  editsPerCycle: 3,
  pauseMs: 250,
};

/** Per organization, over the whole soak. */
export interface ProvisioningTotals {
  slug: string;
  label: string;
  auth: 'token' | 'oauth';
  rounds: number;
  cycles: number;
  requests: number;
  failures: number;
}

type Provisioner = ReturnType<typeof createProvisioner>;
type Cycle = Awaited<ReturnType<Provisioner['cycle']>>;

export class ProvisioningWorker {
  readonly totals: ProvisioningTotals;
  /** The current round's source, whose userNames the background lookups ask for. */
  private current: IdpSource | undefined;
  /**
   * One job's credentials for every round, as an IdP keeps its access token from cycle to cycle
   * until it expires: a token request per round (the soak runs rounds seconds apart) would be a
   * client no IdP is, and the token endpoint's rate limit refuses it.
   */
  private credentials: ReturnType<typeof credentialsFor> | undefined;

  constructor(
    private readonly org: SoakOrganization,
    private readonly sizes: RoundSizes,
    private readonly random: Random,
    private readonly traffic: Traffic,
  ) {
    this.totals = {
      slug: org.slug,
      label: org.label,
      auth: org.auth,
      rounds: 0,
      cycles: 0,
      requests: 0,
      failures: 0,
    };
  }

  /**
   * A userName of the current round's source (provisioned or about to be), if any; `random` is
   * the caller's, so the rounds' changes depend on the seed only, not on when reads happen.
   */
  someUserName(random: Random): string | undefined {
    const users = this.current ? [...this.current.users.values()].filter((u) => !u.deleted) : [];
    return users[Math.floor(random() * users.length)]?.userName;
  }

  /** Rounds until `done()`, checked between cycles: a cycle once started is finished. */
  async run(done: () => boolean): Promise<void> {
    while (!done()) {
      try {
        await this.round(done);
      } catch (error) {
        // Not an IdP-visible failure (those are logged by the simulator): a bug in the soak or a dead server.
        this.failure(`round crashed: ${error instanceof Error ? error.message : String(error)}`);
        await sleep(1000);
      }
    }
  }

  private async round(done: () => boolean): Promise<void> {
    this.totals.rounds += 1;
    const source = new IdpSource(`${this.org.slug}-r${this.totals.rounds}`);
    this.current = source;
    const options = { profile: this.org.profile, target: this.org.target, fetch: this.traffic.fetch };
    this.credentials ??= credentialsFor(options);
    const sim = createProvisioner({ ...options, credentials: this.credentials }, source);
    if (this.org.removeAction) sim.useRemoveAction?.(this.org.removeAction);
    try {
      for (const entry of await sim.testConnection()) {
        if (entry.status === 'Failure') this.failure(`Test Connection: ${entry.reason ?? entry.errorCode}`);
      }
      source.seed(this.sizes);
      await this.cycle(sim, 'initial');
      for (let i = 0; i < this.sizes.incrementalCycles; i += 1) {
        if (done()) return;
        churn(source, this.random, this.sizes);
        await this.cycle(sim, 'incremental');
      }
      if (done()) return;
      const repeat = await this.cycle(sim, 'full', { full: true });
      if (repeat.writes > 0) {
        const writes = sim.log
          .filter((e) => e.cycle === repeat.cycle && e.action !== 'Lookup' && e.action !== 'Match')
          .map((e) => `${e.action} ${e.objectType} "${e.source}"`);
        this.failure(
          `a full cycle with nothing changed sent ${repeat.writes} writes (the target drifted): ${writes.join('; ')}`,
        );
      }
      if (done()) return;
      sim.useRemoveAction?.('Delete');
      deleteEverything(source);
      await this.cycle(sim, 'deletion');
      await this.removeLeftovers(sim);
    } finally {
      this.totals.requests += sim.client.stats.requests;
    }
  }

  private async cycle(sim: Provisioner, name: string, options?: { full?: boolean }): Promise<Cycle> {
    const result = await sim.cycle(options);
    this.totals.cycles += 1;
    this.traffic.cycle();
    for (const entry of result.failures) {
      this.failure(
        `${name} cycle: ${entry.action} ${entry.objectType} "${entry.source}": ${entry.errorCode} (${entry.reason})${entry.request ? ` [${entry.request}]` : ''}`,
      );
    }
    if (result.stoppedBecause) this.failure(`${name} cycle stopped: ${result.stoppedBecause}`);
    // After a failed cycle, wait as an IdP would rather than hammer a server in trouble.
    await sleep(result.failures.length > 0 || result.stoppedBecause ? 1000 : this.sizes.pauseMs);
    return result;
  }

  /**
   * What the IdP no longer manages but left in the target (Entra's users taken out of scope are
   * only disabled), removed as an operator would, so the next round starts from an empty organization.
   */
  private async removeLeftovers(sim: Provisioner): Promise<void> {
    const leftovers = [
      ...sim.expectedGroups().flatMap((g) => (g.present ? [`/Groups/${g.id}`] : [])),
      ...sim.expectedUsers().flatMap((u) => (u.present ? [`/Users/${u.id}`] : [])),
    ];
    for (const path of leftovers) {
      const res = await sim.client.request('DELETE', path);
      if (res.status !== 204 && res.status !== 404) this.failure(`clean-up: DELETE ${path} → ${res.status}`);
    }
  }

  private failure(detail: string): void {
    this.totals.failures += 1;
    this.traffic.simulatorFailure(`${this.org.slug}, round ${this.totals.rounds}: ${detail}`);
  }
}
