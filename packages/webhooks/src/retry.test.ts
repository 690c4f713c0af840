import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, nextAttemptAt, retryAfterMs, retryDelayMs } from './retry.js';

describe('retry policy', () => {
  it('doubles the delay per attempt, half of it jittered, up to the longest', () => {
    const policy = { baseMs: 1_000, maxDelayMs: 8_000, windowMs: 60_000 };
    expect(retryDelayMs(policy, 1, undefined, () => 0)).toBe(500);
    expect(retryDelayMs(policy, 1, undefined, () => 1)).toBe(1_000);
    expect(retryDelayMs(policy, 3, undefined, () => 1)).toBe(4_000);
    expect(retryDelayMs(policy, 10, undefined, () => 1)).toBe(8_000);
  });

  it('honours Retry-After in seconds or as an HTTP date, up to the longest delay', () => {
    const now = Date.parse('2026-12-08T00:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Tue, 08 Dec 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 1, 120_000)).toBe(120_000);
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 1, 10 * 86_400_000)).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
  });

  it('retries for about a day by default: the last attempt at the window end, then gives up', () => {
    const since = new Date('2026-12-08T00:00:00Z');
    const policy = DEFAULT_RETRY_POLICY;
    let now = since;
    let attempts = 0;
    for (;;) {
      attempts++;
      const next = nextAttemptAt(
        policy,
        since,
        now,
        retryDelayMs(policy, attempts, undefined, () => 0.5),
      );
      if (!next) break;
      now = next;
    }
    expect(now.getTime() - since.getTime()).toBe(86_400_000);
    expect(attempts).toBeGreaterThan(10);
    expect(attempts).toBeLessThan(30);
  });
});
