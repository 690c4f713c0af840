/**
 * The embedded database's folder belongs to one process at a time. PGlite is PostgreSQL in the
 * process: two processes opening one folder each write their own copy of it, and one side's
 * writes are lost (seen: the CLI's `create-org` next to a running server, gone after a restart).
 * So whoever opens a PGlite folder first holds a lock on it (`<folder>.lock`, proper-lockfile: an
 * atomic mkdir whose mtime the holder refreshes); anyone else is refused with a clear error.
 * A lock left by a killed process is stale once its mtime is older than STALE_MS, and taken over.
 */
import lockfile from 'proper-lockfile';

/** A lock not refreshed for this long belongs to a process that died. */
// Long enough that a live server never looks dead: PGlite's start-up (WebAssembly compilation)
// can hold the event loop, and with it the lock's refresh, for seconds on a busy machine (seen:
// 10 s went by under the test suite's load and a second process took the lock over).
const STALE_MS = 30_000;
const REFRESH_MS = 5_000;

export class DataDirLockedError extends Error {
  readonly code = 'ROSTER_DATA_DIR_LOCKED';
  constructor(readonly dataDir: string) {
    super(
      `The embedded database in ${dataDir} is in use by another Roster process (is the server running?). ` +
        'Only one process may open it at a time: stop that process first, or use PostgreSQL (DATABASE_URL), ' +
        'which any number of processes share.',
    );
  }
}

export interface DataDirLockOptions {
  /**
   * How long to keep trying while another process holds the lock: 0 refuses at once (the CLI);
   * a server waits past STALE_MS, so that it starts after a crash of the previous one.
   */
  waitMs?: number;
  /** Called when another process took the lock over (this one stalled past STALE_MS); the default throws. */
  onLost?: (error: Error) => void;
}

/** Takes the folder's lock; resolves to its release. Rejects with DataDirLockedError while another process holds it. */
export async function lockDataDir(
  dataDir: string,
  { waitMs = 0, onLost }: DataDirLockOptions = {},
): Promise<() => Promise<void>> {
  const retries = waitMs > 0 ? { retries: Math.ceil(waitMs / 500), minTimeout: 500, maxTimeout: 500 } : 0;
  try {
    return await lockfile.lock(dataDir, {
      lockfilePath: `${dataDir.replace(/[/\\]+$/, '')}.lock`,
      realpath: false,
      stale: STALE_MS,
      update: REFRESH_MS,
      retries,
      ...(onLost ? { onCompromised: onLost } : {}),
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'ELOCKED') throw new DataDirLockedError(dataDir);
    throw error;
  }
}

/** The time after which a dead process's lock is taken over: a server waits at least this long at start. */
export const DATA_DIR_LOCK_STALE_MS = STALE_MS;
