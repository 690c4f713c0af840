/**
 * Better Auth's SCIM plugin as a peer (bench/src/peers/better-auth.ts), in the same run: creates,
 * then userName lookups among the users those creates made, against Better Auth and against
 * Roster (a fresh organization), at the same concurrency and for the same time, each reported with
 * Better Auth's rate as a share of Roster's. Better Auth has no bulk loader of ours, so both sides
 * look up among what their own creates wrote, not among the large organization's users.
 * When npm cannot install the peer (offline), the workload says so and reports no figure.
 */
import { createBenchOrganization } from '../environment/fixtures.js';
import { round, runLoad, type Throughput } from '../load/http-load.js';
import { installPeer, startPeer } from '../peers/better-auth.js';
import { type BenchContext, scimHeaders, type Workload } from './workload.js';

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const name = (n: number) => `peer${n}@bench.example`;

function creates(ctx: BenchContext, origin: string, base: string, token: string): Promise<Throughput> {
  let next = 0;
  const headers = scimHeaders(token, true);
  return runLoad({
    origin,
    connections: ctx.sizes.concurrency,
    seconds: ctx.sizes.seconds,
    request: () => {
      next += 1;
      return {
        method: 'POST',
        path: `${base}/Users`,
        headers,
        body: JSON.stringify({
          schemas: [USER_SCHEMA],
          userName: name(next),
          externalId: `peer-${next}`,
          name: { givenName: 'New', familyName: `User ${next}` },
          emails: [{ value: name(next), type: 'work', primary: true }],
          active: true,
        }),
      };
    },
  });
}

function lookups(ctx: BenchContext, origin: string, base: string, token: string, users: number) {
  const headers = scimHeaders(token);
  return runLoad({
    origin,
    connections: ctx.sizes.concurrency,
    seconds: ctx.sizes.seconds,
    request: () => ({
      path: `${base}/Users?filter=${encodeURIComponent(`userName eq "${name(1 + Math.floor(Math.random() * users))}"`)}`,
      headers,
    }),
  });
}

async function expectFound(base: string, origin: string, token: string): Promise<void> {
  const filter = encodeURIComponent(`userName eq "${name(1)}"`);
  const response = await fetch(`${origin}${base}/Users?filter=${filter}`, { headers: scimHeaders(token) });
  const body = (await response.json()) as { totalResults?: number };
  if (response.status !== 200 || body.totalResults !== 1) {
    throw new Error(
      `${origin}${base}: lookup of ${name(1)} → ${response.status} ${JSON.stringify(body).slice(0, 300)}`,
    );
  }
}

export const betterAuthPeer: Workload = {
  id: 'better-auth',
  peer: true,
  title: "Peer: Better Auth's SCIM plugin (1.7.5) beside Roster, creates and lookups",
  async run(ctx) {
    const installed = await installPeer(ctx.log);
    if ('skipped' in installed) {
      ctx.log(`  NOT RUN: ${installed.skipped}`);
      return {
        id: this.id,
        title: `${this.title}: NOT RUN, ${installed.skipped}`,
        failures: 0,
        figures: [],
        skipped: installed.skipped,
      };
    }
    const peer = await startPeer(installed.dir, ctx.databaseUrl);
    try {
      const org = await createBenchOrganization(ctx.db, 'bench-peer');
      const rosterBase = `/scim/v2/${org.slug}`;
      const rosterCreate = await creates(ctx, ctx.roster.origin, rosterBase, org.token);
      const peerCreate = await creates(ctx, peer.origin, peer.basePath, peer.token);
      // Lookups among the users each side created, as many as the fewer of the two.
      const users = Math.max(1, Math.min(rosterCreate.requests, peerCreate.requests) - ctx.sizes.concurrency);
      // A fast wrong answer is not a result: each side must find a user its creates made.
      await expectFound(rosterBase, ctx.roster.origin, org.token);
      await expectFound(peer.basePath, peer.origin, peer.token);
      const rosterLookup = await lookups(ctx, ctx.roster.origin, rosterBase, org.token, users);
      const peerLookup = await lookups(ctx, peer.origin, peer.basePath, peer.token, users);
      return {
        id: this.id,
        title: `${this.title} (lookups among ${users.toLocaleString('en')} users each)`,
        failures: rosterCreate.failures + peerCreate.failures + rosterLookup.failures + peerLookup.failures,
        figures: [
          { name: 'create requests/s, Roster', value: rosterCreate.rps, unit: 'req/s' },
          { name: 'create requests/s, Better Auth', value: peerCreate.rps, unit: 'req/s' },
          {
            name: 'create, Better Auth of Roster',
            value: round(peerCreate.rps / rosterCreate.rps),
            unit: '×',
          },
          { name: 'lookup requests/s, Roster', value: rosterLookup.rps, unit: 'req/s' },
          { name: 'lookup requests/s, Better Auth', value: peerLookup.rps, unit: 'req/s' },
          {
            name: 'lookup, Better Auth of Roster',
            value: round(peerLookup.rps / rosterLookup.rps),
            unit: '×',
          },
          { name: 'lookup p99, Better Auth', value: peerLookup.p99Ms, unit: 'ms' },
        ],
      };
    } finally {
      await peer.stop();
    }
  },
};
