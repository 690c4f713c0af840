import { mkdirSync, utimesSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_DIR_LOCK_STALE_MS, DataDirLockedError, lockDataDir } from './lock.js';
import { openDatabase } from './open.js';

const folder = async () => join(await mkdtemp(join(tmpdir(), 'roster-lock-')), 'pglite');

// Only the first test starts PGlite (seconds, more under load); the others exercise the lock itself.
describe('the embedded database folder lock', () => {
  it('is held by an open database: another opener is refused while it is open, and the lock is free after close', async () => {
    const dataDir = await folder();
    const first = await openDatabase({ dataDir });
    try {
      const second = lockDataDir(dataDir);
      await expect(second).rejects.toBeInstanceOf(DataDirLockedError);
      await expect(second).rejects.toThrow(/in use by another Roster process/);
    } finally {
      await first.close();
    }
    const release = await lockDataDir(dataDir);
    await release();
  }, 120_000);

  it('refuses to open a database whose folder another process holds, before starting anything', async () => {
    const dataDir = await folder();
    const release = await lockDataDir(dataDir);
    try {
      await expect(openDatabase({ dataDir })).rejects.toBeInstanceOf(DataDirLockedError);
    } finally {
      await release();
    }
  });

  it('takes over the lock a killed process left behind once it is stale', async () => {
    const dataDir = await folder();
    // What a process killed with SIGKILL leaves: the lock folder, no longer refreshed.
    mkdirSync(dataDir, { recursive: true });
    mkdirSync(`${dataDir}.lock`);
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${dataDir}.lock`, old, old);
    const release = await lockDataDir(dataDir);
    await release();
  });

  it('makes a server wait for a lock that is still fresh, then take it once it goes stale', async () => {
    const dataDir = await folder();
    mkdirSync(dataDir, { recursive: true });
    // Fresh, last refreshed by a process that then died: stale in 4 s.
    mkdirSync(`${dataDir}.lock`);
    const refreshed = new Date(Date.now() - DATA_DIR_LOCK_STALE_MS + 4_000);
    utimesSync(`${dataDir}.lock`, refreshed, refreshed);
    await expect(lockDataDir(dataDir)).rejects.toBeInstanceOf(DataDirLockedError);
    const started = Date.now();
    const release = await lockDataDir(dataDir, { waitMs: DATA_DIR_LOCK_STALE_MS + 5_000 });
    expect(Date.now() - started).toBeGreaterThan(2_000);
    await release();
  }, 60_000);
});
