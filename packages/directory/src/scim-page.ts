/** Pages of a SCIM list (members or groups of one organization), as cheap deep as on the first page. */
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
  /**
   * One more column computed for each row of the page (a correlated subquery over the page's
   * alias), returned as `related`: a page's related rows come with it in the same statement.
   */
  related?: RawBuilder<unknown>;
}

/**
 * One page of a resource table for one organization, with the total. Without `sortBy`, rows come
 * in creation order (indexed, and stable across pages); ties always break by `id`.
 *
 * Organizations reach a million members, and a deep page (`startIndex=900001`) must cost about
 * what the first one does:
 * - Deferred join. The offset is walked by a subquery that selects only ids, so in creation order
 *   PostgreSQL answers it from `members__created` / `groups__created` alone (an index-only scan,
 *   no heap access for the 900,000 skipped rows). Only the page's rows are then read from the
 *   table, by primary key, and sorted again by the same order. That order ends in `id`, so it is
 *   total and the page comes back exactly in the subquery's order.
 * - No window for the total. `count(*) over ()` counts every matching row even for the first page.
 *   A page shorter than asked for (and not past the end) is the last one, so its total is known
 *   without another query: a lookup such as `userName eq "x"` stays a single query. Otherwise a
 *   separate `count(*)` runs, itself an index-only scan when the filter allows.
 */
export async function selectPage<T>(
  db: Kysely<Database>,
  table: 'members' | 'groups',
  alias: 'm' | 'g',
  orgId: string,
  request: PageRequest,
): Promise<Page<T>> {
  const { offset, limit } = request;
  const statements = pageStatements<T>(table, alias, orgId, request);
  const count = async () => Number((await statements.count.execute(db)).rows[0]?.total ?? 0);
  if (limit === 0) return { rows: [], total: await count() };
  const { rows } = await statements.page.execute(db);
  if (rows.length < limit && (offset === 0 || rows.length > 0)) return { rows, total: offset + rows.length };
  // A full page (more may follow) or a page past the end: count. The count is a second statement,
  // so it may see writes the page did not; the total never falls below what the page has shown.
  const total = await count();
  return { rows, total: rows.length > 0 ? Math.max(total, offset + rows.length) : total };
}

/** The two statements of `selectPage` (exported for the tests that check their plans). */
export function pageStatements<T>(
  table: 'members' | 'groups',
  alias: 'm' | 'g',
  orgId: string,
  request: PageRequest,
): { page: RawBuilder<T>; count: RawBuilder<{ total: number | string | bigint }> } {
  const from = sql`${sql.table(table)} as ${sql.raw(alias)}`;
  const a = sql.raw(alias);
  const matching = sql<SqlBool>`${a}.org_id = ${orgId} and ${request.where ?? sql<SqlBool>`true`}`;
  const direction = sql.raw(request.descending ? 'desc' : 'asc');
  const orderBy = request.order
    ? sql`${request.order} ${direction} nulls last, ${a}.id`
    : sql`${a}.created_at ${direction}, ${a}.id ${direction}`;
  // The subquery picks the page's ids; the outer query reads those rows by primary key and sorts
  // them again. The ids are handed over as an array (`id = any(array(…))`) rather than joined:
  // the array is computed once, and reading it back is an index scan of the primary key whatever
  // the row estimates, even in a generic plan (prepared statements), where a join was planned as
  // a hash join over every row of the organization. Both queries name the table by the same alias,
  // so the filter and the sort expression (written against `m.`/`g.`) apply to each; the inner one
  // is its own scope.
  const related = request.related ? sql`, ${request.related} as related` : sql``;
  const page = sql<T>`
    select ${a}.*${related} from ${from}
    where ${a}.org_id = ${orgId} and ${a}.id = any(array(
      select ${a}.id from ${from} where ${matching}
      order by ${orderBy} offset ${request.offset} limit ${request.limit}
    ))
    order by ${orderBy}`;
  const count = sql<{
    total: number | string | bigint;
  }>`select count(*) as total from ${from} where ${matching}`;
  return { page, count };
}
