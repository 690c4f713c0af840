/**
 * The server's secret key, from which the keys that seal stored secrets, sign OAuth access tokens
 * and seal sign-in cookies are derived (@roster/auth/server-keys). Production sets
 * ROSTER_SECRET_KEY (32 random bytes, base64), the same in every process, and refuses to start
 * without it (production-settings.ts); in development a key is generated once and kept beside the
 * data, readable by its owner only.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { secretKeyFrom } from '@roster/auth/secret-box';

export interface SecretKeySource {
  key: Buffer;
  origin: 'environment' | 'file' | 'generated';
}

/** Where the generated key lives: beside PGlite's folder (`.data/secret-key` by default). */
export function secretKeyFile(dataDir: string): string {
  return join(dataDir.startsWith('memory://') ? '.data' : dirname(dataDir), 'secret-key');
}

export function loadSecretKey(env: NodeJS.ProcessEnv, dataDir: string): SecretKeySource {
  if (env.ROSTER_SECRET_KEY) return { key: secretKeyFrom(env.ROSTER_SECRET_KEY), origin: 'environment' };
  const file = secretKeyFile(dataDir);
  const existing = readKeyFile(file);
  if (existing) return { key: existing, origin: 'file' };
  const key = randomBytes(32);
  // Folders it creates are the owner's only (0700), the file 0600 (the umask can only narrow them).
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process starting beside this one wrote it first: use theirs.
    const theirs = (error as NodeJS.ErrnoException).code === 'EEXIST' ? readKeyFile(file) : undefined;
    if (theirs) return { key: theirs, origin: 'file' };
    throw error;
  }
  return { key, origin: 'generated' };
}

/** The key in `file`, refused when anyone but its owner may read or write it; undefined if absent. */
function readKeyFile(file: string): Buffer | undefined {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if ((mode & 0o077) !== 0) {
    throw new Error(
      `The secret key file ${file} is open to other users (mode ${(mode & 0o777).toString(8)}): run \`chmod 600 ${file}\`, or set ROSTER_SECRET_KEY instead.`,
    );
  }
  return secretKeyFrom(readFileSync(file, 'utf8').trim());
}
