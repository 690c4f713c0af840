/**
 * Runs Microsoft's "SCIM Tests" Postman collection (the peer suites' microsoft-scim-reference)
 * with newman against any SCIM base URL, as its README prescribes: the seven functional folders,
 * the bearer token as a variable, one empty organization.
 */
import { existsSync } from 'node:fs';
import newman from 'newman';
import { defaultCollectionPath } from './peer-suites.js';

export { defaultCollectionPath };

export const FOLDERS = [
  'Endpoint tests',
  'User tests',
  'Group tests',
  'ComplexAttribute tests',
  'User tests with garbage',
  'Group tests with garbage',
  'Teardown garbage',
];

export interface ReferenceRunOptions {
  /** The organization's SCIM base URL, e.g. `http://127.0.0.1:3000/scim/v2/acme`. */
  baseUrl: string;
  token: string;
  collectionPath?: string;
  /** Where to write a JUnit report, if anywhere. */
  junitPath?: string;
}

export interface ReferenceRunResult {
  requests: number;
  assertions: number;
  failed: number;
  /** One line per failed assertion: `<request> › <assertion>: <message>`. */
  failures: string[];
}

export function runMicrosoftReference(options: ReferenceRunOptions): Promise<ReferenceRunResult> {
  const collection = options.collectionPath ?? defaultCollectionPath();
  if (!existsSync(collection)) {
    return Promise.reject(
      new Error(
        `Microsoft's reference collection is not at ${collection}: put the peer suites in ` +
          '../shared/peer-suites beside the checkout, or set ROSTER_PEER_SUITES to their folder.',
      ),
    );
  }
  const url = new URL(options.baseUrl);
  return new Promise((resolve, reject) => {
    newman.run(
      {
        collection,
        folder: FOLDERS,
        envVar: [
          { key: 'Protocol', value: url.protocol.replace(':', '') },
          { key: 'Server', value: url.hostname },
          { key: 'Port', value: url.port ? `:${url.port}` : '' },
          { key: 'Api', value: url.pathname.replace(/^\/|\/$/g, '') },
          { key: 'token', value: options.token },
        ],
        reporters: options.junitPath ? ['junit'] : [],
        reporter: options.junitPath ? { junit: { export: options.junitPath } } : {},
        timeoutRequest: 10_000,
      },
      (error, summary) => {
        if (error) return reject(error);
        const stats = summary.run.stats;
        resolve({
          requests: stats.requests.total ?? 0,
          assertions: stats.assertions.total ?? 0,
          failed: stats.assertions.failed ?? 0,
          failures: summary.run.failures.map(
            (f) => `${f.source?.name ?? '?'} › ${f.error?.test ?? f.error?.name}: ${f.error?.message}`,
          ),
        });
      },
    );
  });
}
