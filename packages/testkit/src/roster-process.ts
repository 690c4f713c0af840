/**
 * Roster as production runs it: `apps/roster/dist/main.js` in its own process, on a given
 * database. Its own process, so its memory (RSS) is its own, two of them can share one database,
 * and it can be killed. Its JSON log goes to a file, scanned afterwards for errors.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const START_TIMEOUT_MS = 30_000;

export interface RosterProcessOptions {
  /** The built entry point, `apps/roster/dist/main.js`. */
  main: string;
  databaseUrl: string;
  /** ROSTER_SECRET_KEY, the same for every process (they verify each other's tokens). */
  secretKey: string;
  /** Where the log and any CPU profile go. */
  workDir: string;
  name: string;
  /** Write a V8 CPU profile (`--cpu-prof`) into workDir when the process stops. */
  cpuProfile?: boolean;
  env?: Record<string, string>;
}

export class RosterProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly origin: string,
    readonly logFile: string,
  ) {}

  static async start(options: RosterProcessOptions): Promise<RosterProcess> {
    const port = await freePort();
    const logFile = join(options.workDir, `${options.name}.log`);
    const log = openSync(logFile, 'w');
    const child = spawn(
      process.execPath,
      [...(options.cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${options.workDir}`] : []), options.main],
      {
        env: {
          ...process.env,
          DATABASE_URL: options.databaseUrl,
          ROSTER_SECRET_KEY: options.secretKey,
          ROSTER_DEMO: 'false',
          HOST: '127.0.0.1',
          PORT: String(port),
          LOG_LEVEL: 'info',
          ...options.env,
        },
        stdio: ['ignore', log, log],
      },
    );
    const roster = new RosterProcess(child, `http://127.0.0.1:${port}`, logFile);
    await roster.waitUntilReady();
    return roster;
  }

  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) break;
      const ready = await fetch(`${this.origin}/readyz`).then(
        (response) => response.ok,
        () => false,
      );
      if (ready) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    this.child.kill('SIGKILL');
    throw new Error(`Roster did not start; its log:\n${readFileSync(this.logFile, 'utf8').slice(-4000)}`);
  }

  /** Resident memory now, in bytes (Linux /proc), or undefined where that is not available. */
  rss(): number | undefined {
    try {
      const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
      return kb ? Number(kb) * 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  /** The process's log lines at level error or above. */
  errorLines(): string[] {
    return errorLines(readFileSync(this.logFile, 'utf8'));
  }

  /** SIGTERM (the process drains and exits, writing its CPU profile if asked). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

/** Lines of a pino JSON log at level error (50) or fatal (60). */
export function errorLines(log: string): string[] {
  return log.split('\n').filter((line) => /"level":[56]0\b/.test(line));
}

/** Samples a process's memory while a workload runs; the peak is what the 200 MB target is about. */
export class MemorySampler {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  /** `processes` is read at each sample, so a process started meanwhile is sampled too. */
  constructor(private readonly processes: readonly RosterProcess[]) {
    this.timer = setInterval(() => this.sample(), 250);
  }

  private sample(): void {
    for (const process of this.processes) this.peak = Math.max(this.peak, process.rss() ?? 0);
  }

  /** Stops sampling: the peak over the workload and the memory at its end, in MB. */
  stop(): { peakMb: number; endMb: number } {
    clearInterval(this.timer);
    this.sample();
    const end = Math.max(...this.processes.map((p) => p.rss() ?? 0));
    return { peakMb: toMb(this.peak), endMb: toMb(end) };
  }
}

const toMb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no free port');
  return address.port;
}
