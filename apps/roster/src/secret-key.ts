/**
 * The server's secret key, which seals secrets Roster must be able to read back (the identity
 * provider's OIDC client secret). Production sets ROSTER_SECRET_KEY (32 random bytes, base64) in
 * every process; without it a key is generated once and kept beside the data, which suits one
 * machine (the embedded database, a trial) and is logged as a warning otherwise.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { secretKeyFrom } from '@roster/auth/secret-box';

export interface SecretKeySource {
  key: Buffer;
  origin: 'environment' | 'file' | 'generated';
}

export function loadSecretKey(env: NodeJS.ProcessEnv, dataDir: string): SecretKeySource {
  if (env.ROSTER_SECRET_KEY) return { key: secretKeyFrom(env.ROSTER_SECRET_KEY), origin: 'environment' };
  const file = join(dataDir.startsWith('memory://') ? '.data' : dirname(dataDir), 'secret-key');
  if (existsSync(file)) return { key: secretKeyFrom(readFileSync(file, 'utf8').trim()), origin: 'file' };
  const key = randomBytes(32);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600 });
  return { key, origin: 'generated' };
}
