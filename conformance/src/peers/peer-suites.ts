/**
 * Where the peer suites are, and whether a test run runs them. The peer suites (Microsoft's SCIM
 * reference collection) are not part of this repository: they sit in `shared/peer-suites` beside
 * the checkout, or wherever ROSTER_PEER_SUITES says. A newcomer's fresh clone has no such folder,
 * so there `npm test` says in one line that they did not run and why, and passes; CI (CI=true)
 * must keep checking them, so there their absence fails the run.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type Env = Record<string, string | undefined>;

/** The relative path of Microsoft's collection inside the peer-suites folder. */
export const MICROSOFT_COLLECTION = 'microsoft-scim-reference/scim-tests.postman_collection.json';

/** The peer-suites folder: ROSTER_PEER_SUITES, else `shared/peer-suites` beside the checkout. */
export function peerSuitesDir(env: Env = process.env): string {
  // From src/peers/ (or dist/peers/) up to the checkout, then beside it.
  return env.ROSTER_PEER_SUITES || fileURLToPath(new URL('../../../../shared/peer-suites', import.meta.url));
}

/** Microsoft's collection file, where the peer-suites folder says it is. */
export function defaultCollectionPath(env: Env = process.env): string {
  return `${peerSuitesDir(env)}/${MICROSOFT_COLLECTION}`;
}

/** CI=true (or any value but empty, `0` and `false`, as CI services set it). */
export function isCi(env: Env = process.env): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

export type PeerSuitePlan =
  /** Run the suite; under CI an absent collection is run anyway, so that the run fails on it. */
  | { run: true; collection: string }
  /** Leave the suite out of the run and print `line`: what did not run, why, how to run it. */
  | { run: false; collection: string; line: string };

/** Whether this run runs Microsoft's collection. */
export function planMicrosoftReference(
  env: Env = process.env,
  exists: (path: string) => boolean = existsSync,
): PeerSuitePlan {
  const collection = defaultCollectionPath(env);
  if (exists(collection) || isCi(env)) return { run: true, collection };
  return {
    run: false,
    collection,
    line:
      "NOT RUN: Microsoft's SCIM reference collection (conformance/test/microsoft-reference.test.ts), " +
      `because ${collection} does not exist${env.ROSTER_PEER_SUITES ? ' (from ROSTER_PEER_SUITES)' : ''}. ` +
      'To run it, put the peer suites in ../shared/peer-suites beside the checkout or set ROSTER_PEER_SUITES ' +
      'to their folder; with CI=true their absence fails the run.',
  };
}
