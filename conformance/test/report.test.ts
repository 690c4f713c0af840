/**
 * The Markdown and JUnit reports of a hand-made run: a passed, a failed and a skipped session.
 * The assertions pick out what a reader or a CI test view relies on, not the whole text.
 */
import { describe, expect, it } from 'vitest';
import { junitReport } from '../src/report/junit.js';
import { markdownReport } from '../src/report/markdown.js';
import type { RunResult } from '../src/run.js';

const run: RunResult = {
  label: 'PingOne (SCIM Outbound)',
  auth: 'oauth',
  baseUrl: 'https://scim.example.com/scim/v2/acme',
  startedAt: '2025-01-02T03:04:05.000Z',
  passed: false,
  sessions: [
    {
      id: 'test-connection',
      title: 'Test Connection',
      status: 'passed',
      checks: [
        { name: 'Test Connection: the User probe succeeds', ok: true },
        { name: 'Test Connection: the Group probe succeeds', ok: true },
      ],
      log: [],
      requests: 2,
      writes: 0,
      ms: 120,
    },
    {
      id: 'deactivate',
      title: 'Deactivate',
      status: 'failed',
      checks: [
        { name: 'initial cycle: the cycle finishes without failures', ok: true },
        { name: 'both users are disabled, not deleted', ok: false, detail: 'Delete User "ada": 1 delete' },
      ],
      log: [
        {
          cycle: 2,
          action: 'Update',
          objectType: 'User',
          source: 'ada@example.com',
          targetId: 'u-1',
          status: 'Failure',
          errorCode: 'SystemForCrossDomainIdentityManagementBadRequest',
          reason: 'filter "a | b" is invalid\nsecond line',
          request: 'PATCH /Users/u-1 → 400',
        },
      ],
      requests: 14,
      writes: 6,
      ms: 2_340,
    },
    {
      id: 'roles',
      title: 'Roles',
      status: 'skipped',
      reason: 'needs the Roster portal API (--portal-url, --portal-key)',
      checks: [],
      log: [],
      requests: 0,
      writes: 0,
      ms: 1,
    },
  ],
};

describe('markdownReport', () => {
  const md = markdownReport([run]);

  it('heads the run with its IdP, authentication method and target', () => {
    expect(md).toContain('## PingOne (SCIM Outbound) · OAuth client credentials');
    expect(md).toContain('https://scim.example.com/scim/v2/acme');
  });

  it('has a summary row per session', () => {
    expect(md).toContain('| Session | Status | Checks | Requests | Writes | Duration |');
    expect(md).toContain('| Test Connection | passed | 2/2 | 2 | 0 | 120 ms |');
    expect(md).toContain('| Deactivate | **failed** | 1/2 | 14 | 6 | 2.3 s |');
    expect(md).toContain('| Roles | skipped | 0/0 | 0 | 0 | 1 ms |');
  });

  it('lists the failed check with its detail, and not the passed ones', () => {
    expect(md).toContain('- both users are disabled, not deleted');
    expect(md).toContain('Delete User "ada": 1 delete');
    expect(md).not.toContain('- initial cycle: the cycle finishes without failures');
  });

  it("shows the IdP's failure log as a table with escaped cells", () => {
    expect(md).toContain('| Cycle | Action | Object | Source | Status | Error code | Reason | Request |');
    expect(md).toContain(
      '| 2 | Update | User u-1 | ada@example.com | Failure | SystemForCrossDomainIdentityManagementBadRequest | filter "a \\| b" is invalid<br>second line | PATCH /Users/u-1 → 400 |',
    );
  });

  it('gives the skip reason, and no section to a clean passed session', () => {
    expect(md).toContain('### Roles — skipped');
    expect(md).toContain('Skipped: needs the Roster portal API (--portal-url, --portal-key)');
    expect(md).not.toContain('### Test Connection');
  });
});

describe('junitReport', () => {
  const xml = junitReport([run]);
  const count = (pattern: RegExp) => xml.match(pattern)?.length ?? 0;

  it('is an XML document with one suite named after the run', () => {
    expect(xml.startsWith('<?xml')).toBe(true);
    expect(count(/<testsuite\s/g)).toBe(1);
    expect(xml).toMatch(/<testsuite name="PingOne \(SCIM Outbound\) · OAuth client credentials"/);
    expect(xml).toMatch(/<testsuite [^>]*tests="3"[^>]*failures="1"[^>]*skipped="1"/);
  });

  it('has a test case per session, one failure and one skipped', () => {
    expect(count(/<testcase\s/g)).toBe(3);
    expect(count(/<failure\s/g)).toBe(1);
    expect(count(/<skipped\/>/g)).toBe(1);
    expect(xml).toMatch(/<testcase classname="PingOne \(SCIM Outbound\)" name="Deactivate" time="2.34"/);
  });

  it('names the failed checks in the failure and the log in system-out', () => {
    expect(xml).toMatch(/<failure message="1 failed check: both users are disabled, not deleted"/);
    expect(xml).toContain('Delete User "ada": 1 delete]]></failure>');
    expect(xml).toContain(
      'cycle 2: Update User "ada@example.com": SystemForCrossDomainIdentityManagementBadRequest',
    );
    expect(xml).toContain('Skipped: needs the Roster portal API');
  });

  it('keeps the tags balanced', () => {
    expect(count(/<testcase\s/g)).toBe(count(/<\/testcase>|<testcase [^>]*\/>/g));
    expect(count(/<testsuite\s/g)).toBe(count(/<\/testsuite>/g));
  });
});
