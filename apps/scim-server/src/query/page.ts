import type { Database } from '@roster/db';
import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';

export interface Page<T> {
  rows: T[];
  total: number;
}

export interface PageRequest {
  where: RawBuilder<SqlBool> | undefined;
  order: RawBuilder<unknown> | undefined;
  descending: boolean;
  offset: number;
  limit: number;
}

/**
 * One page of a resource table for one organization, with the total. The total rides along on
 * each row (`count(*) over ()`), so a lookup is a single query; only a page past the end needs a
 * second one. Without `sortBy`, rows come in creation order (indexed, and stable across pages).
 */
export async function selectPage<T>(
  db: Kysely<Database>,
  table: 'members' | 'groups',
  alias: 'm' | 'g',
  orgId: string,
  request: PageRequest,
): Promise<Page<T>> {
  const from = sql`${sql.table(table)} as ${sql.raw(alias)}`;
  const a = sql.raw(alias);
  const condition = request.where ?? sql<SqlBool>`true`;
  const direction = sql.raw(request.descending ? 'desc' : 'asc');
  const orderBy = request.order
    ? sql`${request.order} ${direction} nulls last, ${a}.id`
    : sql`${a}.created_at ${direction}, ${a}.id ${direction}`;
  const count = async () => {
    const result = await sql<{ total: number }>`
      select count(*) as total from ${from} where ${a}.org_id = ${orgId} and ${condition}`.execute(db);
    return Number(result.rows[0]?.total ?? 0);
  };
  if (request.limit === 0) return { rows: [], total: await count() };
  const result = await sql<T & { total: number }>`
    select ${a}.*, count(*) over () as total from ${from}
    where ${a}.org_id = ${orgId} and ${condition}
    order by ${orderBy} offset ${request.offset} limit ${request.limit}`.execute(db);
  const first = result.rows[0];
  if (first) return { rows: result.rows, total: Number(first.total) };
  return { rows: [], total: request.offset === 0 ? 0 : await count() };
}
