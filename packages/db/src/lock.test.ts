import { mkdirSync, utimesSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_DIR_LOCK_STALE_MS, DataDirLockedError } from './lock.js';
import { openDatabase } from './open.js';

const folder = async () => join(await mkdtemp(join(tmpdir(), 'roster-lock-')), 'pglite');

describe('the embedded database folder lock', () => {
  it('refuses a second opening of the same folder while the first is open, and allows it after close', async () => {
    const dataDir = await folder();
    const first = await openDatabase({ dataDir });
    try {
      const second = openDatabase({ dataDir });
      await expect(second).rejects.toBeInstanceOf(DataDirLockedError);
      await expect(second).rejects.toThrow(/in use by another Roster process/);
    } finally {
      await first.close();
    }
    const again = await openDatabase({ dataDir });
    await again.close();
  });

  it('takes over the lock a killed process left behind once it is stale, waiting for that at most', async () => {
    const dataDir = await folder();
    // What a process killed with SIGKILL leaves: the lock folder, no longer refreshed.
    mkdirSync(dataDir, { recursive: true });
    mkdirSync(`${dataDir}.lock`);
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${dataDir}.lock`, old, old);
    const handle = await openDatabase({ dataDir });
    await handle.close();
  });

  it('makes a server wait for a lock that is still fresh, then start once it goes stale', async () => {
    const dataDir = await folder();
    mkdirSync(dataDir, { recursive: true });
    // Fresh, last refreshed by a process that then died: stale in 4 s.
    mkdirSync(`${dataDir}.lock`);
    const refreshed = new Date(Date.now() - DATA_DIR_LOCK_STALE_MS + 4_000);
    utimesSync(`${dataDir}.lock`, refreshed, refreshed);
    await expect(openDatabase({ dataDir })).rejects.toBeInstanceOf(DataDirLockedError);
    const started = Date.now();
    const handle = await openDatabase({ dataDir, lock: { waitMs: DATA_DIR_LOCK_STALE_MS + 5_000 } });
    expect(Date.now() - started).toBeGreaterThan(2_000);
    await handle.close();
  }, 30_000);
});
