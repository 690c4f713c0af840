/**
 * Citus for real (issue 20): a coordinator and two workers (testkit's startCitus()), Roster's
 * schema distributed by organization (migrated: packages/db/src/citus.ts), one Roster process on
 * it, and beside it the bench's own Roster on one plain PostgreSQL node. Lookups, creates and
 * PATCHes at the same size, in the same run, each side reported with the cluster's rate as a
 * share of the plain node's.
 *
 * How many shards each request touched comes from the coordinator's own counters,
 * `pg_catalog.citus_stat_counters` (Citus ≥ 13.1, with `citus.enable_stat_counters` on): every distributed
 * query the coordinator executes counts once as single-shard or multi-shard. Read before and after
 * each load, the multi-shard count must stay 0, which is when every query of every request went to
 * one shard. The counters are per database; the cluster's database serves only this Roster process,
 * which delivers no webhooks (below), so what they count is the requests and the process's other
 * background statements.
 * Where Citus is not installed, one NOT RUN row says why.
 */
import { connectDatabase, migrateToLatest } from '@roster/db';
import { citusAvailability, startCitus } from '@roster/testkit/citus';
import { sql } from 'kysely';
import {
  type BenchOrganization,
  createBenchOrganization,
  loadUsers,
  userIds,
  userName,
} from '../environment/fixtures.js';
import { round, runLoad, type Throughput } from '../load/http-load.js';
import { createLoad, lookupLoad } from './throughput.js';
import { type BenchContext, type Figure, scimHeaders, targeted, type Workload } from './workload.js';

const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
/** PATCHes go to this many of the organization's first users (their ids read once). */
const PATCHED_USERS = 1_000;

export interface ShardCounters {
  singleShard: number;
  multiShard: number;
}

/**
 * What a load did to the shards: queries per request that went to one shard, and queries that went
 * to more than one (must be 0). `shardsPerRequest` is 1 when no query fanned out, else null (the
 * counters say that some query touched several shards, not how many).
 */
export function shardUse(before: ShardCounters, after: ShardCounters, requests: number) {
  const single = after.singleShard - before.singleShard;
  const multi = after.multiShard - before.multiShard;
  return {
    singleShardQueriesPerRequest: requests > 0 ? round(single / requests) : 0,
    multiShardQueries: multi,
    shardsPerRequest: multi === 0 && single > 0 ? 1 : null,
  };
}

function patchLoad(ctx: BenchContext, origin: string, org: BenchOrganization, ids: string[]) {
  let next = 0;
  const headers = scimHeaders(org.token, true);
  return runLoad({
    origin,
    connections: ctx.sizes.concurrency,
    seconds: ctx.sizes.seconds,
    request: () => {
      next += 1;
      const id = ids[next % ids.length] as string;
      return {
        method: 'PATCH',
        path: `/scim/v2/${org.slug}/Users/${id}`,
        headers,
        body: JSON.stringify({
          schemas: [PATCH_SCHEMA],
          Operations: [{ op: 'replace', path: 'displayName', value: `Patched ${next}` }],
        }),
      };
    },
  });
}

export const citus: Workload = {
  id: 'citus',
  cluster: true,
  title: 'Citus: lookup, create and PATCH on a coordinator and two workers, beside one plain node',
  async run(ctx) {
    const availability = await citusAvailability();
    if (!availability.available) {
      ctx.log(`  NOT RUN: ${availability.reason}`);
      return {
        id: this.id,
        title: `${this.title}: NOT RUN, Citus is not installed (${availability.reason})`,
        failures: 0,
        figures: [],
        skipped: availability.reason,
      };
    }
    const cluster = await startCitus({
      log: ctx.log,
      settings: {
        'citus.enable_stat_counters': 'on',
        // The bench's own server runs with the same trade (docs/performance.md).
        fsync: 'off',
        synchronous_commit: 'off',
      },
    });
    try {
      // Measured, not refused: a fan-out shows in the counters instead of failing the request.
      const url = await cluster.createDatabase({ failOnFanOut: false });
      const handle = connectDatabase({ url, maxConnections: 2 });
      try {
        await migrateToLatest(handle.db);
        const { db } = handle;
        ctx.log(`  loading ${ctx.sizes.users.toLocaleString('en')} users into the cluster`);
        const large = await createBenchOrganization(db, 'bench-large');
        await loadUsers(db, [large.id], ctx.sizes.users);
        await sql`vacuum (analyze) members, member_emails`.execute(db);
        const createOrg = await createBenchOrganization(db, 'bench-citus-create');
        const plainCreateOrg = await createBenchOrganization(ctx.db, 'bench-citus-plain-create');
        const patched = Math.min(PATCHED_USERS, ctx.sizes.users);
        const clusterIds = await userIds(db, large.id, 1, patched);
        const plainIds = await userIds(ctx.db, ctx.large.id, 1, patched);
        // Webhook delivery off on this process: the dispatcher's poll spans organizations by design
        // (packages/webhooks/src/dispatcher.ts) and runs after every write's commit notification, so
        // the counters would count it against the requests. A deployment on Citus can run delivery
        // on processes of its own (docs/performance.md).
        const roster = await ctx.startRoster('roster-citus', { ROSTER_WEBHOOK_DELIVERY: 'false' }, url);
        try {
          const counters = async (): Promise<ShardCounters> => {
            const { rows } = await sql<{ single: string; multi: string }>`
              select query_execution_single_shard as single, query_execution_multi_shard as multi
              from pg_catalog.citus_stat_counters where name = current_database()`.execute(db);
            return { singleShard: Number(rows[0]?.single ?? 0), multiShard: Number(rows[0]?.multi ?? 0) };
          };
          const clusterCtx: BenchContext = { ...ctx, db, large, roster };
          await expectFound(roster.origin, large);
          const loads: [string, (c: BenchContext, o: string, plain: boolean) => Promise<Throughput>][] = [
            ['lookup', (c, origin) => lookupLoad(c, origin)],
            [
              'create',
              (c, origin, plain) =>
                createLoad(c, origin, plain ? plainCreateOrg : createOrg, plain ? 'cp' : 'cc'),
            ],
            ['PATCH', (c, origin, plain) => patchLoad(c, origin, c.large, plain ? plainIds : clusterIds)],
          ];
          const figures: Figure[] = [];
          let failures = 0;
          for (const [name, load] of loads) {
            const plain = await load(ctx, ctx.roster.origin, true);
            const before = await counters();
            const onCluster = await load(clusterCtx, roster.origin, false);
            const use = shardUse(before, await counters(), onCluster.requests);
            failures += plain.failures + onCluster.failures;
            ctx.log(
              `  ${name}: one node ${plain.rps} req/s, cluster ${onCluster.rps} req/s, ` +
                `${use.singleShardQueriesPerRequest} single-shard queries/request, ${use.multiShardQueries} multi-shard`,
            );
            figures.push(
              { name: `${name}: one node`, value: plain.rps, unit: 'req/s' },
              { name: `${name}: one node p99`, value: plain.p99Ms, unit: 'ms' },
              { name: `${name}: Citus`, value: onCluster.rps, unit: 'req/s' },
              { name: `${name}: Citus p99`, value: onCluster.p99Ms, unit: 'ms' },
              { name: `${name}: Citus of one node`, value: round(onCluster.rps / plain.rps), unit: '×' },
              {
                name: `${name}: single-shard queries per request`,
                value: use.singleShardQueriesPerRequest,
                unit: '',
              },
              targeted(
                { name: `${name}: multi-shard queries`, value: use.multiShardQueries, unit: '' },
                '0 (1 shard per request)',
                use.shardsPerRequest === 1,
              ),
            );
          }
          return {
            id: this.id,
            title: `${this.title} (${ctx.sizes.users.toLocaleString('en')} users each)`,
            failures,
            figures,
          };
        } finally {
          await roster.stop();
        }
      } finally {
        await handle.close();
      }
    } finally {
      await cluster.stop();
    }
  },
};

async function expectFound(origin: string, org: BenchOrganization): Promise<void> {
  const filter = encodeURIComponent(`userName eq "${userName(1)}"`);
  const response = await fetch(`${origin}/scim/v2/${org.slug}/Users?filter=${filter}`, {
    headers: scimHeaders(org.token),
  });
  const body = (await response.json()) as { totalResults?: number };
  if (response.status !== 200 || body.totalResults !== 1) {
    throw new Error(
      `Citus: lookup of ${userName(1)} → ${response.status} ${JSON.stringify(body).slice(0, 300)}`,
    );
  }
}
