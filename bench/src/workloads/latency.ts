/**
 * The latency workloads, one request at a time: membership changes in a big and a small group,
 * and deep paging. What matters is that cost does not grow with the group or the offset.
 */
import { loadGroup, userIds } from '../environment/fixtures.js';
import { type Latency, measureLatency, round } from '../load/http-load.js';
import { type Figure, scimHeaders, targeted, type Workload } from './workload.js';

const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** Sends and insists on a 2xx: a latency of failed requests would measure nothing. */
async function send(origin: string, path: string, token: string, init: RequestInit = {}): Promise<unknown> {
  const response = await fetch(`${origin}${path}`, {
    ...init,
    headers: scimHeaders(token, init.body !== undefined),
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`${init.method ?? 'GET'} ${path} → ${response.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

const membersPatch = (op: 'Add' | 'Remove', memberId: string) =>
  JSON.stringify({
    schemas: [PATCH_SCHEMA],
    Operations: [{ op, path: 'members', value: [{ value: memberId }] }],
  });

const p50 = (name: string, latency: Latency): Figure => ({ name, value: latency.p50Ms, unit: 'ms' });

export const bigGroup: Workload = {
  id: 'big-group',
  title: 'Big group: one member added and removed',
  async run(ctx) {
    const { sizes, db, large, roster } = ctx;
    const big = await loadGroup(db, large.id, 'Bench big group', sizes.bigGroup);
    const small = await loadGroup(db, large.id, 'Bench small group', 10);
    // Users beyond the big group's members: in neither group.
    const candidates = await userIds(db, large.id, sizes.bigGroup + 1, sizes.samples);

    const base = `/scim/v2/${large.slug}/Groups`;
    const change = (group: string, op: 'Add' | 'Remove') =>
      measureLatency(sizes.samples, async (i) => {
        await send(roster.origin, `${base}/${group}`, large.token, {
          method: 'PATCH',
          body: membersPatch(op, candidates[i] as string),
        });
      });
    const read = (group: string) =>
      measureLatency(sizes.samples, async () => {
        await send(roster.origin, `${base}/${group}?excludedAttributes=members`, large.token);
      });
    // Warm both paths first, so neither group pays for the other's first request.
    await read(small);
    const timings = {
      addSmall: await change(small, 'Add'),
      removeSmall: await change(small, 'Remove'),
      addBig: await change(big, 'Add'),
      removeBig: await change(big, 'Remove'),
      readSmall: await read(small),
      readBig: await read(big),
    };
    const within = (bigMs: number, smallMs: number, factor: number) => bigMs <= smallMs * factor;
    const size = sizes.bigGroup.toLocaleString('en');
    return {
      id: this.id,
      title: `${this.title} (${size} members vs 10)`,
      failures: 0,
      figures: [
        p50('add, group of 10', timings.addSmall),
        targeted(
          p50(`add, group of ${size}`, timings.addBig),
          '≤ 1.5× the small group',
          within(timings.addBig.p50Ms, timings.addSmall.p50Ms, 1.5),
        ),
        p50('remove, group of 10', timings.removeSmall),
        targeted(
          p50(`remove, group of ${size}`, timings.removeBig),
          '≤ 1.5× the small group',
          within(timings.removeBig.p50Ms, timings.removeSmall.p50Ms, 1.5),
        ),
        p50('GET excludedAttributes=members, group of 10', timings.readSmall),
        targeted(
          p50(`GET excludedAttributes=members, group of ${size}`, timings.readBig),
          'does not grow (≤ 1.5×)',
          within(timings.readBig.p50Ms, timings.readSmall.p50Ms, 1.5),
        ),
      ],
    };
  },
};

export const deepPaging: Workload = {
  id: 'deep-paging',
  title: 'Deep paging: GET /Users?startIndex=…&count=100',
  async run(ctx) {
    const { sizes, large, roster } = ctx;
    const deepIndex = Math.floor(sizes.users * 0.9) + 1;
    const page = (startIndex: number) =>
      measureLatency(sizes.samples, async () => {
        const body = (await send(
          roster.origin,
          `/scim/v2/${large.slug}/Users?startIndex=${startIndex}&count=100`,
          large.token,
        )) as { totalResults: number; Resources: unknown[] };
        if (body.Resources.length !== 100 || body.totalResults < sizes.users) {
          throw new Error(
            `page at ${startIndex}: ${body.Resources.length} resources of ${body.totalResults}`,
          );
        }
      });
    const first = await page(1);
    const deep = await page(deepIndex);
    const ratio = round(deep.p50Ms / first.p50Ms);
    return {
      id: this.id,
      title: `${this.title} (${sizes.users.toLocaleString('en')} users)`,
      failures: 0,
      figures: [
        p50('first page', first),
        { name: 'first page p99', value: first.p99Ms, unit: 'ms' },
        p50(`startIndex=${deepIndex}`, deep),
        { name: `startIndex=${deepIndex} p99`, value: deep.p99Ms, unit: 'ms' },
        targeted({ name: 'deep / first', value: ratio, unit: '×' }, '≤ 5×', ratio <= 5),
      ],
    };
  },
};
