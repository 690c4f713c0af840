/**
 * The benchmark's data, loaded in bulk: one SQL statement per batch of rows, never one request per
 * row. Rows look exactly like those a SCIM create writes (the same columns, `data` and email rows),
 * so the server reads them as its own.
 */
import type { Database } from '@roster/db';
import { createScimKey } from '@roster/directory/api-keys';
import { enableScimProvisioning } from '@roster/directory/identity';
import { createOrganization } from '@roster/directory/organizations';
import { type Kysely, sql } from 'kysely';

type Db = Kysely<Database>;

export interface BenchOrganization {
  id: string;
  slug: string;
  /** A system key with the scim scope: `Bearer <token>`. */
  token: string;
}

export const userName = (n: number) => `user${n}@bench.example`;

/** An organization set up for SCIM with the HTTP Header method, as the operator CLI does it. */
export async function createBenchOrganization(db: Db, slug: string): Promise<BenchOrganization> {
  const org = await createOrganization(db, { slug });
  await enableScimProvisioning(db, org.id);
  return { id: org.id, slug, token: await createScimKey(db, org.id, 'bench') };
}

const BATCH_ROWS = 100_000;
const BULK_TABLES = ['members', 'member_emails'];

/**
 * Runs a bulk load with the secondary indexes of `members` and `member_emails` dropped, then
 * rebuilds them from their own definitions: one sorted build instead of a million random inserts.
 * (Constraint indexes stay: they guard the data.)
 */
async function withIndexesDeferred(db: Db, load: () => Promise<void>): Promise<void> {
  const { rows } = await sql<{ name: string; definition: string }>`
    select i.indexname as name, i.indexdef as definition from pg_indexes i
    where i.schemaname = current_schema() and i.tablename = any(${BULK_TABLES})
      and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`.execute(db);
  for (const index of rows) await sql`drop index ${sql.id(index.name)}`.execute(db);
  try {
    await load();
  } finally {
    for (const index of rows) await sql.raw(index.definition).execute(db);
  }
}

/**
 * Users `user1@bench.example` … `user<count>@bench.example` in each organization, in creation
 * order (the order SCIM lists them), with their email rows.
 */
export async function loadUsers(
  db: Db,
  orgIds: string[],
  count: number,
  progress: (loaded: number) => void = () => {},
): Promise<void> {
  const perBatch = Math.max(1, Math.floor(BATCH_ROWS / orgIds.length));
  await withIndexesDeferred(db, async () => {
    for (let from = 1; from <= count; from += perBatch) {
      const to = Math.min(count, from + perBatch - 1);
      await sql`
      with inserted as (
        insert into members (org_id, id, user_name, external_id, display_name, data, created_at, updated_at)
        select o.org_id, gen_random_uuid(), u.name, 'ext-' || s.n, 'Bench User ' || s.n,
          jsonb_build_object(
            'userName', u.name, 'externalId', 'ext-' || s.n, 'displayName', 'Bench User ' || s.n,
            'name', jsonb_build_object('givenName', 'Bench', 'familyName', 'User ' || s.n),
            'emails', jsonb_build_array(jsonb_build_object('value', u.name, 'type', 'work', 'primary', true)),
            'active', true),
          u.at, u.at
        from unnest(${orgIds}::uuid[]) as o(org_id)
        cross join generate_series(${from}::int, ${to}::int) as s(n)
        cross join lateral (select 'user' || s.n || '@bench.example' as name, clock_timestamp() as at) as u
        returning org_id, id, user_name
      )
      insert into member_emails (org_id, member_id, position, value, type)
      select org_id, id, 0, user_name, 'work' from inserted`.execute(db);
      progress(to * orgIds.length);
    }
  });
}

/** A group whose members are the organization's first `members` users; returns its id. */
export async function loadGroup(
  db: Db,
  orgId: string,
  displayName: string,
  members: number,
): Promise<string> {
  const id = crypto.randomUUID();
  await db
    .insertInto('groups')
    .values({ org_id: orgId, id, display_name: displayName, data: JSON.stringify({ displayName }) })
    .execute();
  await sql`
    insert into group_members (org_id, group_id, member_id)
    select org_id, ${id}::uuid, id from members where org_id = ${orgId}::uuid
    order by created_at, id limit ${members}`.execute(db);
  return id;
}

/** The ids of the organization's users `from` … `from + count - 1` (creation order), in one query. */
export async function userIds(db: Db, orgId: string, from: number, count: number): Promise<string[]> {
  const names = Array.from({ length: count }, (_, i) => userName(from + i));
  const rows = await db
    .selectFrom('members')
    .select(['id', 'user_name'])
    .where('org_id', '=', orgId)
    .where(sql<string>`lower(user_name)`, '=', sql<string>`any(${names})`)
    .execute();
  const byName = new Map(rows.map((row) => [row.user_name, row.id]));
  return names.map((name) => {
    const id = byName.get(name);
    if (!id) throw new Error(`No bench user ${name}`);
    return id;
  });
}

/** Fresh statistics and visibility map after a bulk load, as autovacuum would leave them. */
export async function vacuumAnalyze(db: Db): Promise<void> {
  await sql`vacuum (analyze) members, member_emails, groups, group_members, organizations, api_keys`.execute(
    db,
  );
}
