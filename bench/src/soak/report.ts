/** The soak's summary, for people (the JSON report is for machines). */
import { clock, LEAK, type SoakReport } from './soak.js';

const n = (value: number) => value.toLocaleString('en');
const duration = (seconds: number) => (seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`);

const MAX_LISTED = 10;

/** Markdown: a row per interval, a row per organization, memory, and the verdict with its reasons. */
export function renderSoak(report: SoakReport): string {
  const { machine, settings, totals, memory } = report;
  const lines = [
    `Roster soak, ${report.startedAt}: ${duration(settings.seconds)} of mixed IdP traffic, ${machine.cpus} CPUs, ` +
      `Node ${machine.node}, PostgreSQL ${machine.postgres} (seed ${settings.seed})`,
    '',
    '| at | RSS MB | requests | 2xx | 4xx | 5xx | 429 | connection errors | IdP failures | log errors | cycles | p99 ms |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const i of report.intervals) {
    lines.push(
      `| ${clock(i.atSeconds)} | ${i.rssMb} | ${n(i.requests)} | ${n(i.statuses['2xx'])} | ${n(i.statuses['4xx'])} | ` +
        `${n(i.statuses['5xx'])} | ${n(i.throttled)} | ${n(i.connectionErrors)} | ${n(i.simulatorFailures)} | ` +
        `${n(i.serverLogErrors)} | ${n(i.cycles)} | ${i.p99Ms} |`,
    );
  }
  lines.push(
    `| **total** | peak ${memory.peakMb} | ${n(totals.requests)} | ${n(totals.statuses['2xx'])} | ${n(totals.statuses['4xx'])} | ` +
      `${n(totals.statuses['5xx'])} | ${n(totals.throttled)} | ${n(totals.connectionErrors)} | ${n(totals.simulatorFailures)} | ` +
      `${n(totals.serverLogErrors)} | ${n(totals.cycles)} | |`,
    '',
    '| organization | IdP | auth | rounds | cycles | requests | IdP failures |',
    '|---|---|---|---:|---:|---:|---:|',
    ...report.organizations.map(
      (o) =>
        `| ${o.slug} | ${o.label} | ${o.auth === 'oauth' ? 'OAuth client credentials' : 'API key'} | ${n(o.rounds)} | ` +
        `${n(o.cycles)} | ${n(o.requests)} | ${n(o.failures)} |`,
    ),
    '',
    `Background reads: ${n(totals.reads)}. Responses by status: ${Object.entries(totals.statusCodes)
      .map(([status, count]) => `${status} × ${n(count)}`)
      .join(', ')}.`,
    `Memory: ${memory.baselineMb} MB after the first interval, ${memory.endMb} MB at the end (${memory.growth}×), ` +
      `peak ${memory.peakMb} MB; a leak is more than ${LEAK.growth}× and above ${LEAK.floorMb} MB.`,
    `Provisioning activity entries dropped: ${report.activityDrops < 0 ? 'unknown (metrics unreadable)' : n(report.activityDrops)} (0 expected).`,
    '',
    report.verdict.length === 0 ? 'Result: passed.' : `Result: **failed**: ${report.verdict.join('; ')}.`,
  );
  if (report.problems.length > 0) {
    lines.push('', `First problems (${Math.min(MAX_LISTED, report.problems.length)}):`);
    for (const problem of report.problems.slice(0, MAX_LISTED)) lines.push(`- ${problem}`);
  }
  if (report.serverErrors.length > 0) {
    lines.push('', 'Server log errors:');
    for (const line of report.serverErrors.slice(0, MAX_LISTED)) lines.push(`- ${line.slice(0, 500)}`);
  }
  lines.push('', `Server log: ${report.workDir}`);
  return lines.join('\n');
}
