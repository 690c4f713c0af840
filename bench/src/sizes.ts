/**
 * How big each workload is. `full` is the benchmark (docs/performance.md); `smoke` runs the
 * same code paths in seconds, for CI, where no number is asserted.
 */
export interface Sizes {
  /** Users in the organization that the lookup and deep-paging workloads read. */
  users: number;
  /** Length of each throughput run (create, lookup, tenants, two processes, pgbench), in seconds. */
  seconds: number;
  /** Concurrent connections of the load tool and of pgbench. */
  concurrency: number;
  /** Concurrent connections of the many-connections workload (the server's memory under many clients). */
  connections: number;
  /** The Entra initial cycle: users, groups, members per group. */
  cycle: { users: number; groups: number; membersPerGroup: number };
  /** Members of the big group (the small one has 10). */
  bigGroup: number;
  /** Organizations and users in each, for the many-tenants workload. */
  tenants: { organizations: number; usersEach: number };
  /** Sequential requests per latency measurement (big group, deep paging). */
  samples: number;
  /** Alternating rounds of the activity-cost workload (even: each process takes each place equally). */
  activityRounds: number;
  /**
   * Whether the peer workloads (another product installed with npm) and the Citus workload (its own
   * three-node cluster) run unless named with --only.
   */
  peers: boolean;
}

export const SIZES = {
  full: {
    users: 1_000_000,
    seconds: 15,
    concurrency: 16,
    connections: 400,
    cycle: { users: 10_000, groups: 100, membersPerGroup: 100 },
    bigGroup: 100_000,
    tenants: { organizations: 1_000, usersEach: 1_000 },
    samples: 200,
    activityRounds: 4,
    peers: true,
  },
  smoke: {
    users: 2_000,
    seconds: 1,
    concurrency: 4,
    connections: 50,
    cycle: { users: 30, groups: 3, membersPerGroup: 10 },
    bigGroup: 300,
    tenants: { organizations: 5, usersEach: 50 },
    samples: 5,
    activityRounds: 2,
    peers: false,
  },
} satisfies Record<string, Sizes>;

export type SizeName = keyof typeof SIZES;
