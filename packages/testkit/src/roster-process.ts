/**
 * Roster as production runs it: `apps/roster/dist/main.js` in its own process, on a given
 * database. Its own process, so its memory (RSS) is its own, two of them can share one database,
 * and it can be killed and started again. Its JSON log goes to a file, scanned afterwards for errors.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port.js';

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

/** How a process ended: its exit code, or the signal that killed it. */
export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class RosterProcess {
  private child!: ChildProcess;
  private exit!: Promise<ExitStatus>;
  private status: ExitStatus | undefined;
  readonly origin: string;
  readonly logFile: string;

  private constructor(
    private readonly options: RosterProcessOptions,
    readonly port: number,
  ) {
    this.origin = `http://127.0.0.1:${port}`;
    this.logFile = join(options.workDir, `${options.name}.log`);
  }

  static async start(options: RosterProcessOptions): Promise<RosterProcess> {
    const roster = new RosterProcess(options, await freePort());
    roster.spawn('w');
    await roster.waitUntilReady();
    return roster;
  }

  /** Starts the process again after it exited: same port (the same origin), same log file (appended to). */
  async restart(): Promise<void> {
    if (!this.status) throw new Error(`${this.options.name} is still running (pid ${this.child.pid})`);
    this.spawn('a');
    await this.waitUntilReady();
  }

  private spawn(logMode: 'w' | 'a'): void {
    const options = this.options;
    const log = openSync(this.logFile, logMode);
    try {
      this.child = spawn(
        process.execPath,
        [...(options.cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${options.workDir}`] : []), options.main],
        {
          env: {
            ...process.env,
            DATABASE_URL: options.databaseUrl,
            ROSTER_SECRET_KEY: options.secretKey,
            // Production settings: the URLs it builds are on the origin the tests reach it at.
            PUBLIC_URL: this.origin,
            ROSTER_DEMO: 'false',
            HOST: '127.0.0.1',
            PORT: String(this.port),
            LOG_LEVEL: 'info',
            ...options.env,
          },
          stdio: ['ignore', log, log],
        },
      );
    } finally {
      closeSync(log); // the child has its own copy
    }
    this.status = undefined;
    const child = this.child;
    this.exit = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.status = { code, signal };
        resolve(this.status);
      });
    });
  }

  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (this.status) break;
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

  /** The current process's id. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** How the current process ended; undefined while it runs. */
  get exitStatus(): ExitStatus | undefined {
    return this.status;
  }

  /** Sends a signal to the current process (default SIGKILL) and waits for it to exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<ExitStatus> {
    if (!this.status) this.child.kill(signal);
    return this.exit;
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
    await this.kill('SIGTERM');
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

/** Bytes as MB with one decimal, as memory figures are reported. */
export const toMb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
