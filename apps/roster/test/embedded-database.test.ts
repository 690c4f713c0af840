/**
 * The operator CLI next to a running server on the embedded database. Both used
 * to open the same PGlite folder: the CLI's create-org printed a token the running server
 * answered 401 to, and after a restart the organization was gone. Now the server holds the
 * folder's lock and the CLI is refused, writing nothing; with the server stopped it works, and
 * the server started again signs the new manager in with the printed setup link.
 * Roster as production runs it: the built apps/roster/dist (main.js, cli.js) in processes of their own.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RosterProcess } from '@roster/testkit/roster-process';
import { afterAll, beforeAll, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

let workDir: string;
let dataDir: string;
let server: RosterProcess | undefined;

beforeAll(async () => {
  if (!existsSync(MAIN) || !existsSync(CLI)) {
    throw new Error('Build Roster first: node scripts/pnpm.mjs turbo run build --filter=@roster/roster...');
  }
  workDir = await mkdtemp(join(tmpdir(), 'roster-embedded-'));
  dataDir = join(workDir, 'pglite');
});
afterAll(async () => {
  await server?.kill('SIGKILL');
});

/** `npm run roster -- <args>` on the test's folder, with links pointing at the server's port. */
function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        env: {
          ...process.env,
          DATABASE_URL: '',
          ROSTER_DATA_DIR: dataDir,
          PORT: String(server?.port ?? 3000),
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

it('refuses the CLI while the server runs on the same folder, writing nothing', async () => {
  server = await RosterProcess.start({
    main: MAIN,
    databaseUrl: '',
    secretKey: randomBytes(32).toString('base64'),
    workDir,
    name: 'server',
    env: { ROSTER_DATA_DIR: dataDir, ROSTER_DEMO: 'false' },
  });
  const created = await cli('create-org', 'acme', '--admin', 'admin@acme.example');
  expect(created.stderr).toMatch(/in use by another Roster process .*Nothing was written/s);
  expect(created.code).toBe(1);
  expect(created.stdout).toBe('');

  await server.stop();
  // The server gone, the folder is the CLI's: there is no "acme" (nothing was written).
  const missing = await cli('create-key', 'acme');
  expect(missing.stderr).toContain('No organization "acme"');
  expect(missing.code).toBe(1);
}, 120_000);

it('with the server stopped, onboards an organization whose printed link the started server honours once', async () => {
  const created = await cli('create-org', 'acme', '--admin', 'admin@acme.example', '--plan', 'team');
  expect(created.stderr).toBe('');
  expect(created.code).toBe(0);
  const link = /^\s+(http:\/\/\S+)$/m.exec(created.stdout)?.[1] as string;
  expect(link).toMatch(new RegExp(`^http://localhost:${server?.port}/sso/acme/setup/rsl_`));

  await server?.restart();
  const url = link.replace('localhost', '127.0.0.1');
  const signedIn = await fetch(url, { method: 'POST', redirect: 'manual' });
  expect(signedIn.status).toBe(303);
  const cookie = signedIn.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] as string)
    .find((c) => c.startsWith('roster_session=rss_')) as string;
  const org = await fetch(`${server?.origin}/api/v1/orgs/acme`, { headers: { Cookie: cookie } });
  expect(org.status).toBe(200);
  expect(await org.json()).toMatchObject({ slug: 'acme', plan: 'team' });
  expect((await fetch(url, { method: 'POST', redirect: 'manual' })).status).toBe(410);

  await server?.stop();
  const log = readFileSync(server?.logFile as string, 'utf8');
  expect(log).not.toContain(link.split('/').pop()?.split('.')[1]);
  expect(server?.errorLines()).toEqual([]);
}, 120_000);
