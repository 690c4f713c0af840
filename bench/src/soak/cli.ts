#!/usr/bin/env node
/**
 * `npm run soak [-- options]`: 10 minutes (by default) of mixed IdP traffic against Roster; prints
 * the minute-by-minute table, writes the full report to a JSON file. Exits 1 when the soak failed
 * (a 5xx, a connection error, an IdP-logged failure, a server error line, memory that looks like a
 * leak), 2 on bad options.
 */
import { parseOptions, writeReport } from '../command-line.js';
import { renderSoak } from './report.js';
import { runSoak } from './soak.js';

const USAGE = `Usage: npm run soak -- [--minutes N | --seconds N] [--seed N] [--out soak-results.json]`;

async function main(argv: string[]): Promise<number> {
  const values = parseOptions(
    argv,
    {
      minutes: { type: 'string' },
      seconds: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
    },
    USAGE,
  );
  if (!values) return 2;
  const minutes = values.minutes === undefined ? undefined : Number(values.minutes);
  const secondsOption = values.seconds === undefined ? undefined : Number(values.seconds);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  const seconds = secondsOption ?? (minutes ?? 10) * 60;
  if (
    (minutes !== undefined && secondsOption !== undefined) ||
    !(seconds >= 1) ||
    !Number.isFinite(seconds) ||
    (seed !== undefined && !Number.isInteger(seed))
  ) {
    console.error(USAGE);
    return 2;
  }
  const report = await runSoak({
    seconds,
    ...(seed !== undefined ? { seed } : {}),
    log: (line) => console.error(line),
  });
  await writeReport(values.out ?? 'soak-results.json', report, renderSoak(report));
  return report.verdict.length > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
