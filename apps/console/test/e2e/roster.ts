/**
 * A real Roster for the browser tests: apps/roster/dist/main.js (the console built beside it) in
 * its own process, with production settings, on a database of the testkit's throwaway PostgreSQL.
 * Organizations are made the way an operator makes them: the CLI, which prints the setup link.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const ROSTER_DIST = fileURLToPath(new URL('../../../roster/dist/', import.meta.url));
export const SECRET_KEY = Buffer.alloc(32, 7).toString('base64');

export interface E2eEnvironment {
  origin: string;
  databaseUrl: string;
}

/** What global-setup started, for the tests (passed through the environment). */
export function environment(): E2eEnvironment {
  const origin = process.env.CONSOLE_E2E_ORIGIN;
  const databaseUrl = process.env.CONSOLE_E2E_DATABASE_URL;
  if (!origin || !databaseUrl)
    throw new Error('The browser tests run through playwright.config.ts (global-setup).');
  return { origin, databaseUrl };
}

let counter = 0;
/** A new organization's slug, unique in the run. */
export const uniqueSlug = (prefix: string) =>
  `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter++}`;

/** The operator CLI (`roster create-org`, `set-plan`, …) on the test's database; its stdout. */
export async function operator(args: string[]): Promise<string> {
  const { origin, databaseUrl } = environment();
  const { stdout } = await run(process.execPath, [join(ROSTER_DIST, 'cli.js'), ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PUBLIC_URL: origin, ROSTER_SECRET_KEY: SECRET_KEY },
  });
  return stdout;
}

/** Creates an organization and its first manager; the manager's one-time setup link. */
export async function createOrganization(
  slug: string,
  options: { admin?: string; plan?: 'free' | 'team' | 'enterprise' } = {},
): Promise<{ slug: string; admin: string; setupLink: string }> {
  const admin = options.admin ?? `admin@${slug}.example.com`;
  const out = await operator(['create-org', slug, '--admin', admin, '--plan', options.plan ?? 'enterprise']);
  const setupLink = /(https?:\/\/\S+\/sso\/\S+\/setup\/\S+)/.exec(out)?.[1];
  if (!setupLink) throw new Error(`create-org printed no setup link:\n${out}`);
  return { slug, admin, setupLink };
}

export const workDir = () => mkdtempSync(join(tmpdir(), 'console-e2e-'));
