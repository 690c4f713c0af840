/**
 * When to try a failed delivery again: exponential backoff with jitter (half the delay fixed, half
 * random, so that deliveries failing together spread out), unless the receiver said when with
 * `Retry-After` (seconds or an HTTP date), which is honoured up to the longest delay.
 */
export interface RetryPolicy {
  /** The first retry's delay before jitter; each further one doubles it. */
  baseMs: number;
  /** No delay is longer. */
  maxDelayMs: number;
  /** A delivery failing this long (from its first due time) is given up. */
  windowMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseMs: 5_000,
  maxDelayMs: 2 * 3600_000,
  windowMs: 24 * 3600_000,
};

/** Milliseconds from now that a Retry-After header asks for; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d{1,10}$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The delay before the attempt after `attempts` failed ones. */
export function retryDelayMs(
  policy: RetryPolicy,
  attempts: number,
  retryAfter: number | undefined,
  random: () => number = Math.random,
): number {
  if (retryAfter !== undefined) return Math.min(retryAfter, policy.maxDelayMs);
  const exponential = Math.min(policy.maxDelayMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

/**
 * The next attempt's time, or undefined to give up: the last attempt is made when the window
 * ends (not skipped because a long delay would overshoot it), and one failing after it gives up.
 */
export function nextAttemptAt(
  policy: RetryPolicy,
  retryingSince: Date,
  now: Date,
  delayMs: number,
): Date | undefined {
  const windowEnd = retryingSince.getTime() + policy.windowMs;
  if (now.getTime() >= windowEnd) return undefined;
  return new Date(Math.min(now.getTime() + delayMs, windowEnd));
}
