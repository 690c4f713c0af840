/**
 * `npm start`'s last line: `Console: <url>`, a one-time sign-in link for the demo manager that
 * lands in the console. Roster started as npm start starts it (dist/main.js, the demo on), here on
 * a database of its own.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createDatabase } from '@roster/testkit/postgres';
import { expect, test } from './fixtures';
import { environment, ROSTER_DIST, SECRET_KEY } from './roster';

test('npm start prints a Console link that signs the demo manager in to the console, once', async ({
  page,
}) => {
  const { databaseUrl } = environment();
  const databaseName = `start_${Date.now().toString(36)}`;
  const url = await createDatabase(new URL('/postgres', databaseUrl).href, databaseName);
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  let child: ChildProcess | undefined;
  try {
    child = spawn(process.execPath, [join(ROSTER_DIST, 'main.js')], {
      env: {
        ...process.env,
        DATABASE_URL: url,
        ROSTER_DEMO: 'true',
        PUBLIC_URL: `http://localhost:${port}`,
        ROSTER_SECRET_KEY: SECRET_KEY,
        HOST: '127.0.0.1',
        PORT: String(port),
        SIGN_IN_RATE_LIMIT_PER_ADDRESS: '0',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no Console line in:\n${out}`)), 30_000);
      child?.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        const found = /^Console: (\S+)$/m.exec(out)?.[1];
        if (found) {
          clearTimeout(timer);
          resolve(found);
        }
      });
    });
    expect(out).toMatch(/^Portal API token: rsk_\S+\nConsole: /m);
    expect(line).toMatch(new RegExp(`^http://localhost:${port}/sso/demo/setup/rsl_`));
    await page.goto(line);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`http://localhost:${port}/console/demo/`);
    await expect(page.getByRole('banner')).toContainText('admin@demo.example.com');
    // One time only.
    await page.goto(line);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Sign-in refused' })).toBeVisible();
    await expect(page.getByText('This setup link has already been used.')).toBeVisible();
  } finally {
    child?.kill('SIGTERM');
  }
});
