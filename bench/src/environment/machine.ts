/** What a run measures and on what: the Roster build it starts, this machine and its PostgreSQL. */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Database } from '@roster/db';
import { type Kysely, sql } from 'kysely';

/** Roster as production runs it (`npm run build` first), started in its own process. */
export const ROSTER_MAIN = fileURLToPath(new URL('../../../apps/roster/dist/main.js', import.meta.url));

export interface Machine {
  cpus: number;
  node: string;
  postgres: string;
}

/** The machine's CPUs, Node's version and the server's: what a report's figures depend on. */
export async function describeMachine(db: Kysely<Database>): Promise<Machine> {
  const version = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db);
  return { cpus: availableParallelism(), node: process.version, postgres: version.rows[0]?.v ?? 'unknown' };
}
