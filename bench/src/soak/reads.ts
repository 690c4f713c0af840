/**
 * The reads around provisioning, at a modest steady rate: userName lookups (as an IdP or an app
 * checks a user), pages of users and groups (as a reporting job lists them). Their answers are
 * counted with the rest of the traffic; a refused connection is counted there too, and reading goes on.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Random } from './churn.js';

export interface ReadTarget {
  baseUrl: string;
  /** A system key with the scim scope. */
  token: string;
  /** A userName the organization holds (or is about to), if any. */
  someUserName(random: Random): string | undefined;
}

function readPath(target: ReadTarget, random: Random): string {
  const dice = random();
  if (dice < 0.6) {
    const userName = target.someUserName(random) ?? `nobody-${Math.floor(random() * 1e9)}@example.com`;
    return `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`;
  }
  if (dice < 0.8) return `/Users?startIndex=${1 + Math.floor(random() * 20)}&count=25`;
  if (dice < 0.9) return '/Groups?excludedAttributes=members&count=50';
  return '/Groups?count=10';
}

/** Reads at `perSecond` through `send` until `done()`; returns how many were sent. */
export async function readInBackground(
  targets: ReadTarget[],
  perSecond: number,
  random: Random,
  send: typeof fetch,
  done: () => boolean,
): Promise<number> {
  const period = 1000 / perSecond;
  let sent = 0;
  let next = performance.now();
  while (!done() && targets.length > 0 && perSecond > 0) {
    const target = targets[Math.floor(random() * targets.length)] as ReadTarget;
    try {
      const res = await send(`${target.baseUrl}${readPath(target, random)}`, {
        headers: { authorization: `Bearer ${target.token}`, accept: 'application/scim+json' },
        signal: AbortSignal.timeout(30_000),
      });
      await res.arrayBuffer();
    } catch {
      // Counted by `send`; reading goes on.
    }
    sent += 1;
    // A steady rate, without bursts to catch up after a slow answer.
    next = Math.max(next + period, performance.now());
    await sleep(Math.max(0, next - performance.now()));
  }
  return sent;
}
