/**
 * Better Auth's SCIM plugin, run as a peer: its packages installed on demand with npm into a
 * scratch folder (not a dependency of the workspace), and its small server (bench/peers/better-auth/
 * server.mjs) started on the benchmark's PostgreSQL server, in a database of its own.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabase } from '@roster/testkit/postgres';

/** Pinned exactly: the figures are of this version. */
export const PEER_PACKAGES = [
  'better-auth@1.7.5',
  '@better-auth/scim@1.7.5',
  '@better-auth/core@1.7.5',
  'pg@8.23.1',
];

const SERVER_SCRIPT = fileURLToPath(new URL('../../peers/better-auth/server.mjs', import.meta.url));
/** Kept between runs (installing takes a minute); outside the repository. */
const PEER_DIR = join(tmpdir(), 'roster-bench-peers', 'better-auth-1.7.5');

const run = (
  file: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
) =>
  new Promise<void>((resolve, reject) => {
    execFile(
      file,
      args,
      { cwd: options.cwd, env: options.env, timeout: options.timeoutMs },
      (error, stdout, stderr) =>
        error
          ? reject(
              new Error(`${file} ${args.join(' ')}: ${error.message}\n${stdout}${stderr}`.slice(0, 2000)),
            )
          : resolve(),
    );
  });

/** Installs the peer's packages unless they are already there; the reason when it cannot (offline). */
export async function installPeer(
  log: (line: string) => void,
): Promise<{ dir: string } | { skipped: string }> {
  const installed = await stat(join(PEER_DIR, 'node_modules', '@better-auth', 'scim', 'package.json')).then(
    () => true,
    () => false,
  );
  if (!installed) {
    log(`  installing ${PEER_PACKAGES.join(' ')} into ${PEER_DIR}`);
    await mkdir(PEER_DIR, { recursive: true });
    await writeFile(
      join(PEER_DIR, 'package.json'),
      '{"name":"roster-bench-peer","private":true,"type":"module"}\n',
    );
    try {
      await run(
        'npm',
        ['install', '--no-audit', '--no-fund', '--loglevel=error', '--save-exact', ...PEER_PACKAGES],
        { cwd: PEER_DIR, timeoutMs: 600_000 },
      );
    } catch (error) {
      return { skipped: `npm install failed (offline?): ${(error as Error).message.split('\n')[0]}` };
    }
  }
  await copyFile(SERVER_SCRIPT, join(PEER_DIR, 'server.mjs'));
  return { dir: PEER_DIR };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface PeerServer {
  /** The SCIM base URL's origin and path. */
  origin: string;
  basePath: string;
  token: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

/** Better Auth's server on a fresh database of the benchmark's PostgreSQL server, migrated. */
export async function startPeer(dir: string, benchDatabaseUrl: string): Promise<PeerServer> {
  const server = new URL(benchDatabaseUrl);
  server.pathname = '/postgres';
  const databaseUrl = await createDatabase(server.toString(), `better_auth_bench_${Date.now()}`);
  const port = await freePort();
  const token = randomBytes(32).toString('base64url');
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    SCIM_TOKEN: token,
    AUTH_SECRET: randomBytes(32).toString('base64'),
    NODE_ENV: 'production',
  };
  await run(process.execPath, ['server.mjs', 'migrate'], { cwd: dir, env, timeoutMs: 120_000 });
  const child: ChildProcess = spawn(process.execPath, ['server.mjs'], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Better Auth did not start: ${output.slice(-2000)}`)),
      60_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Better Auth exited (${code}): ${output.slice(-2000)}`));
    });
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    basePath: '/api/auth/scim/v2',
    token,
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
