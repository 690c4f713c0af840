/**
 * Which Chromium the browser tests drive (Playwright's own download is not used): the machine's
 * (Debian's `chromium` package, /usr/bin/chromium, or CHROMIUM_PATH) first, else the one the
 * @sparticuz/chromium npm package ships, so a clone with only Node.js and npm runs them too.
 * No Chromium at all fails the run: the browser tests are never skipped silently.
 * CONSOLE_CHROMIUM=bundled skips the machine's, to try the npm package's where both exist.
 */
import { existsSync } from 'node:fs';

/** Headless, and nothing the tests don't need: no sandbox (root in CI), GPU, QUIC, background traffic. */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** @sparticuz/chromium's args (made for AWS Lambda) that the tests leave out. */
const DROPPED = [
  '--single-process',
  '--disable-web-security',
  '--allow-running-insecure-content',
  '--disable-site-isolation-trials',
  '--headless',
];

const MACHINE = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

export async function findChromium(): Promise<{ executablePath: string; args: string[]; source: string }> {
  const machine = process.env.CONSOLE_CHROMIUM === 'bundled' ? [] : MACHINE;
  for (const path of machine) {
    if (path && existsSync(path)) return { executablePath: path, args: CHROMIUM_ARGS, source: path };
  }
  try {
    const { default: chromium } = await import('@sparticuz/chromium');
    const executablePath = await chromium.executablePath();
    // Its own args, less those that would change what the tests see: one process (a closed
    // context ends the browser), web security and mixed-content checks off (the CSP under test),
    // its own headless mode (ours is set below).
    const args = chromium.args.filter((arg) => !DROPPED.some((dropped) => arg.startsWith(dropped)));
    return {
      executablePath,
      args: [...new Set([...args, ...CHROMIUM_ARGS])],
      source: `@sparticuz/chromium (${executablePath})`,
    };
  } catch (error) {
    throw new Error(
      `No Chromium for the console's browser tests: none at ${MACHINE.filter(Boolean).join(' or ')}, and @sparticuz/chromium could not provide one (${(error as Error).message}). Install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH.`,
    );
  }
}
