/**
 * Citus: Roster distributes its own schema. When the database has the `citus` extension, every
 * table with an `org_id` column becomes a distributed table, hash-distributed by `org_id` and
 * colocated with the others (one organization's rows share a shard, so a request's joins and
 * transactions stay on one worker); `organizations` and any other table without `org_id` (data no
 * organization owns) become reference tables, copied to every worker. Kysely's migration
 * bookkeeping stays on the coordinator. The plan is read from the catalog, so a table added by a
 * later migration is distributed the next time this runs, without a change here.
 *
 * Citus cannot distribute a table while foreign keys tie it to tables it has not distributed yet
 * (a table referencing a reference table becomes a "Citus local table", which create_distributed_table
 * then refuses), so the foreign keys of every table to change are dropped, the tables distributed,
 * and the same keys added back, all in one transaction: a failure leaves the schema as it was.
 *
 * On plain PostgreSQL and PGlite this does nothing.
 */
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: catalog queries only; callers pass any Kysely (migrations pass Kysely<any>)
type AnyDb = Kysely<any>;

/** Tables Citus must leave on the coordinator: Kysely's migration bookkeeping. */
const COORDINATOR_ONLY = new Set(['kysely_migration', 'kysely_migration_lock']);

/** The column every tenant table is distributed by. */
export const DISTRIBUTION_COLUMN = 'org_id';

export type CitusPlacement = 'distributed' | 'reference';

interface TableState {
  name: string;
  has_org_id: boolean;
  /** pg_dist_partition's partmethod: `h` hash-distributed, `n` reference or Citus local; null: a plain table. */
  partmethod: string | null;
  /** `t` for reference tables. */
  repmodel: string | null;
  colocationid: number | null;
}

/** Whether the database has the citus extension (false on plain PostgreSQL and PGlite). */
export async function hasCitus(db: AnyDb): Promise<boolean> {
  const { rows } = await sql<{ citus: boolean }>`
    select exists (select 1 from pg_extension where extname = 'citus') as citus`.execute(db);
  return rows[0]?.citus === true;
}

/** What each table of the schema should be on Citus. */
export function placementOf(table: { name: string; has_org_id: boolean }): CitusPlacement {
  return table.has_org_id ? 'distributed' : 'reference';
}

function currentPlacement(table: TableState): CitusPlacement | 'local' | 'other' {
  if (table.partmethod === null) return 'local';
  if (table.partmethod === 'h') return 'distributed';
  if (table.partmethod === 'n' && table.repmodel === 't') return 'reference';
  // Citus local tables (partmethod n, colocation 0) and anything else Citus knows of.
  return table.colocationid === 0 ? 'local' : 'other';
}

interface ForeignKey {
  table: string;
  references: string;
  name: string;
  definition: string;
}

export interface DistributionResult {
  /** Tables made reference tables by this run. */
  reference: string[];
  /** Tables distributed by org_id by this run. */
  distributed: string[];
}

/**
 * On a database with the citus extension: makes every table what it should be (see the module
 * comment), idempotently; returns what changed (nothing when already done). Elsewhere: nothing.
 * Runs on the coordinator; the migrator calls it after migrating.
 */
export async function distributeSchema(db: AnyDb): Promise<DistributionResult> {
  if (!(await hasCitus(db))) return { reference: [], distributed: [] };
  return db.transaction().execute((trx) => distributeInTransaction(trx));
}

/**
 * distributeSchema() inside the caller's transaction, for a migration on a database already
 * distributed that adds a tenant table with an identity column and a foreign key: Citus turns such
 * a table into a Citus local table at its first key to a reference table, and cannot distribute it
 * afterwards (it would have to undistribute it first, which it refuses for an identity column). So
 * that migration creates the table without its keys, calls this, then adds them. Call it only
 * where hasCitus() is true.
 */
export async function distributeInTransaction(trx: AnyDb): Promise<DistributionResult> {
  const result: DistributionResult = { reference: [], distributed: [] };
  // One distributor at a time (processes starting together); the others then find nothing to do.
  await sql`select pg_advisory_xact_lock(hashtext('roster: citus distribution'))`.execute(trx);
  // One connection per worker for the whole transaction: Citus refuses DDL on a table after a
  // parallel (one connection per shard) operation in the same transaction.
  await sql`set local citus.multi_shard_modify_mode to 'sequential'`.execute(trx);
  const { rows: tables } = await sql<TableState>`
    select c.relname as name,
      exists (select 1 from pg_attribute a
              where a.attrelid = c.oid and a.attname = ${DISTRIBUTION_COLUMN} and not a.attisdropped) as has_org_id,
      p.partmethod::text as partmethod, p.repmodel::text as repmodel, p.colocationid
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    left join pg_dist_partition p on p.logicalrelid = c.oid
    where n.nspname = current_schema() and c.relkind in ('r', 'p') and not c.relispartition
    order by c.relname`.execute(trx);
  const pending = tables.filter(
    (table) => !COORDINATOR_ONLY.has(table.name) && currentPlacement(table) !== placementOf(table),
  );
  if (pending.length === 0) return result;
  const other = pending.find((table) => currentPlacement(table) === 'other');
  if (other) {
    throw new Error(
      `Citus: table ${other.name} is distributed in a way Roster does not manage; make it a plain table first`,
    );
  }

  // Every foreign key from or to a table about to change, as its definition, to add back after.
  const names = pending.map((table) => table.name);
  const { rows: foreignKeys } = await sql<ForeignKey>`
    select conrelid::regclass::text as table, confrelid::regclass::text as references, conname as name,
      pg_get_constraintdef(oid) as definition
    from pg_constraint
    where contype = 'f' and connamespace = current_schema()::regnamespace
      and (conrelid::regclass::text = any(${names}) or confrelid::regclass::text = any(${names}))
    order by conrelid::regclass::text, conname`.execute(trx);
  // A Citus local table's keys to a reference table stay (create_distributed_table accepts them;
  // dropping the last one would make Citus undistribute it, which it refuses for an identity column).
  const byName = new Map(tables.map((t) => [t.name, t]));
  const keepsDuring = (key: ForeignKey) => {
    const from = byName.get(key.table);
    const to = byName.get(key.references);
    return (
      from !== undefined &&
      to !== undefined &&
      currentPlacement(from) === 'local' &&
      from.partmethod !== null &&
      currentPlacement(to) === 'reference'
    );
  };

  for (const key of foreignKeys) {
    if (keepsDuring(key)) continue;
    await sql`alter table ${sql.id(key.table)} drop constraint ${sql.id(key.name)}`.execute(trx);
  }

  // Reference tables first: distributed tables' keys point at them.
  for (const table of pending.filter((t) => placementOf(t) === 'reference')) {
    await sql`select create_reference_table(${table.name})`.execute(trx);
    result.reference.push(table.name);
  }
  // Colocated with a table already distributed, else with the first one distributed now.
  let anchor = tables.find(
    (t) => !COORDINATOR_ONLY.has(t.name) && currentPlacement(t) === 'distributed',
  )?.name;
  for (const table of pending.filter((t) => placementOf(t) === 'distributed')) {
    await sql`select create_distributed_table(${table.name}, ${DISTRIBUTION_COLUMN}, colocate_with => ${anchor ?? 'none'})`.execute(
      trx,
    );
    anchor ??= table.name;
    result.distributed.push(table.name);
  }

  for (const key of foreignKeys) {
    if (keepsDuring(key)) continue;
    await sql`alter table ${sql.id(key.table)} add constraint ${sql.id(key.name)} ${sql.raw(key.definition)}`.execute(
      trx,
    );
  }
  return result;
}
