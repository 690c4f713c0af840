/**
 * PostgreSQL's own rate on this machine: pgbench with a custom script, on the same server and
 * database as Roster, at the same concurrency. Prepared statements: the database's best case.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface PgbenchResult {
  tps: number;
  latencyMs: number;
}

export async function pgbench(options: {
  binDir: string;
  databaseUrl: string;
  script: string;
  clients: number;
  seconds: number;
  /** pgbench variables (`-D name=value`), used in the script as `:name`. */
  variables: Record<string, string | number>;
}): Promise<PgbenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'roster-pgbench-'));
  try {
    const file = join(dir, 'script.sql');
    await writeFile(file, options.script);
    const args = [
      '--no-vacuum',
      '--protocol=prepared',
      `--client=${options.clients}`,
      `--jobs=${Math.min(availableParallelism(), options.clients)}`,
      `--time=${options.seconds}`,
      `--file=${file}`,
      ...Object.entries(options.variables).map(([name, value]) => `--define=${name}=${value}`),
      options.databaseUrl,
    ];
    const { stdout } = await promisify(execFile)(pgbenchProgram(options.binDir), args, {
      timeout: (options.seconds + 60) * 1000,
    });
    const tps = /^tps = ([\d.]+)/m.exec(stdout)?.[1];
    const latency = /^latency average = ([\d.]+) ms/m.exec(stdout)?.[1];
    if (!tps || !latency) throw new Error(`Unexpected pgbench output:\n${stdout}`);
    return { tps: Math.round(Number(tps)), latencyMs: Number(latency) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Beside the server's binaries when it is there (Debian's layout), else from PATH. */
function pgbenchProgram(binDir: string): string {
  const beside = join(binDir, 'pgbench');
  return existsSync(beside) ? beside : 'pgbench';
}
