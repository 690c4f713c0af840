/**
 * Load through autocannon (keep-alive connections, HDR histograms): a fixed duration at a fixed
 * concurrency, each request built by the workload (a fresh userName, a random organization, …).
 */
import autocannon from 'autocannon';

export interface RequestSpec {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface Throughput {
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Connection errors, timeouts and responses outside 2xx: none is expected. */
  failures: number;
  /** Response counts by status, to say what the failures were. */
  statuses: Record<string, number>;
}

export async function runLoad(options: {
  origin: string;
  connections: number;
  seconds: number;
  request: () => RequestSpec;
}): Promise<Throughput> {
  const result = await autocannon({
    url: options.origin,
    connections: options.connections,
    duration: options.seconds,
    requests: [
      {
        setupRequest: (request) => {
          const spec = options.request();
          return {
            ...request,
            method: spec.method ?? 'GET',
            path: spec.path,
            headers: spec.headers,
            ...(spec.body === undefined ? {} : { body: spec.body }),
          };
        },
      },
    ],
  });
  const statuses: Record<string, number> = {};
  for (const [status, stat] of Object.entries(result.statusCodeStats ?? {})) {
    statuses[status] = stat.count ?? 0;
  }
  return {
    requests: result.requests.total,
    rps: round(result.requests.total / result.duration),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: result.errors + result.timeouts + result.non2xx,
    statuses,
  };
}

export interface Latency {
  samples: number;
  p50Ms: number;
  p99Ms: number;
}

/** Times `samples` calls of `send`, one after another (a latency, not a throughput). */
export async function measureLatency(samples: number, send: (i: number) => Promise<void>): Promise<Latency> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    await send(i);
    times.push(performance.now() - started);
  }
  return { samples, p50Ms: round(percentile(times, 0.5)), p99Ms: round(percentile(times, 0.99)) };
}

/** The `q` quantile of `values` (the nearest rank at or below it); 0 when there are none. */
export function percentile(values: number[], q: number): number {
  const sorted = values.toSorted((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
