/**
 * What the soak counts, minute by minute: every exchange with Roster (by status class, 429s,
 * connection errors, latency) and every failure a simulated IdP logged. The simulators (their
 * token requests included) and the background reads all send through {@link Traffic.fetch}, so
 * it sees every request without changing what any of them sends.
 */
import { percentile, round } from '../load/http-load.js';

export interface IntervalCounts {
  requests: number;
  /** Responses by status class: `2xx`, `3xx`, `4xx`, `5xx`. */
  statuses: Record<StatusClass, number>;
  /** 429 Too Many Requests (also counted in 4xx). */
  throttled: number;
  /** Requests that got no response: refused or reset connections, timeouts. */
  connectionErrors: number;
  /** Objects an IdP logged as failed, cycles it stopped, and full cycles that still had writes to send. */
  simulatorFailures: number;
  /** Provisioning cycles that finished. */
  cycles: number;
  /** Time to response headers, 99th percentile. */
  p99Ms: number;
}

export type StatusClass = '2xx' | '3xx' | '4xx' | '5xx';

const MAX_SAMPLES = 50;

const emptyStatuses = (): Record<StatusClass, number> => ({ '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 });

/** Counts of nothing yet: a new interval's, or the start of a sum. */
export const zeroCounts = (): Omit<IntervalCounts, 'p99Ms'> => ({
  requests: 0,
  statuses: emptyStatuses(),
  throttled: 0,
  connectionErrors: 0,
  simulatorFailures: 0,
  cycles: 0,
});

export class Traffic {
  private interval = zeroCounts();
  private latencies: number[] = [];
  /** Responses by exact status over the whole run (which 4xx they were, for instance). */
  readonly statusCodes: Record<string, number> = {};
  /** What went wrong, first come: 5xx answers, connection errors, IdP failures. */
  readonly problems: string[] = [];

  /** The global `fetch`, with each exchange counted. Responses are passed on untouched; errors are rethrown. */
  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const request = `${method} ${url.pathname}${url.search}`;
    const started = performance.now();
    try {
      const response = await globalThis.fetch(input, init);
      this.response(request, response.status, performance.now() - started);
      return response;
    } catch (error) {
      this.connectionError(request, error);
      throw error;
    }
  };

  private response(request: string, status: number, ms: number): void {
    this.interval.requests += 1;
    this.latencies.push(ms);
    const statusClass = `${Math.min(5, Math.max(2, Math.floor(status / 100)))}xx` as StatusClass;
    this.interval.statuses[statusClass] += 1;
    this.statusCodes[status] = (this.statusCodes[status] ?? 0) + 1;
    if (status === 429) this.interval.throttled += 1;
    if (status >= 500) this.problem(`${request} → ${status}`);
  }

  private connectionError(request: string, error: unknown): void {
    this.interval.requests += 1;
    this.interval.connectionErrors += 1;
    const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
    const message = error instanceof Error ? error.message : String(error);
    this.problem(`${request}: ${cause?.code ?? cause?.message ?? message}`);
  }

  simulatorFailure(detail: string): void {
    this.interval.simulatorFailures += 1;
    this.problem(detail);
  }

  cycle(): void {
    this.interval.cycles += 1;
  }

  private problem(detail: string): void {
    if (this.problems.length < MAX_SAMPLES) this.problems.push(detail);
  }

  /** The counts since the last call, which starts a new interval. */
  take(): IntervalCounts {
    const counts = { ...this.interval, p99Ms: round(percentile(this.latencies, 0.99), 1) };
    this.interval = zeroCounts();
    this.latencies = [];
    return counts;
  }
}
