/** The benchmark's table, for people (the JSON report is for machines). */
import type { BenchReport } from './suite.js';

const RSS_LIMIT_MB = 200;

function formatValue(value: number, unit: string): string {
  const number = value.toLocaleString('en', { maximumFractionDigits: value < 10 ? 2 : 1 });
  return unit ? `${number} ${unit}` : number;
}

/** A Markdown table: one row per figure, grouped by workload. */
export function renderTable(report: BenchReport): string {
  const { machine, ceiling } = report;
  const lines = [
    `Roster benchmark, ${report.startedAt}: ${machine.cpus} CPUs, Node ${machine.node}, PostgreSQL ${machine.postgres}` +
      (machine.durable ? ' (fsync on)' : ' (fsync off)'),
    '',
    `PostgreSQL alone (pgbench, ${report.sizes.concurrency} clients): insert ${ceiling.insert.tps.toLocaleString('en')} tps, ` +
      `indexed select ${ceiling.select.tps.toLocaleString('en')} tps`,
    '',
    '| workload | figure | value | target | met |',
    '|---|---|---:|---|---|',
  ];
  for (const workload of report.workloads) {
    const rows = [
      ...workload.figures,
      ...(workload.memory
        ? [
            {
              name: 'server RSS, peak',
              value: workload.memory.peakMb,
              unit: 'MB',
              target: { text: `< ${RSS_LIMIT_MB} MB`, met: workload.memory.peakMb < RSS_LIMIT_MB },
            },
            { name: 'server RSS, at the end', value: workload.memory.endMb, unit: 'MB' },
          ]
        : []),
      { name: 'failed requests', value: workload.failures, unit: '' },
    ];
    rows.forEach((figure, i) => {
      const met = figure.target ? (figure.target.met ? 'yes' : '**no**') : '';
      lines.push(
        `| ${i === 0 ? workload.title : ''} | ${figure.name} | ${formatValue(figure.value, figure.unit)} | ${figure.target?.text ?? ''} | ${met} |`,
      );
    });
  }
  lines.push('', `Server log errors: ${report.serverErrors.length}. Logs: ${report.workDir}`);
  return lines.join('\n');
}
