/**
 * Rate limits per credential and per organization, shared by every server process. The SCIM
 * service and the portal API each keep a limiter of their own, with its own organization bucket,
 * so an administrator's work never uses up the organization's provisioning budget or the reverse.
 *
 * Requests are counted in fixed windows (`windowSeconds`); a credential may make `perCredential`
 * requests a second on average over a window, its organization `perOrganization` over all its
 * credentials. A refused request is not counted, so a client that keeps calling while limited
 * gets through as soon as the window ends, and its answer (429) says when that is.
 *
 * Sharing: the counts live in the database (`rate_limit_windows`), but a write per request would
 * cost every request a round trip and make each organization's row a point of lock contention.
 * Each process instead counts locally and, at most `syncIntervalMs` after its first uncounted
 * request, adds what it counted in one statement that returns the totals over all processes. A
 * process therefore sees the others' requests up to one interval late: N processes together may
 * overshoot a limit by what the other N − 1 admit in that interval (at 100 ms and the default
 * limits, a few dozen requests in a 10-second window of 1,000). Libraries such as
 * rate-limiter-flexible keep their counters in a store with one write per request, and none runs
 * on the embedded PGlite database; see docs/architecture.md.
 */
import type { Database } from '@roster/db';
import { addWindowHits, deleteWindowsBefore, type WindowHits } from '@roster/directory/rate-limits';
import type { Kysely } from 'kysely';

export interface RateLimits {
  /** Requests a second one credential may make, averaged over a window; 0 turns the limit off. */
  perCredential: number;
  /** Requests a second all of an organization's credentials may make together; 0: off. */
  perOrganization: number;
  windowSeconds: number;
}

export interface Refusal {
  scope: 'credential' | 'organization';
  /** Requests a second, as configured. */
  limit: number;
  /** Seconds until the window ends (at least 1). */
  retryAfterSeconds: number;
}

export interface RateLimiterOptions {
  /** Longest time a counted request waits before the process adds it to the shared totals. */
  syncIntervalMs?: number;
  /** The clock (tests fix it, so that a window never ends in the middle of one). */
  now?: () => number;
  onSyncError?: (error: unknown) => void;
  /** The bucket that counts all of an organization's credentials together (default `organization`). */
  organizationBucket?: string;
}

/** One window's count for one organization or credential, as this process knows it. */
interface Counter {
  orgId: string;
  bucket: string;
  windowStart: number;
  /** The total over all processes at the last sync (this process's synced hits included). */
  shared: number;
  /** Hits sent in the sync now running, not yet in `shared`. */
  sending: number;
  /** Hits not yet sent. */
  pending: number;
}

/** How often a process deletes the past windows of the organizations it serves. */
const CLEANUP_INTERVAL_MS = 60_000;

export class RateLimiter {
  private readonly counters = new Map<string, Counter>();
  private readonly now: () => number;
  private readonly syncIntervalMs: number;
  private readonly onSyncError: (error: unknown) => void;
  private readonly organizationBucket: string;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private lastCleanup = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly limits: RateLimits,
    options: RateLimiterOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.syncIntervalMs = options.syncIntervalMs ?? 100;
    // Syncs run from a timer: an error must end here, never as an unhandled rejection.
    this.onSyncError = options.onSyncError ?? (() => {});
    this.organizationBucket = options.organizationBucket ?? 'organization';
  }

  get enabled(): boolean {
    return this.limits.perCredential > 0 || this.limits.perOrganization > 0;
  }

  /** Counts one request of `credential` (e.g. `api_key:<id>`), or refuses it (not counted). */
  take(orgId: string, credential: string): Refusal | undefined {
    const now = this.now();
    const windowStart = this.windowStart(now);
    const { perCredential, perOrganization, windowSeconds } = this.limits;
    const checks = [
      { scope: 'credential' as const, bucket: credential, limit: perCredential },
      { scope: 'organization' as const, bucket: this.organizationBucket, limit: perOrganization },
    ]
      .filter((check) => check.limit > 0)
      .map((check) => ({ ...check, counter: this.counter(orgId, check.bucket, windowStart) }));
    const full = checks.find(
      ({ limit, counter }) => counter.shared + counter.sending + counter.pending >= limit * windowSeconds,
    );
    if (full) {
      return {
        scope: full.scope,
        limit: full.limit,
        retryAfterSeconds: Math.max(1, Math.ceil((windowStart + windowSeconds * 1000 - now) / 1000)),
      };
    }
    for (const { counter } of checks) counter.pending += 1;
    this.timer ??= setTimeout(() => void this.sync(), this.syncIntervalMs).unref();
    return undefined;
  }

  /** Adds this process's pending counts to the shared totals and reads the totals back. */
  async sync(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // One sync at a time: a second caller waits for the running one, then sends what came since.
    while (this.running) await this.running;
    this.running = this.send().finally(() => {
      this.running = undefined;
    });
    await this.running;
  }

  private async send(): Promise<void> {
    const batch = this.batch();
    if (batch.length === 0) return;
    let totals: WindowHits[];
    try {
      totals = await addWindowHits(
        this.db,
        batch.map(({ counter, hits }) => ({
          orgId: counter.orgId,
          bucket: counter.bucket,
          windowStart: new Date(counter.windowStart),
          hits,
        })),
      );
    } catch (error) {
      // The database is unreachable: keep counting locally and send these hits with a later batch.
      for (const { counter, hits } of batch) {
        counter.sending -= hits;
        counter.pending += hits;
      }
      this.timer ??= setTimeout(() => void this.sync(), this.syncIntervalMs * 10).unref();
      this.onSyncError(error);
      return;
    }
    for (const total of totals) {
      const counter = this.counters.get(keyOf(total.orgId, total.bucket));
      if (counter?.windowStart === total.windowStart.getTime()) counter.shared = total.hits;
    }
    for (const { counter, hits } of batch) counter.sending -= hits;
    await this.cleanUp(batch.map(({ counter }) => counter.orgId)).catch(this.onSyncError);
  }

  /** Moves pending hits to `sending`, and forgets counters of past windows that have nothing left to send. */
  private batch(): { counter: Counter; hits: number }[] {
    const current = this.windowStart(this.now());
    const batch: { counter: Counter; hits: number }[] = [];
    for (const [key, counter] of this.counters) {
      if (counter.pending > 0) {
        batch.push({ counter, hits: counter.pending });
        counter.sending += counter.pending;
        counter.pending = 0;
      } else if (counter.windowStart < current && counter.sending === 0) {
        this.counters.delete(key);
      }
    }
    return batch;
  }

  private async cleanUp(orgIds: string[]): Promise<void> {
    const now = this.now();
    if (now - this.lastCleanup < CLEANUP_INTERVAL_MS) return;
    this.lastCleanup = now;
    const before = new Date(now - 2 * this.limits.windowSeconds * 1000);
    await deleteWindowsBefore(this.db, [...new Set(orgIds)], before);
  }

  private windowStart(time: number): number {
    return time - (time % (this.limits.windowSeconds * 1000));
  }

  private counter(orgId: string, bucket: string, windowStart: number): Counter {
    const key = keyOf(orgId, bucket);
    let counter = this.counters.get(key);
    if (!counter || counter.windowStart !== windowStart) {
      // A new window starts from zero; hits of the past one no longer limit anything.
      counter = { orgId, bucket, windowStart, shared: 0, sending: 0, pending: 0 };
      this.counters.set(key, counter);
    }
    return counter;
  }
}

const keyOf = (orgId: string, bucket: string) => `${orgId} ${bucket}`;

/** What a 429 says: which limit was reached, and when to try again. */
export function refusalDetail(refused: Refusal): string {
  const who = refused.scope === 'credential' ? 'this credential' : 'this organization';
  return `Too many requests: ${who} may make ${refused.limit} requests a second on average. Retry after ${refused.retryAfterSeconds} seconds.`;
}
