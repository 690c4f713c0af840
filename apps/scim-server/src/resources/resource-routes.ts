/**
 * The HTTP surface shared by /Users and /Groups (RFC 7644 §3.2–§3.6): list and `.search`, create,
 * read, replace, patch, delete, with `attributes`/`excludedAttributes`, ETags and `Location`.
 * Each resource supplies its service and how it renders; the protocol lives here once.
 */
import type Router from '@koa/router';
import type { Database } from '@roster/db';
import type { Page } from '@roster/directory/scim-page';
import { isAttributeReturned, type Projection, parseProjection, project } from '@roster/scim-core/resource';
import type { ResourceTypeDefinition } from '@roster/scim-core/schema';
import type { Context } from 'koa';
import type { Kysely, Transaction } from 'kysely';
import type { Tenant } from '../auth/tenant.js';
import { queryOf, type ScimDeps, scimBaseUrl, tenantOf } from '../http/context.js';
import { etagOf } from '../http/etag.js';
import { sendScim } from '../http/scim-response.js';
import { type ListQuery, listResponse, parseListQuery, projectionParameters } from '../query/list-query.js';

type Db = Kysely<Database>;

export interface StoredResource {
  id: string;
  org_id: string;
  version: number;
}

/**
 * Reads a resource's related attribute on the create's transaction; `undefined` when the response
 * leaves the attribute out.
 */
export type ReadRelated<Related> = (trx: Transaction<Database>, id: string) => Promise<Related | undefined>;

/** A created resource, with its related attribute as the response shows it. */
export interface Created<Row, Related> {
  row: Row;
  /**
   * Read inside the create's transaction (or known without reading: a new user is in no group);
   * `undefined` when the response leaves it out. The response then reads nothing after the commit:
   * a read that failed there would answer 503 for a create that was committed, and the client's
   * retry would get 409.
   */
  related: Related | undefined;
}

export interface ResourceService<Row extends StoredResource, Related> {
  /** Reads the related attribute with `readRelated` inside its transaction, unless the create shows it. */
  create(
    db: Db,
    tenant: Tenant,
    body: unknown,
    readRelated: ReadRelated<Related>,
  ): Promise<Created<Row, Related>>;
  get(db: Db, tenant: Tenant, id: string): Promise<Row>;
  replace(db: Db, tenant: Tenant, id: string, body: unknown, ifMatch?: string): Promise<Row>;
  patch(db: Db, tenant: Tenant, id: string, body: unknown, ifMatch?: string): Promise<Row>;
  remove(db: Db, tenant: Tenant, id: string, ifMatch?: string): Promise<void>;
  list(db: Db, tenant: Tenant, query: ListQuery): Promise<Page<Row>>;
}

export interface ResourceEndpoint<Row extends StoredResource, Related> {
  type: ResourceTypeDefinition;
  service: ResourceService<Row, Related>;
  /**
   * The multi-valued attribute kept in its own table (a user's `groups`, a group's `members`),
   * read for a whole page in one query and only when the response will include it.
   */
  related: {
    attribute: string;
    load(db: Db, tenant: Tenant, ids: string[], baseUrl: string): Promise<Map<string, Related>>;
  };
  render(row: Row, baseUrl: string, related: Related | undefined): Record<string, unknown>;
}

export function registerResourceRoutes<Row extends StoredResource, Related>(
  router: Router,
  { db, config }: ScimDeps,
  endpoint: ResourceEndpoint<Row, Related>,
): void {
  const { type, service, related, render } = endpoint;
  const path = type.endpoint;
  const projectionOf = (params: Record<string, unknown>): Projection => {
    const { attributes, excludedAttributes } = projectionParameters(params);
    return parseProjection(type, attributes, excludedAttributes);
  };

  /** Renders rows, reading their related attribute unless it is not returned or `known`. */
  async function renderPage(
    ctx: Context,
    rows: Row[],
    projection: Projection,
    known?: Map<string, Related | undefined>,
  ) {
    const base = scimBaseUrl(ctx);
    const loaded = isAttributeReturned(projection, related.attribute)
      ? (known ??
        (await related.load(
          db,
          tenantOf(ctx),
          rows.map((r) => r.id),
          base,
        )))
      : undefined;
    return rows.map((row) => project(type, render(row, base, loaded?.get(row.id)), projection));
  }

  async function sendOne(
    ctx: Context,
    status: number,
    row: Row,
    headers: Record<string, string> = {},
    known?: Map<string, Related | undefined>,
  ) {
    const [resource] = await renderPage(ctx, [row], projectionOf(queryOf(ctx)), known);
    sendScim(ctx, status, resource, { ETag: etagOf(row.version), ...headers });
  }

  async function list(ctx: Context, params: Record<string, unknown>) {
    const query = parseListQuery(params, config.maxPageSize);
    const page = await service.list(db, tenantOf(ctx), query);
    const resources = await renderPage(
      ctx,
      page.rows,
      parseProjection(type, query.attributes, query.excludedAttributes),
    );
    sendScim(ctx, 200, listResponse(page.total, query.startIndex, resources));
  }

  const id = (ctx: Context) => String(ctx.params.id ?? '');
  const ifMatch = (ctx: Context) => ctx.get('if-match') || undefined;

  router.get(path, (ctx) => list(ctx, queryOf(ctx)));
  router.post(`${path}/.search`, (ctx) => list(ctx, (ctx.request.body ?? {}) as Record<string, unknown>));

  router.post(path, async (ctx) => {
    const tenant = tenantOf(ctx);
    const base = scimBaseUrl(ctx);
    // The projection is parsed before the create: a malformed one is refused before anything is
    // written, and the related attribute is read only when the response returns it.
    const returned = isAttributeReturned(projectionOf(queryOf(ctx)), related.attribute);
    const { row, related: known } = await service.create(db, tenant, ctx.request.body, async (trx, id) =>
      returned ? (await related.load(trx, tenant, [id], base)).get(id) : undefined,
    );
    await sendOne(ctx, 201, row, { Location: `${base}${path}/${row.id}` }, new Map([[row.id, known]]));
  });

  router.get(`${path}/:id`, async (ctx) => {
    await sendOne(ctx, 200, await service.get(db, tenantOf(ctx), id(ctx)));
  });

  router.put(`${path}/:id`, async (ctx) => {
    await sendOne(
      ctx,
      200,
      await service.replace(db, tenantOf(ctx), id(ctx), ctx.request.body, ifMatch(ctx)),
    );
  });

  router.patch(`${path}/:id`, async (ctx) => {
    const row = await service.patch(db, tenantOf(ctx), id(ctx), ctx.request.body, ifMatch(ctx));
    // RFC 7644 §3.5.2: 204 unless the client asked for attributes back (Entra accepts both). Never
    // the whole resource unasked: a group may have 100,000 members.
    const { attributes, excludedAttributes } = projectionParameters(queryOf(ctx));
    if (attributes || excludedAttributes) await sendOne(ctx, 200, row);
    else sendScim(ctx, 204, undefined, { ETag: etagOf(row.version) });
  });

  router.delete(`${path}/:id`, async (ctx) => {
    await service.remove(db, tenantOf(ctx), id(ctx), ifMatch(ctx));
    sendScim(ctx, 204);
  });
}
