import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadSecretKey } from './secret-key.js';

it('prefers ROSTER_SECRET_KEY, else generates a key once beside the data and reuses it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-key-'));
  const dataDir = join(dir, 'pglite');
  const first = loadSecretKey({}, dataDir);
  expect(first.origin).toBe('generated');
  expect(first.key).toHaveLength(32);
  expect(statSync(join(dir, 'secret-key')).mode & 0o077).toBe(0);
  const second = loadSecretKey({}, dataDir);
  expect(second).toEqual({ key: first.key, origin: 'file' });
  const configured = Buffer.alloc(32, 7).toString('base64');
  expect(loadSecretKey({ ROSTER_SECRET_KEY: configured }, dataDir)).toEqual({
    key: Buffer.alloc(32, 7),
    origin: 'environment',
  });
  expect(readFileSync(join(dir, 'secret-key'), 'utf8').trim()).toBe(first.key.toString('base64'));
  expect(() => loadSecretKey({ ROSTER_SECRET_KEY: 'short' }, dataDir)).toThrow(/32 random bytes/);
});
