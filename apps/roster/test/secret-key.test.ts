import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadSecretKey } from '../src/secret-key.js';

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

it('creates the folders it needs owner-only (0700) and the file 0600, whatever the umask', () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-key-'));
  const previous = process.umask(0o000);
  try {
    loadSecretKey({}, join(dir, 'data', 'pglite'));
  } finally {
    process.umask(previous);
  }
  expect(statSync(join(dir, 'data')).mode & 0o777).toBe(0o700);
  expect(statSync(join(dir, 'data', 'secret-key')).mode & 0o777).toBe(0o600);
});

it('refuses a key file that others may read or write, saying how to fix it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-key-'));
  mkdirSync(join(dir, 'data'));
  const file = join(dir, 'data', 'secret-key');
  writeFileSync(file, `${Buffer.alloc(32, 9).toString('base64')}\n`);
  for (const mode of [0o644, 0o640, 0o604, 0o620]) {
    chmodSync(file, mode);
    expect(() => loadSecretKey({}, join(dir, 'data', 'pglite')), mode.toString(8)).toThrow(
      `run \`chmod 600 ${file}\``,
    );
  }
  chmodSync(file, 0o600);
  expect(loadSecretKey({}, join(dir, 'data', 'pglite'))).toEqual({
    key: Buffer.alloc(32, 9),
    origin: 'file',
  });
  chmodSync(file, 0o400);
  expect(loadSecretKey({}, join(dir, 'data', 'pglite')).origin).toBe('file');
});
