import { hkdfSync, randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { accessTokenKey } from './access-tokens.js';
import { deriveKey } from './server-keys.js';

it('derives a different 32-byte key for each use, none of them the server secret', () => {
  const secret = randomBytes(32);
  const keys = (['secret-box', 'cookie', 'access-token'] as const).map((purpose) =>
    deriveKey(secret, purpose),
  );
  const distinct = new Set([secret, ...keys].map((key) => key.toString('hex')));
  expect(distinct.size).toBe(4);
  for (const key of keys) expect(key).toHaveLength(32);
  // Stable: the same secret gives the same keys (every process, every restart).
  expect(deriveKey(Buffer.from(secret), 'cookie').equals(keys[1] as Buffer)).toBe(true);
  expect(deriveKey(randomBytes(32), 'cookie').equals(keys[1] as Buffer)).toBe(false);
});

it('keeps the access-token key access tokens were signed with before (tokens outlive an upgrade)', () => {
  const secret = randomBytes(32);
  const before = new Uint8Array(hkdfSync('sha256', secret, 'roster', 'oauth access token signing', 32));
  expect(accessTokenKey(secret)).toEqual(before);
});
