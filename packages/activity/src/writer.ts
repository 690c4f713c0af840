/**
 * Records SCIM outcomes off the request path. A request only pushes its entry onto this process's
 * queue; a timer writes what is queued in batches (one statement each), as the rate limiter shares
 * its counts. The queue is bounded: while the database is away the oldest entries beyond the
 * bound are dropped and counted, and a request is never slowed or failed by recording. `close()`
 * writes what is left (graceful shutdown loses nothing queued while the database is there).
 */
import { type Database, RetentionJob } from '@roster/db';
import type { Kysely } from 'kysely';
import { type ActivityEntry, deleteActivityBefore, insertActivity } from './activity-rows.js';

export type { ActivityEntry } from './activity-rows.js';

export interface ActivityWriterOptions {
  /** Entries kept while they cannot be written; beyond it the oldest are dropped (default 10,000). */
  maxQueue?: number;
  /** Longest time an entry waits before its batch is written (default 1 s). */
  flushIntervalMs?: number;
  /** Entries in one statement (default 500). */
  batchSize?: number;
  /** False: nothing is recorded (the benchmark compares; production records). */
  enabled?: boolean;
  onError?: (error: unknown) => void;
  /** Days activity is kept; older rows are deleted every `retentionIntervalMs` (default: kept). */
  retentionDays?: number;
  /** How often this process deletes what is past retention (default 1 hour). */
  retentionIntervalMs?: number;
}

/** What metrics observe (`observe()`). */
export interface ActivityListener {
  /** After each batch written, with its size and how long the statement took. */
  flushed?(entries: number, seconds: number): void;
  /** With the number of entries dropped. */
  dropped?(entries: number): void;
}

export class ActivityWriter {
  private queue: ActivityEntry[] = [];
  private droppedTotal = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly listeners: ActivityListener[] = [];
  private readonly retention: RetentionJob | undefined;
  private readonly maxQueue: number;
  private readonly flushIntervalMs: number;
  private readonly batchSize: number;
  readonly enabled: boolean;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: ActivityWriterOptions = {},
  ) {
    this.maxQueue = options.maxQueue ?? 10_000;
    this.flushIntervalMs = options.flushIntervalMs ?? 1_000;
    this.batchSize = options.batchSize ?? 500;
    this.enabled = options.enabled ?? true;
    if (options.retentionDays) {
      this.retention = new RetentionJob(() => this.prune(), {
        intervalMs: options.retentionIntervalMs,
        onError: options.onError,
      });
    }
  }

  /** Deletes the activity older than the retention (run on a timer; tests call it). */
  async prune(now = new Date()): Promise<number> {
    if (!this.options.retentionDays) return 0;
    return deleteActivityBefore(this.db, new Date(now.getTime() - this.options.retentionDays * 86_400_000));
  }

  /** Entries waiting to be written. */
  get queueDepth(): number {
    return this.queue.length;
  }

  /** Entries dropped since the process started (the queue was full). */
  get dropped(): number {
    return this.droppedTotal;
  }

  observe(listener: ActivityListener): void {
    this.listeners.push(listener);
  }

  /** Queues one entry; never throws, never waits. */
  record(entry: ActivityEntry): void {
    if (!this.enabled) return;
    this.queue.push(entry);
    this.trim();
    this.schedule(this.flushIntervalMs);
  }

  /** Writes everything queued now (one batch at a time); a failed batch stays queued. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.running) await this.running;
    this.running = this.writeAll().finally(() => {
      this.running = undefined;
    });
    await this.running;
  }

  /** Graceful shutdown: writes what is queued; entries that cannot be written are counted as dropped. */
  async close(): Promise<void> {
    this.retention?.stop();
    await this.flush();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length > 0) this.drop(this.queue.length);
    this.queue = [];
  }

  private async writeAll(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.batchSize);
      const started = process.hrtime.bigint();
      try {
        await insertActivity(this.db, batch);
      } catch (error) {
        // The database is away: keep the batch (bounded) and try again later, less often.
        this.queue.unshift(...batch);
        this.trim();
        this.schedule(this.flushIntervalMs * 5);
        this.options.onError?.(error);
        return;
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      for (const listener of this.listeners) listener.flushed?.(batch.length, seconds);
    }
  }

  private trim(): void {
    const excess = this.queue.length - this.maxQueue;
    if (excess > 0) {
      this.queue.splice(0, excess);
      this.drop(excess);
    }
  }

  private drop(entries: number): void {
    this.droppedTotal += entries;
    for (const listener of this.listeners) listener.dropped?.(entries);
  }

  private schedule(delayMs: number): void {
    // From a timer: errors end in onError, never as an unhandled rejection.
    this.timer ??= setTimeout(() => void this.flush().catch(this.options.onError), delayMs).unref();
  }
}
