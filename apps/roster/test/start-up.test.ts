/**
 * The start-up refusals on the real process (`dist/main.js`, built like the fault tests'):
 * on PostgreSQL, production by default, Roster refuses to start without PUBLIC_URL and
 * ROSTER_SECRET_KEY, and in development it refuses a key file others may read, each time with a
 * message that names what to set, before it touches the database.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {} from '@roster/testkit/vitest-global-setup';
import { expect, inject, it } from 'vitest';

const ROSTER_MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

function run(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [ROSTER_MAIN], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', ROSTER_DEMO: 'false', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    }),
  );
}

it('on PostgreSQL without PUBLIC_URL and ROSTER_SECRET_KEY, exits 1 naming both settings', async () => {
  const { code, stderr } = await run({ DATABASE_URL: inject('databaseUrl') });
  expect(code).toBe(1);
  expect(stderr).toContain('PUBLIC_URL is not set: set it to the URL clients reach Roster at');
  expect(stderr).toContain('ROSTER_SECRET_KEY is not set: set it to 32 random bytes');
});

it('with only the secret key missing, exits 1 naming ROSTER_SECRET_KEY', async () => {
  const { code, stderr } = await run({
    DATABASE_URL: inject('databaseUrl'),
    PUBLIC_URL: 'https://roster.example.com',
  });
  expect(code).toBe(1);
  expect(stderr).not.toContain('PUBLIC_URL');
  expect(stderr).toContain('ROSTER_SECRET_KEY is not set');
});

it('refuses a PUBLIC_URL with a path, and a generated key file others may read (development)', async () => {
  const withPath = await run({
    DATABASE_URL: inject('databaseUrl'),
    PUBLIC_URL: 'https://example.com/roster',
  });
  expect(withPath.code).toBe(1);
  expect(withPath.stderr).toContain('PUBLIC_URL must be an origin without a path');

  const dir = mkdtempSync(join(tmpdir(), 'roster-start-'));
  mkdirSync(join(dir, 'data'));
  const file = join(dir, 'data', 'secret-key');
  writeFileSync(file, `${Buffer.alloc(32, 1).toString('base64')}\n`);
  chmodSync(file, 0o644);
  const loose = await run({
    DATABASE_URL: inject('databaseUrl'),
    ROSTER_ENV: 'development',
    ROSTER_DATA_DIR: join(dir, 'data', 'pglite'),
  });
  expect(loose.code).toBe(1);
  expect(loose.stderr).toContain(`run \`chmod 600 ${file}\``);
});
