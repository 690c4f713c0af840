/**
 * Retention as every table with an age limit does it (provisioning activity, provisioning
 * events): old rows are deleted in small batches, one statement at a time (short locks, no long
 * transaction), on a timer in every process. Every process prunes rather than electing one:
 * deletes are idempotent, and a batch that finds nothing costs one index probe.
 */

/** Runs `deleteBatch` until it deletes fewer than `batchSize` rows; returns how many it deleted. */
export async function deleteInBatches(
  deleteBatch: () => Promise<number>,
  batchSize: number,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const n = await deleteBatch();
    deleted += n;
    if (n < batchSize) return deleted;
  }
}

export interface RetentionJobOptions {
  /** How often this process prunes (default 1 hour). */
  intervalMs?: number;
  /** A failed run (the database away): reported here, tried again at the next interval. */
  onError?: (error: unknown) => void;
}

/** Calls `prune` every interval, off the event loop's keep-alive (unref), until `stop()`. */
export class RetentionJob {
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly prune: () => Promise<number>,
    options: RetentionJobOptions = {},
  ) {
    this.timer = setInterval(
      () => void this.prune().catch(options.onError ?? (() => {})),
      options.intervalMs ?? 3600_000,
    ).unref();
  }

  /** Prunes now (tests; a run already under way is not waited for). */
  run(): Promise<number> {
    return this.prune();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
