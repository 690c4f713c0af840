import type Router from '@koa/router';
import type { MemberRow } from '@roster/db';
import { isAttributeReturned, parseProjection, project } from '@roster/scim-core/resource';
import { userResourceType } from '@roster/scim-core/schema';
import type { Context } from 'koa';
import { queryOf, type ScimDeps, scimBaseUrl, tenantOf } from '../http/context.js';
import { etagOf } from '../http/etag.js';
import { sendScim } from '../http/scim-response.js';
import { listResponse, parseListQuery } from '../query/list-query.js';
import { userToScim } from './user-resource.js';
import * as service from './users.service.js';

export function registerUserRoutes(router: Router, { db, config }: ScimDeps): void {
  const projectionOf = (params: Record<string, unknown>) =>
    parseProjection(
      userResourceType,
      params.attributes as string | undefined,
      params.excludedAttributes as string | undefined,
    );

  /** Answers with one user, projected; reads its groups only when they will be returned. */
  async function sendUser(
    ctx: Context,
    status: number,
    row: MemberRow,
    headers: Record<string, string> = {},
  ) {
    const projection = projectionOf(queryOf(ctx));
    const base = scimBaseUrl(ctx);
    const groups = isAttributeReturned(projection, 'groups')
      ? (await service.groupsOfUsers(db, row.org_id, [row.id], base)).get(row.id)
      : undefined;
    sendScim(ctx, status, project(userResourceType, userToScim(row, base, groups), projection), {
      ETag: etagOf(row.version),
      ...headers,
    });
  }

  async function list(ctx: Context, params: Record<string, unknown>) {
    const query = parseListQuery(params, config.maxPageSize);
    const projection = parseProjection(userResourceType, query.attributes, query.excludedAttributes);
    const tenant = tenantOf(ctx);
    const page = await service.listUsers(db, tenant, query);
    const base = scimBaseUrl(ctx);
    const groups = isAttributeReturned(projection, 'groups')
      ? await service.groupsOfUsers(
          db,
          tenant.orgId,
          page.rows.map((r) => r.id),
          base,
        )
      : undefined;
    const resources = page.rows.map((row) =>
      project(userResourceType, userToScim(row, base, groups?.get(row.id)), projection),
    );
    sendScim(ctx, 200, listResponse(page.total, query.startIndex, resources));
  }

  router.get('/Users', (ctx) => list(ctx, queryOf(ctx)));
  router.post('/Users/.search', (ctx) => list(ctx, (ctx.request.body ?? {}) as Record<string, unknown>));

  router.post('/Users', async (ctx) => {
    const row = await service.createUser(db, tenantOf(ctx), ctx.request.body);
    await sendUser(ctx, 201, row, { Location: `${scimBaseUrl(ctx)}/Users/${row.id}` });
  });

  router.get('/Users/:id', async (ctx) => {
    const row = await service.getUser(db, tenantOf(ctx), ctx.params.id ?? '');
    await sendUser(ctx, 200, row);
  });

  router.put('/Users/:id', async (ctx) => {
    const row = await service.replaceUser(
      db,
      tenantOf(ctx),
      ctx.params.id ?? '',
      ctx.request.body,
      ctx.get('if-match') || undefined,
    );
    await sendUser(ctx, 200, row);
  });

  router.patch('/Users/:id', async (ctx) => {
    const row = await service.patchUser(
      db,
      tenantOf(ctx),
      ctx.params.id ?? '',
      ctx.request.body,
      ctx.get('if-match') || undefined,
    );
    // RFC 7644 §3.5.2: 204 unless the client asked for attributes back (Entra accepts both).
    const params = queryOf(ctx);
    if (params.attributes || params.excludedAttributes) await sendUser(ctx, 200, row);
    else sendScim(ctx, 204, undefined, { ETag: etagOf(row.version) });
  });

  router.delete('/Users/:id', async (ctx) => {
    await service.deleteUser(db, tenantOf(ctx), ctx.params.id ?? '', ctx.get('if-match') || undefined);
    sendScim(ctx, 204);
  });
}
