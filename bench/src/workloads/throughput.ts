/**
 * The throughput workloads: creates, lookups in one large organization, lookups across many
 * organizations, and lookups spread over two Roster processes on one database.
 */
import {
  type BenchOrganization,
  createBenchOrganization,
  loadUsers,
  userName,
  vacuumAnalyze,
} from '../environment/fixtures.js';
import { round, runLoad, type Throughput } from '../load/http-load.js';
import { type BenchContext, type Figure, scimHeaders, targeted, type Workload } from './workload.js';

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

const random = (n: number) => 1 + Math.floor(Math.random() * n);

const lookupPath = (slug: string, n: number) =>
  `/scim/v2/${slug}/Users?filter=${encodeURIComponent(`userName eq "${userName(n)}"`)}`;

function throughputFigures(result: Throughput): Figure[] {
  return [
    { name: 'requests/s', value: result.rps, unit: 'req/s' },
    { name: 'p50', value: result.p50Ms, unit: 'ms' },
    { name: 'p99', value: result.p99Ms, unit: 'ms' },
  ];
}

/** userName lookups of random users of the large organization, against one Roster process. */
export function lookupLoad(ctx: BenchContext, origin: string): Promise<Throughput> {
  const { slug, token } = ctx.large;
  const headers = scimHeaders(token);
  return runLoad({
    origin,
    connections: ctx.sizes.concurrency,
    seconds: ctx.sizes.seconds,
    request: () => ({ path: lookupPath(slug, random(ctx.sizes.users)), headers }),
  });
}

/** POST /Users of new users `<prefix><n>@bench.example` into `org`, against one Roster process. */
export function createLoad(
  ctx: BenchContext,
  origin: string,
  org: BenchOrganization,
  prefix: string,
): Promise<Throughput> {
  let next = 0;
  return runLoad({
    origin,
    connections: ctx.sizes.concurrency,
    seconds: ctx.sizes.seconds,
    request: () => {
      next += 1;
      const name = `${prefix}${next}@bench.example`;
      return {
        method: 'POST',
        path: `/scim/v2/${org.slug}/Users`,
        headers: scimHeaders(org.token, true),
        body: JSON.stringify({
          schemas: [USER_SCHEMA],
          userName: name,
          externalId: `${prefix}-${next}`,
          name: { givenName: 'New', familyName: `User ${next}` },
          emails: [{ value: name, type: 'work', primary: true }],
          active: true,
        }),
      };
    },
  });
}

export const create: Workload = {
  id: 'create',
  title: 'Create: POST /Users',
  async run(ctx) {
    const org = await createBenchOrganization(ctx.db, 'bench-create');
    const result = await createLoad(ctx, ctx.roster.origin, org, 'new');
    const ratio = round(result.rps / ctx.ceiling.insert.tps);
    return {
      id: this.id,
      title: this.title,
      failures: result.failures,
      figures: [
        ...throughputFigures(result),
        targeted({ name: 'of pgbench insert', value: ratio, unit: '×' }, '≥ 0.4×', ratio >= 0.4),
      ],
    };
  },
};

export const lookup: Workload = {
  id: 'lookup',
  title: 'Lookup: GET /Users?filter=userName eq "…"',
  async run(ctx) {
    const result = await lookupLoad(ctx, ctx.roster.origin);
    // The HTTP stack alone on this machine (no database, no auth): how much of the gap is Node's.
    const floor = await runLoad({
      origin: ctx.roster.origin,
      connections: ctx.sizes.concurrency,
      seconds: ctx.sizes.seconds,
      request: () => ({ path: '/healthz', headers: {} }),
    });
    const ratio = round(result.rps / ctx.ceiling.select.tps);
    const [rps, p50, p99] = throughputFigures(result) as [Figure, Figure, Figure];
    return {
      id: this.id,
      title: `${this.title} (${ctx.sizes.users.toLocaleString('en')} users)`,
      failures: result.failures + floor.failures,
      figures: [
        rps,
        p50,
        targeted(p99, '< 20 ms', result.p99Ms < 20),
        targeted({ name: 'of pgbench select', value: ratio, unit: '×' }, '≥ 0.3×', ratio >= 0.3),
        { name: 'HTTP floor: GET /healthz', value: floor.rps, unit: 'req/s' },
        { name: 'HTTP floor of pgbench select', value: round(floor.rps / ctx.ceiling.select.tps), unit: '×' },
      ],
    };
  },
};

/** Lookups over many more connections than the server has database connections, as a fleet of IdPs could open. */
export const manyConnections: Workload = {
  id: 'connections',
  title: 'Many connections: the lookup load over 400 concurrent connections',
  async run(ctx) {
    const connections = ctx.sizes.connections;
    const { slug, token } = ctx.large;
    const headers = scimHeaders(token);
    const result = await runLoad({
      origin: ctx.roster.origin,
      connections,
      seconds: ctx.sizes.seconds,
      request: () => ({ path: lookupPath(slug, random(ctx.sizes.users)), headers }),
    });
    return {
      id: this.id,
      title: `Many connections: the lookup load over ${connections.toLocaleString('en')} concurrent connections`,
      failures: result.failures,
      figures: throughputFigures(result),
    };
  },
};

export const manyTenants: Workload = {
  id: 'tenants',
  title: 'Many tenants: lookups across random organizations',
  async run(ctx) {
    const { organizations, usersEach } = ctx.sizes.tenants;
    const orgs: BenchOrganization[] = [];
    for (let i = 1; i <= organizations; i++) orgs.push(await createBenchOrganization(ctx.db, `tenant-${i}`));
    await loadUsers(
      ctx.db,
      orgs.map((o) => o.id),
      usersEach,
    );
    await vacuumAnalyze(ctx.db);
    const result = await runLoad({
      origin: ctx.roster.origin,
      connections: ctx.sizes.concurrency,
      seconds: ctx.sizes.seconds,
      request: () => {
        const org = orgs[random(orgs.length) - 1] as BenchOrganization;
        return { path: lookupPath(org.slug, random(usersEach)), headers: scimHeaders(org.token) };
      },
    });
    return {
      id: this.id,
      title: `${this.title} (${organizations.toLocaleString('en')} × ${usersEach.toLocaleString('en')} users)`,
      failures: result.failures,
      figures: throughputFigures(result),
    };
  },
};

export const twoProcesses: Workload = {
  id: 'two-processes',
  title: 'Scale out: the lookup load over two Roster processes on one database',
  async run(ctx) {
    const second = await ctx.startRoster('roster-2');
    try {
      const { slug, token } = ctx.large;
      const headers = scimHeaders(token);
      const half = Math.max(1, Math.floor(ctx.sizes.concurrency / 2));
      const results = await Promise.all(
        [ctx.roster, second].map((roster) =>
          runLoad({
            origin: roster.origin,
            connections: half,
            seconds: ctx.sizes.seconds,
            request: () => ({ path: lookupPath(slug, random(ctx.sizes.users)), headers }),
          }),
        ),
      );
      const rps = round(results.reduce((sum, r) => sum + r.rps, 0));
      return {
        id: this.id,
        title: this.title,
        failures: results.reduce((sum, r) => sum + r.failures, 0),
        figures: [
          { name: 'requests/s', value: rps, unit: 'req/s' },
          { name: 'p99 (worse process)', value: Math.max(...results.map((r) => r.p99Ms)), unit: 'ms' },
          { name: 'of pgbench select', value: round(rps / ctx.ceiling.select.tps), unit: '×' },
        ],
      };
    } finally {
      await second.stop();
    }
  },
};
