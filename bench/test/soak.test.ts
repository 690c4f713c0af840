/**
 * The soak in a few seconds, as CI runs it: the same organizations, simulators, IdP source changes
 * and reads as `npm run soak`, against Roster in its own process on real PostgreSQL, with short
 * intervals and small rounds. No figure is asserted (CI machines vary): what is asserted is that
 * the soak measures what it says (every interval has memory and counts, every organization was
 * provisioned, the table shows it all) and that the traffic met no error.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderSoak } from '../src/soak/report.js';
import { runSoak, type SoakReport } from '../src/soak/soak.js';

describe('npm run soak, a few seconds', () => {
  let report: SoakReport;
  beforeAll(async () => {
    report = await runSoak({
      seconds: 8,
      intervalSeconds: 3,
      seed: 7,
      rounds: { users: 10, groups: 2, membersPerGroup: 4, incrementalCycles: 2 },
    });
  }, 120_000);

  it('records memory and counts every interval, the last one after the traffic has stopped', () => {
    expect(report.intervals.length).toBe(3);
    for (const interval of report.intervals) {
      expect(interval.rssMb, `${interval.atSeconds} s`).toBeGreaterThan(10);
      expect(interval.requests, `${interval.atSeconds} s`).toBeGreaterThan(0);
    }
    expect(report.intervals.at(-1)?.atSeconds).toBeGreaterThanOrEqual(8);
    expect(report.totals.requests).toBe(report.intervals.reduce((sum, i) => sum + i.requests, 0));
    expect(report.memory.baselineMb).toBe(report.intervals[0]?.rssMb);
    expect(report.memory.peakMb).toBeGreaterThanOrEqual(report.memory.endMb);
  });

  it('provisions every organization with its IdP, one of them with OAuth client credentials', () => {
    expect(report.organizations.map((o) => o.auth)).toContain('oauth');
    expect(report.organizations.map((o) => o.label).join()).toMatch(/Entra.*Ping/);
    for (const org of report.organizations) {
      expect(org.cycles, org.slug).toBeGreaterThan(0);
      expect(org.requests, org.slug).toBeGreaterThan(0);
    }
    expect(report.totals.reads).toBeGreaterThan(0);
  });

  it('counts every exchange: the reads, the simulators’ SCIM requests and the OAuth organization’s token requests', () => {
    const simulatorRequests = report.organizations.reduce((sum, o) => sum + o.requests, 0);
    // Beyond reads and SCIM requests: discovery and a token for each round of the OAuth organization.
    expect(report.totals.requests).toBeGreaterThan(report.totals.reads + simulatorRequests);
  });

  it('meets no 5xx, no connection error, no IdP failure and no server error', () => {
    expect(report.problems).toEqual([]);
    expect(report.serverErrors).toEqual([]);
    expect(report.totals.statuses['5xx']).toBe(0);
    expect(report.totals.connectionErrors).toBe(0);
    expect(report.totals.simulatorFailures).toBe(0);
    expect(report.memory.leak).toBe(false);
    // Every request's outcome was recorded for provisioning health.
    expect(report.activityDrops).toBe(0);
    expect(report.verdict).toEqual([]);
  });

  it('prints a row per interval, a row per organization and the result', () => {
    const table = renderSoak(report);
    expect(table).toContain('| at | RSS MB | requests | 2xx | 4xx | 5xx |');
    expect(table.match(/^\| \d+:\d\d \| [\d.]+ \|/gm)).toHaveLength(report.intervals.length);
    for (const org of report.organizations) expect(table).toContain(`| ${org.slug} |`);
    expect(table).toContain('Result: passed.');
  });
});
