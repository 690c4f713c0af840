/**
 * The benchmark at its smoke size, as CI runs it: every workload runs against Roster in its own
 * process on real PostgreSQL, next to pgbench. No figure is asserted (CI machines vary); what is
 * asserted is that the suite measures what it says: every workload reports its figures, no
 * request failed, the server logged no error, memory was sampled, and the table shows it all.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderTable } from '../src/report.js';
import { SIZES } from '../src/sizes.js';
import { type BenchReport, runBench, selectWorkloads } from '../src/suite.js';

describe('npm run bench, smoke size', () => {
  let report: BenchReport;
  beforeAll(async () => {
    report = await runBench({ sizes: SIZES.smoke });
  }, 300_000);

  it('measures PostgreSQL alone with pgbench first', () => {
    expect(report.ceiling.insert.tps).toBeGreaterThan(0);
    expect(report.ceiling.select.tps).toBeGreaterThan(0);
  });

  it('runs every workload but the peers and the Citus cluster, each with its figures and no failed request', () => {
    expect(report.workloads.map((w) => w.id)).toEqual(selectWorkloads(SIZES.smoke).map((w) => w.id));
    expect(report.workloads.map((w) => w.id)).not.toContain('better-auth');
    expect(report.workloads.map((w) => w.id)).not.toContain('citus');
    for (const workload of report.workloads) {
      expect(workload.failures, workload.id).toBe(0);
      expect(workload.figures.length, workload.id).toBeGreaterThan(0);
      for (const figure of workload.figures) {
        expect(Number.isFinite(figure.value), `${workload.id}: ${figure.name}`).toBe(true);
      }
    }
  });

  it('relates throughput to the database: creates to pgbench inserts, lookups to pgbench selects', () => {
    const figure = (id: string, name: string) =>
      report.workloads.find((w) => w.id === id)?.figures.find((f) => f.name === name);
    const creates = figure('create', 'requests/s')?.value ?? 0;
    const lookups = figure('lookup', 'requests/s')?.value ?? 0;
    expect(creates).toBeGreaterThan(0);
    expect(lookups).toBeGreaterThan(0);
    expect(figure('create', 'of pgbench insert')?.value).toBeCloseTo(creates / report.ceiling.insert.tps, 1);
    expect(figure('lookup', 'of pgbench select')?.value).toBeCloseTo(lookups / report.ceiling.select.tps, 1);
  });

  it('samples the server process memory during every workload', () => {
    for (const workload of report.workloads) {
      expect(workload.memory?.peakMb, workload.id).toBeGreaterThan(10);
    }
  });

  it('finds no error in the server logs', () => {
    expect(report.serverErrors).toEqual([]);
  });

  it('prints a table with every workload and its targets', () => {
    const table = renderTable(report);
    for (const workload of report.workloads) expect(table).toContain(workload.title);
    expect(table).toMatch(/\| of pgbench select \| [\d.]+ × \| ≥ 0\.3× \| (yes|\*\*no\*\*) \|/);
    expect(table).toContain('server RSS, peak');
    expect(table).toContain('server RSS, at the end');
  });
});
