/**
 * The command line against a SCIM server that is not Roster (a proxy adding peer servers' faults):
 * it must finish, say which sessions fail and why, in its reports and its exit code. Throttling
 * is survived by honouring Retry-After.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {} from '@roster/testkit/vitest-global-setup';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { main } from '../src/cli.js';
import { type FaultyProxy, startFaultyProxy } from './harness/faulty-proxy.js';
import { type RosterUnderTest, startRoster } from './harness/roster.js';

let roster: RosterUnderTest;
let target: { baseUrl: string; token: string };
const proxies: FaultyProxy[] = [];

beforeAll(async () => {
  roster = await startRoster(inject('databaseUrl'));
  const org = await roster.organization('http_header');
  target = { baseUrl: org.target.baseUrl, token: org.target.token as string };
});
afterAll(async () => {
  for (const proxy of proxies) await proxy.close();
  await roster?.close();
});

async function proxied(faults: Parameters<typeof startFaultyProxy>[1]): Promise<string> {
  const proxy = await startFaultyProxy(roster.origin, faults);
  proxies.push(proxy);
  return target.baseUrl.replace(roster.origin, proxy.origin);
}

async function run(args: string[]) {
  const dir = await mkdtemp(join(tmpdir(), 'conformance-'));
  const code = await main([
    ...args,
    '--token',
    target.token,
    '--report-dir',
    dir,
    '--users',
    '4',
    '--groups',
    '1',
    '--members-per-group',
    '3',
  ]);
  return {
    code,
    markdown: await readFile(join(dir, 'conformance-report.md'), 'utf8'),
    junit: await readFile(join(dir, 'conformance-report.xml'), 'utf8'),
  };
}

it('reports an Entra run against a server that hides inactive users, reformats values and removes all members', async () => {
  const baseUrl = await proxied({
    hideInactiveUsers: true,
    reformatPhoneNumbers: true,
    strictMemberRemove: true,
  });
  const { code, markdown, junit } = await run([
    '--idp',
    'entra',
    '--base-url',
    baseUrl,
    '--session',
    'test-connection,incremental-updates,reactivate,group-sync',
    '--member-batch-size',
    '2',
  ]);
  expect(code).toBe(1);
  // Test Connection still passes: the faults only show in the flows that need the behaviour.
  expect(markdown).toMatch(/\| Test Connection \| passed/);
  // A reformatted phone number reads back different, so Entra PATCHes it on every cycle.
  expect(markdown).toMatch(/a repeated full cycle with no changes sends no writes/);
  // The re-assigned user is not found by the lookup, so Entra creates it again and gets 409.
  expect(markdown).toMatch(/\| Reactivate \| \*\*failed\*\*/);
  expect(markdown).toMatch(/EntryConflict/);
  // Removing two members removed all of them.
  expect(markdown).toMatch(/members missing/);
  expect(junit).toMatch(/<testsuite[^>]*failures="3"/);
}, 120_000);

it('reports a PingOne run against a server whose filters are case-sensitive', async () => {
  const baseUrl = await proxied({ caseSensitiveFilters: true });
  const { code, markdown } = await run([
    '--idp',
    'ping',
    '--profile',
    'p1',
    '--base-url',
    baseUrl,
    '--session',
    'test-connection,initial-cycle',
  ]);
  expect(code).toBe(1);
  expect(markdown).toMatch(/\| Test Connection \| \*\*failed\*\*/);
  expect(markdown).toMatch(/Unsupported filter username Eq/);
}, 120_000);

it('passes against a server that throttles, by honouring Retry-After', async () => {
  const baseUrl = await proxied({ throttleEvery: 15 });
  const { code, markdown } = await run([
    '--idp',
    'entra',
    '--base-url',
    baseUrl,
    '--session',
    'initial-cycle',
  ]);
  expect(markdown).toMatch(/\| Initial cycle \| passed/);
  expect(code).toBe(0);
  expect(proxies.at(-1)?.throttled).toBeGreaterThan(0);
}, 120_000);
