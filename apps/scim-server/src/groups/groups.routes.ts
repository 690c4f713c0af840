import type Router from '@koa/router';
import type { GroupRow } from '@roster/db';
import { isAttributeReturned, parseProjection, project } from '@roster/scim-core/resource';
import { groupResourceType } from '@roster/scim-core/schema';
import type { Context } from 'koa';
import { queryOf, type ScimDeps, scimBaseUrl, tenantOf } from '../http/context.js';
import { etagOf } from '../http/etag.js';
import { sendScim } from '../http/scim-response.js';
import { listResponse, parseListQuery } from '../query/list-query.js';
import { groupToScim } from './group-resource.js';
import * as service from './groups.service.js';

export function registerGroupRoutes(router: Router, { db, config }: ScimDeps): void {
  const projectionOf = (params: Record<string, unknown>) =>
    parseProjection(
      groupResourceType,
      params.attributes as string | undefined,
      params.excludedAttributes as string | undefined,
    );

  /** One group, projected; `excludedAttributes=members` never reads the membership table. */
  async function sendGroup(
    ctx: Context,
    status: number,
    row: GroupRow,
    headers: Record<string, string> = {},
  ) {
    const projection = projectionOf(queryOf(ctx));
    const members = isAttributeReturned(projection, 'members')
      ? (await service.membersOfGroups(db, row.org_id, [row.id])).get(row.id)
      : undefined;
    sendScim(
      ctx,
      status,
      project(groupResourceType, groupToScim(row, scimBaseUrl(ctx), members), projection),
      {
        ETag: etagOf(row.version),
        ...headers,
      },
    );
  }

  async function list(ctx: Context, params: Record<string, unknown>) {
    const query = parseListQuery(params, config.maxPageSize);
    const projection = parseProjection(groupResourceType, query.attributes, query.excludedAttributes);
    const tenant = tenantOf(ctx);
    const page = await service.listGroups(db, tenant, query);
    const members = isAttributeReturned(projection, 'members')
      ? await service.membersOfGroups(
          db,
          tenant.orgId,
          page.rows.map((r) => r.id),
        )
      : undefined;
    const base = scimBaseUrl(ctx);
    const resources = page.rows.map((row) =>
      project(groupResourceType, groupToScim(row, base, members?.get(row.id)), projection),
    );
    sendScim(ctx, 200, listResponse(page.total, query.startIndex, resources));
  }

  router.get('/Groups', (ctx) => list(ctx, queryOf(ctx)));
  router.post('/Groups/.search', (ctx) => list(ctx, (ctx.request.body ?? {}) as Record<string, unknown>));

  router.post('/Groups', async (ctx) => {
    const row = await service.createGroup(db, tenantOf(ctx), ctx.request.body);
    await sendGroup(ctx, 201, row, { Location: `${scimBaseUrl(ctx)}/Groups/${row.id}` });
  });

  router.get('/Groups/:id', async (ctx) => {
    await sendGroup(ctx, 200, await service.getGroup(db, tenantOf(ctx), ctx.params.id ?? ''));
  });

  router.put('/Groups/:id', async (ctx) => {
    const row = await service.replaceGroup(
      db,
      tenantOf(ctx),
      ctx.params.id ?? '',
      ctx.request.body,
      ctx.get('if-match') || undefined,
    );
    await sendGroup(ctx, 200, row);
  });

  router.patch('/Groups/:id', async (ctx) => {
    const row = await service.patchGroup(
      db,
      tenantOf(ctx),
      ctx.params.id ?? '',
      ctx.request.body,
      ctx.get('if-match') || undefined,
    );
    // Never the whole group back (it may have 100,000 members): 204, or the requested attributes.
    const params = queryOf(ctx);
    if (params.attributes || params.excludedAttributes) await sendGroup(ctx, 200, row);
    else sendScim(ctx, 204, undefined, { ETag: etagOf(row.version) });
  });

  router.delete('/Groups/:id', async (ctx) => {
    await service.deleteGroup(db, tenantOf(ctx), ctx.params.id ?? '', ctx.get('if-match') || undefined);
    sendScim(ctx, 204);
  });
}
