/**
 * The HTTP surface shared by /Users and /Groups (RFC 7644 §3.2–§3.6), declared as data: each
 * resource declares its endpoint (its type, how a body becomes its input, its service, how a row
 * renders, the middleware every one of its routes passes first), and its routes are built here
 * from that declaration, once, as the portal builds its routes from theirs (http/route.ts there).
 *
 * The same rules as the portal's:
 * - Input is parsed at the edge: the id (anything but a UUID is a 404 before anything runs), the
 *   body (a normalized resource, or PATCH operations), `If-Match` and the projection. Services
 *   take parsed values.
 * - The route owns the transaction: every write runs in `writeKeepingAManager`
 *   (writes/keep-a-manager.ts), which may run it twice to take the organization's lock first.
 *   Services receive the transaction (and the guard of the last-manager rule) and never open one.
 */

import type Router from '@koa/router';
import type { Database } from '@roster/db';
import { isUuid } from '@roster/directory/ids';
import type { Page } from '@roster/directory/scim-page';
import type { ScimError } from '@roster/scim-core/errors';
import { type PatchOperation, parsePatchRequest } from '@roster/scim-core/patch';
import { isAttributeReturned, type Projection, parseProjection, project } from '@roster/scim-core/resource';
import type { ResourceTypeDefinition } from '@roster/scim-core/schema';
import type { Context, Middleware } from 'koa';
import type { Kysely, Transaction } from 'kysely';
import type { Tenant } from '../auth/tenant.js';
import { queryOf, type ScimDeps, scimBaseUrl, tenantOf } from '../http/context.js';
import { sendScim } from '../http/scim-response.js';
import { type ListQuery, listResponse, parseListQuery, projectionParameters } from '../query/list-query.js';
import { etagOf, type IfMatch, parseIfMatch } from '../versions.js';
import { type ManagerGuard, writeKeepingAManager } from '../writes/keep-a-manager.js';

type Db = Kysely<Database>;
type Trx = Transaction<Database>;

export interface StoredResource {
  id: string;
  org_id: string;
  version: number;
}

/** A created resource, with its related attribute when the service knows it without reading. */
export interface Created<Row, Related> {
  row: Row;
  /**
   * Known without reading (a new user is in no group), or `undefined`: the route then reads it
   * inside the create's transaction when the response returns it. The response reads nothing
   * after the commit: a read that failed there would answer 503 for a create that was committed,
   * and the client's retry would get 409.
   */
  related: Related | undefined;
}

/** What a write receives: the route's transaction, the last-manager guard and the caller. */
export interface Write {
  trx: Trx;
  guard: ManagerGuard;
  tenant: Tenant;
}

export interface ResourceService<Row extends StoredResource, Related, Input> {
  create(write: Write, input: Input): Promise<Created<Row, Related>>;
  get(db: Db, tenant: Tenant, id: string): Promise<Row>;
  replace(write: Write, id: string, input: Input, ifMatch: IfMatch | undefined): Promise<Row>;
  patch(write: Write, id: string, operations: PatchOperation[], ifMatch: IfMatch | undefined): Promise<Row>;
  remove(write: Write, id: string, ifMatch: IfMatch | undefined): Promise<void>;
  /**
   * A page. With `withRelated` (the response returns the related attribute), a service may read
   * the page's related attribute in the same statement and return it as `related`; without it,
   * the route reads it in a second query.
   */
  list(
    db: Db,
    tenant: Tenant,
    query: ListQuery,
    withRelated: boolean,
  ): Promise<Page<Row> & { related?: Map<string, Related> }>;
}

export interface ScimEndpoint<Row extends StoredResource, Related, Input> {
  type: ResourceTypeDefinition;
  /** Middleware every route of the endpoint passes first, after authentication (e.g. group-sync gating). */
  gate?: Middleware;
  /** A POST or PUT body, parsed and normalized into the service's input (400 when it is not one). */
  parseResource(body: unknown): Input;
  /** The 404 of an id that names no resource of this type. */
  notFound(id: string): ScimError;
  service: ResourceService<Row, Related, Input>;
  /** Whether a DELETE always may remove a manager: it then takes the organization's lock at once. */
  removeLocksOrganization?: boolean;
  /**
   * The multi-valued attribute kept in its own table (a user's `groups`, a group's `members`),
   * read for a whole page in one query and only when the response will include it.
   */
  related: {
    attribute: string;
    load(db: Db, tenant: Tenant, ids: string[]): Promise<Map<string, Related>>;
  };
  render(row: Row, baseUrl: string, related: Related | undefined): Record<string, unknown>;
}

/** One route: a method and a path (relative to the SCIM base URL) and what answers it. */
export interface ScimRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  handle(ctx: Context): Promise<void>;
}

/** The routes of one resource endpoint, built from its declaration. */
export function endpointRoutes<Row extends StoredResource, Related, Input>(
  { db, config }: ScimDeps,
  endpoint: ScimEndpoint<Row, Related, Input>,
): ScimRoute[] {
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
    const projection = parseProjection(type, query.attributes, query.excludedAttributes);
    const withRelated = isAttributeReturned(projection, related.attribute);
    const page = await service.list(db, tenantOf(ctx), query, withRelated);
    const resources = await renderPage(ctx, page.rows, projection, page.related);
    sendScim(ctx, 200, listResponse(page.total, query.startIndex, resources));
  }

  /** The path's id: a UUID, or a 404 before the service runs (it must not reach a uuid column). */
  const idOf = (ctx: Context) => {
    const id = String(ctx.params.id ?? '');
    if (!isUuid(id)) throw endpoint.notFound(id);
    return id;
  };
  const ifMatchOf = (ctx: Context) => parseIfMatch(ctx.get('if-match') || undefined);
  /** Runs a write in the route's transaction (keep-a-manager.ts). */
  const write = <T>(ctx: Context, work: (write: Write) => Promise<T>, options?: { lockFirst?: boolean }) => {
    const tenant = tenantOf(ctx);
    return writeKeepingAManager(db, tenant, (trx, guard) => work({ trx, guard, tenant }), options);
  };

  return [
    { method: 'get', path, handle: (ctx) => list(ctx, queryOf(ctx)) },
    {
      method: 'post',
      path: `${path}/.search`,
      handle: (ctx) => list(ctx, (ctx.request.body ?? {}) as Record<string, unknown>),
    },
    {
      method: 'post',
      path,
      async handle(ctx) {
        const input = endpoint.parseResource(ctx.request.body);
        // The projection is parsed before the create: a malformed one is refused before anything
        // is written, and the related attribute is read only when the response returns it.
        const returned = isAttributeReturned(projectionOf(queryOf(ctx)), related.attribute);
        const { row, related: known } = await write(ctx, async (w) => {
          const created = await service.create(w, input);
          if (created.related !== undefined || !returned) return created;
          const read = await related.load(w.trx, w.tenant, [created.row.id]);
          return { row: created.row, related: read.get(created.row.id) };
        });
        const location = `${scimBaseUrl(ctx)}${path}/${row.id}`;
        await sendOne(ctx, 201, row, { Location: location }, new Map([[row.id, known]]));
      },
    },
    {
      method: 'get',
      path: `${path}/:id`,
      async handle(ctx) {
        await sendOne(ctx, 200, await service.get(db, tenantOf(ctx), idOf(ctx)));
      },
    },
    {
      method: 'put',
      path: `${path}/:id`,
      async handle(ctx) {
        const id = idOf(ctx);
        const input = endpoint.parseResource(ctx.request.body);
        const ifMatch = ifMatchOf(ctx);
        await sendOne(ctx, 200, await write(ctx, (w) => service.replace(w, id, input, ifMatch)));
      },
    },
    {
      method: 'patch',
      path: `${path}/:id`,
      async handle(ctx) {
        const id = idOf(ctx);
        const operations = parsePatchRequest(ctx.request.body);
        const ifMatch = ifMatchOf(ctx);
        const row = await write(ctx, (w) => service.patch(w, id, operations, ifMatch));
        // RFC 7644 §3.5.2: 204 unless the client asked for attributes back (Entra accepts both).
        // Never the whole resource unasked: a group may have 100,000 members.
        const { attributes, excludedAttributes } = projectionParameters(queryOf(ctx));
        if (attributes || excludedAttributes) await sendOne(ctx, 200, row);
        else sendScim(ctx, 204, undefined, { ETag: etagOf(row.version) });
      },
    },
    {
      method: 'delete',
      path: `${path}/:id`,
      async handle(ctx) {
        const id = idOf(ctx);
        const ifMatch = ifMatchOf(ctx);
        await write(ctx, (w) => service.remove(w, id, ifMatch), {
          lockFirst: endpoint.removeLocksOrganization ?? false,
        });
        sendScim(ctx, 204);
      },
    },
  ];
}

/** Mounts routes on the SCIM router, each behind `gate` when there is one. */
export function mountScimRoutes(router: Router, routes: ScimRoute[], gate?: Middleware): void {
  for (const route of routes) {
    if (gate) router[route.method](route.path, gate, route.handle);
    else router[route.method](route.path, route.handle);
  }
}

/** Builds a resource endpoint's routes from its declaration and mounts them behind its gate. */
export function mountEndpoint<Row extends StoredResource, Related, Input>(
  router: Router,
  deps: ScimDeps,
  endpoint: ScimEndpoint<Row, Related, Input>,
): void {
  mountScimRoutes(router, endpointRoutes(deps, endpoint), endpoint.gate);
}
