/**
 * The citus workload's arithmetic and its place in a run; the workload itself needs a Citus cluster
 * and runs in `npm run bench` or with `--only citus` (docs/performance.md).
 */
import { describe, expect, it } from 'vitest';
import { SIZES } from '../src/sizes.js';
import { selectWorkloads } from '../src/suite.js';
import { shardUse } from '../src/workloads/citus.js';

describe('citus workload', () => {
  it('reports 1 shard per request only when no query of the load went to several shards', () => {
    const before = { singleShard: 100, multiShard: 7 };
    expect(shardUse(before, { singleShard: 400, multiShard: 7 }, 100)).toEqual({
      singleShardQueriesPerRequest: 3,
      multiShardQueries: 0,
      shardsPerRequest: 1,
    });
    expect(shardUse(before, { singleShard: 400, multiShard: 9 }, 100)).toMatchObject({
      multiShardQueries: 2,
      shardsPerRequest: null,
    });
    // No distributed query at all is not "one shard": the counters were not counting.
    expect(shardUse(before, before, 100).shardsPerRequest).toBeNull();
  });

  it('stays out of the smoke run, and runs in the full one or when named', () => {
    expect(selectWorkloads(SIZES.smoke).map((w) => w.id)).not.toContain('citus');
    expect(selectWorkloads(SIZES.full).map((w) => w.id)).toContain('citus');
    expect(selectWorkloads(SIZES.smoke, ['citus']).map((w) => w.id)).toEqual(['citus']);
  });
});
