/**
 * Which Chromium the browser tests drive (Playwright's own download is not used): the machine's
 * (Debian's `chromium` package, /usr/bin/chromium, or CHROMIUM_PATH) first, else the one the
 * @sparticuz/chromium npm package ships, so a clone with only Node.js and npm runs them too.
 * No Chromium at all fails the run: the browser tests are never skipped silently.
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

const MACHINE = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

export async function findChromium(): Promise<{ executablePath: string; args: string[]; source: string }> {
  for (const path of MACHINE) {
    if (path && existsSync(path)) return { executablePath: path, args: CHROMIUM_ARGS, source: path };
  }
  try {
    const { default: chromium } = await import('@sparticuz/chromium');
    const executablePath = await chromium.executablePath();
    // Its own args (the shared libraries it unpacked, single-process settings) then ours.
    return {
      executablePath,
      args: [...new Set([...chromium.args, ...CHROMIUM_ARGS])],
      source: `@sparticuz/chromium (${executablePath})`,
    };
  } catch (error) {
    throw new Error(
      `No Chromium for the console's browser tests: none at ${MACHINE.filter(Boolean).join(' or ')}, and @sparticuz/chromium could not provide one (${(error as Error).message}). Install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH.`,
    );
  }
}
