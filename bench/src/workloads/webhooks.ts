/**
 * Webhooks (issue 19): the Entra initial cycle against a Roster process with a webhook endpoint
 * configured, beside the same cycle with none, while a local receiver verifies each delivery
 * with `standardwebhooks` and times each SCIM create's 2xx to its webhook's arrival. The issue's
 * goals: p99 under 1 s, and at most 10% fewer SCIM requests a second with a webhook configured.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IdpSource } from '@roster/conformance/idp-source';
import { createProvisioner } from '@roster/conformance/run';
import { createFirstManager } from '@roster/directory/api-keys';
import type { RosterProcess } from '@roster/testkit/roster-process';
import { Webhook } from 'standardwebhooks';
import { type BenchOrganization, createBenchOrganization } from '../environment/fixtures.js';
import { round } from '../load/http-load.js';
import { type BenchContext, targeted, type Workload } from './workload.js';

interface Receiver {
  server: Server;
  url: string;
  secret?: Webhook;
  /** Arrival time of the first verified delivery of each created resource, by the resource's id. */
  arrivals: Map<string, number>;
  received: number;
  rejected: number;
}

async function startReceiver(): Promise<Receiver> {
  const receiver: Partial<Receiver> & Pick<Receiver, 'arrivals'> = {
    arrivals: new Map(),
    received: 0,
    rejected: 0,
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = performance.now();
      try {
        const event = receiver.secret?.verify(
          Buffer.concat(chunks).toString('utf8'),
          req.headers as Record<string, string>,
        ) as {
          type: string;
          data: { id?: string };
        };
        receiver.received = (receiver.received ?? 0) + 1;
        const id = event.data.id;
        if (/\.created$/.test(event.type) && id && !receiver.arrivals.has(id)) receiver.arrivals.set(id, at);
        res.writeHead(204).end();
      } catch {
        receiver.rejected = (receiver.rejected ?? 0) + 1;
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(receiver, {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
  }) as Receiver;
}

/** One Entra initial cycle; the 2xx time of each create, by the created resource's id. */
async function cycle(ctx: BenchContext, roster: RosterProcess, org: BenchOrganization) {
  const { users, groups, membersPerGroup } = ctx.sizes.cycle;
  const source = new IdpSource(org.slug);
  source.seed({ users, groups, membersPerGroup });
  const created = new Map<string, number>();
  const timed: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if ((init?.method ?? 'GET') === 'POST' && response.status === 201) {
      const at = performance.now();
      const body = (await response.clone().json()) as { id?: string };
      if (body.id) created.set(body.id, at);
    }
    return response;
  };
  const simulator = createProvisioner(
    {
      profile: { idp: 'entra', mode: 'aadOptscim062020' },
      target: { baseUrl: `${roster.origin}/scim/v2/${org.slug}`, token: org.token },
      fetch: timed,
    },
    source,
  );
  const started = performance.now();
  const result = await simulator.cycle();
  const seconds = (performance.now() - started) / 1000;
  return {
    created,
    rps: round(result.requests / seconds),
    failures: result.failures.length + (result.stoppedBecause ? 1 : 0),
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0);

export const webhooks: Workload = {
  id: 'webhooks',
  title: 'Webhooks: Entra initial cycle with a webhook configured beside none',
  async run(ctx) {
    // The receiver is on the loopback interface, which only development lets Roster reach; the
    // suite's process (production rules) is stopped meanwhile, so that it claims no delivery it
    // would refuse to send, and started again after.
    await ctx.roster.stop();
    const receiver = await startReceiver();
    let roster: RosterProcess | undefined;
    try {
      roster = await ctx.startRoster('roster-webhooks', { ROSTER_ENV: 'development' });
      const none = await cycle(ctx, roster, await createBenchOrganization(ctx.db, 'bench-webhooks-none'));
      const org = await createBenchOrganization(ctx.db, 'bench-webhooks-on');
      const { token } = await createFirstManager(ctx.db, org.id, 'admin@bench-webhooks.example');
      const endpoint = await fetch(`${roster.origin}/api/v1/orgs/${org.slug}/webhooks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: receiver.url }),
      });
      if (endpoint.status !== 201)
        throw new Error(`creating the webhook endpoint answered ${endpoint.status}`);
      receiver.secret = new Webhook(((await endpoint.json()) as { secret: string }).secret);
      const withHook = await cycle(ctx, roster, org);
      // Every create's webhook, or 30 s.
      const until = performance.now() + 30_000;
      while (
        [...withHook.created.keys()].some((id) => !receiver.arrivals.has(id)) &&
        performance.now() < until
      ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const latencies = [...withHook.created]
        .filter(([id]) => receiver.arrivals.has(id))
        .map(([id, ok]) => (receiver.arrivals.get(id) ?? 0) - ok)
        .sort((a, b) => a - b);
      const missing = withHook.created.size - latencies.length;
      const arrivals = [...receiver.arrivals.values()];
      const span = (Math.max(...arrivals) - Math.min(...arrivals)) / 1000;
      const p99 = round(percentile(latencies, 99));
      const cost = round(((none.rps - withHook.rps) / none.rps) * 100);
      return {
        id: this.id,
        title: this.title,
        failures: none.failures + withHook.failures + missing + receiver.rejected,
        figures: [
          { name: 'webhook latency from the 2xx, p50', value: round(percentile(latencies, 50)), unit: 'ms' },
          targeted(
            { name: 'webhook latency from the 2xx, p99', value: p99, unit: 'ms' },
            '< 1000 ms',
            p99 < 1000,
          ),
          { name: 'deliveries/s', value: span > 0 ? round(receiver.received / span) : 0, unit: '/s' },
          { name: 'SCIM requests/s, no webhook', value: none.rps, unit: 'req/s' },
          { name: 'SCIM requests/s, webhook configured', value: withHook.rps, unit: 'req/s' },
          targeted(
            { name: 'SCIM throughput cost of the webhook', value: cost, unit: '%' },
            '≤ 10%',
            cost <= 10,
          ),
        ],
      };
    } finally {
      receiver.server.close();
      await roster?.stop();
      await ctx.roster.restart();
    }
  },
};
