#!/usr/bin/env node
/**
 * `npm run bench [-- options]`: runs the benchmark and prints its table; the full report goes to a
 * JSON file. Exits 1 when a request failed or the server logged an error (a fast wrong answer is
 * not a result), 2 on bad options. Targets missed are reported, not fatal: they are measurements.
 */
import { parseOptions, writeReport } from './command-line.js';
import { renderTable } from './report.js';
import { SIZES, type SizeName } from './sizes.js';
import { runBench, WORKLOADS } from './suite.js';

const USAGE = `Usage: npm run bench -- [--size full|smoke] [--only ${WORKLOADS.map((w) => w.id).join(',')}]
                       [--seconds N] [--durable] [--cpu-prof] [--out bench-results.json]`;

async function main(argv: string[]): Promise<number> {
  const values = parseOptions(
    argv,
    {
      size: { type: 'string' },
      only: { type: 'string' },
      seconds: { type: 'string' },
      durable: { type: 'boolean' },
      'cpu-prof': { type: 'boolean' },
      out: { type: 'string' },
    },
    USAGE,
  );
  if (!values) return 2;
  const sizeName = (values.size ?? 'full') as SizeName;
  const only = values.only?.split(',').map((id) => id.trim());
  const unknown = only?.filter((id) => !WORKLOADS.some((w) => w.id === id)) ?? [];
  const seconds = values.seconds === undefined ? undefined : Number(values.seconds);
  if (!(sizeName in SIZES) || unknown.length > 0 || (seconds !== undefined && !(seconds >= 1))) {
    console.error(USAGE);
    return 2;
  }
  const sizes = { ...SIZES[sizeName], ...(seconds ? { seconds } : {}) };
  const report = await runBench({
    sizes,
    ...(only ? { only } : {}),
    durable: values.durable ?? false,
    cpuProfile: values['cpu-prof'] ?? false,
    log: (line) => console.error(line),
  });
  await writeReport(values.out ?? 'bench-results.json', report, renderTable(report));
  const failures = report.workloads.reduce((sum, w) => sum + w.failures, 0);
  return failures > 0 || report.serverErrors.length > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
