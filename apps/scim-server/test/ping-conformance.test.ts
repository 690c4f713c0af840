/**
 * Ping Identity flows (docs/reference/ping.md#users, #groups, #scripted-tests): filter casing and encodings,
 * PUT-based user updates, disable and re-enable, group paging, PUT and PATCH membership, content
 * types, the double-slash base URL, replay after a full resync, discovery. Runs against PostgreSQL
 * and PGlite.
 */
import { describe } from 'vitest';
import { DATABASES, useHarness } from './helpers.js';
import { pingFlows } from './suites/ping-flows.js';

describe.each(DATABASES)('Ping Identity flows (%s)', (kind) => {
  pingFlows(useHarness(kind));
});
