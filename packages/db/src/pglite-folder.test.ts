import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { connectDatabase } from './connect.js';

it("creates PGlite's folder, and the folders above it, owner-only (0700) whatever the umask", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-pglite-'));
  const dataDir = join(dir, 'data', 'pglite');
  const previous = process.umask(0o000);
  let handle: ReturnType<typeof connectDatabase>;
  try {
    handle = connectDatabase({ dataDir });
  } finally {
    process.umask(previous);
  }
  try {
    await sql`select 1`.execute(handle.db);
  } finally {
    await handle.close();
  }
  expect(statSync(join(dir, 'data')).mode & 0o777).toBe(0o700);
  expect(statSync(dataDir).mode & 0o777).toBe(0o700);
});
