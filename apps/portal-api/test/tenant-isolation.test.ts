/**
 * Tenant isolation over every portal API route, walked from the routes as declared, so a route
 * added later is covered the day it exists. Organization A's manager key sent to B's URLs is
 * refused 401; sent to A's own URLs naming B's ids (members, groups, keys, webhooks) it never gets a 2xx.
 * Either way, not a row of B changes.
 */

import { parseApiKey } from '@roster/auth/api-keys';
import { ephemeralSecretKey } from '@roster/auth/secret-box';
import { updateOrganization } from '@roster/directory/organizations';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { portalRoutes } from '../src/app.js';
import type { RouteDefinition } from '../src/http/route.js';
import { insertScimGroup, type TestOrg, usePortal } from './harness.js';

describe('tenant isolation across the portal API', () => {
  const portal = usePortal();

  /** Every row of B in every table that has an `org_id`, and B's organization row. */
  async function rowsOf(orgId: string): Promise<string> {
    const { db } = portal().handle;
    const { rows: tables } = await sql<{ table_name: string }>`
      select table_name from information_schema.columns
      where column_name = 'org_id' and table_schema = current_schema() order by table_name`.execute(db);
    const snapshot: Record<string, unknown> = {
      organizations: (await sql`select * from organizations where id = ${orgId}`.execute(db)).rows,
    };
    for (const { table_name } of tables) {
      const { rows } = await sql`select * from ${sql.table(table_name)} where org_id = ${orgId}`.execute(db);
      snapshot[table_name] = rows.map((row) => JSON.stringify(row)).sort();
    }
    return JSON.stringify(snapshot);
  }

  /** A body the route's schema accepts, so the request reaches the lookup behind validation. */
  function bodyFor(route: RouteDefinition, memberId: string): unknown {
    if (!route.body) return undefined;
    const candidates = [
      {},
      { memberIds: [memberId] },
      { displayName: 'isolation' },
      { sequence: 1 },
      { fromSequence: 1 },
    ];
    const body = candidates.find((candidate) => route.body?.safeParse(candidate).success);
    if (body === undefined) throw new Error(`Give ${route.operationId} a valid body in this test.`);
    return body;
  }

  const pathOf = (route: RouteDefinition, slug: string, ids: Record<string, string>) =>
    route.path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'org' ? slug : (ids[name] ?? name)));

  async function setUp(): Promise<{ a: TestOrg; b: TestOrg; ids: Record<string, string> }> {
    const a = await portal().newOrg({ plan: 'enterprise' });
    const b = await portal().newOrg({ plan: 'enterprise' });
    for (const org of [a, b]) await updateOrganization(portal().handle.db, org.id, { rbacEnabled: true });
    const member = (await b.addMember('basic')).id;
    const group = await insertScimGroup(portal().handle, b.id, 'B team');
    const keyId = parseApiKey(b.manager.token)?.id ?? '';
    const webhookId = (
      await b.manager.call('POST', `/orgs/${b.slug}/webhooks`, { url: 'https://hooks.example.com/b' })
    ).body.id as string;
    // `{id}` names a member under /members and a group under /groups.
    return { a, b, ids: { member, group, memberId: member, keyId, webhookId } };
  }

  const idsFor = (route: RouteDefinition, ids: Record<string, string>) => ({
    ...ids,
    id: route.path.includes('/groups/') ? (ids.group as string) : (ids.member as string),
  });

  it("refuses one organization's key on every route of another, changing nothing there", async () => {
    const { a, b, ids } = await setUp();
    const before = await rowsOf(b.id);
    const routes = portalRoutes(portal().handle.db, { secretKey: ephemeralSecretKey(), development: false });
    expect(routes.length).toBeGreaterThan(20);
    for (const route of routes) {
      // Authentication comes before validation: any body will do.
      const path = pathOf(route, b.slug, idsFor(route, ids));
      const res = await a.manager.call(route.method.toUpperCase(), path, route.body ? {} : undefined);
      expect(res.status, `${route.method} ${path}`).toBe(401);
    }
    expect(await rowsOf(b.id)).toBe(before);
  });

  it("reads one organization's events only: its own feed never shows another's, whose numbering is its own", async () => {
    const { a, b } = await setUp();
    for (const [org, email] of [
      [a, 'a1@example.com'],
      [b, 'b1@example.com'],
      [b, 'b2@example.com'],
    ] as const) {
      expect((await org.manager.call('POST', `/orgs/${org.slug}/members`, { email })).status).toBe(201);
    }
    const feedOf = async (org: TestOrg) =>
      (await org.manager.call('GET', `/orgs/${org.slug}/events`)).body.events;
    const [eventsA, eventsB] = [await feedOf(a), await feedOf(b)];
    expect(
      eventsA.map((e: { sequence: number; data: { userName: string } }) => [e.sequence, e.data.userName]),
    ).toEqual([[1, 'a1@example.com']]);
    expect(
      eventsB.map((e: { sequence: number; data: { userName: string } }) => [e.sequence, e.data.userName]),
    ).toEqual([
      [1, 'b1@example.com'],
      [2, 'b2@example.com'],
    ]);
    // A's key on B's feed: 401 (as on every route of B, above).
    expect((await a.manager.call('GET', `/orgs/${b.slug}/events`)).status).toBe(401);
  });

  it("never acts on another organization's members, groups or keys named from one's own URLs", async () => {
    const { a, b, ids } = await setUp();
    const before = await rowsOf(b.id);
    const routes = portalRoutes(portal().handle.db, {
      secretKey: ephemeralSecretKey(),
      development: false,
    }).filter((route) => /\{(id|memberId|keyId|webhookId)\}/.test(route.path));
    expect(routes.length).toBeGreaterThan(8);
    for (const route of routes) {
      const path = pathOf(route, a.slug, idsFor(route, ids));
      const res = await a.manager.call(
        route.method.toUpperCase(),
        path,
        bodyFor(route, ids.member as string),
      );
      expect(res.status, `${route.method} ${path}: ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${route.method} ${path}`).toBeLessThan(500);
    }
    expect(await rowsOf(b.id)).toBe(before);
  });

  it("keeps another organization's members and groups out of the adoption preview", async () => {
    const { a, b } = await setUp();
    const { db } = portal().handle;
    // B has a member and a portal group the preview would list were it B's.
    const bMember = await b.addMember('basic');
    await db
      .insertInto('groups')
      .values({
        org_id: b.id,
        id: crypto.randomUUID(),
        display_name: 'B portal team',
        data: '{"displayName":"B portal team"}',
        managed_by: 'portal',
      })
      .execute();
    const res = await a.manager.call('GET', `/orgs/${a.slug}/provisioning/adoption-preview`);
    expect(res.status).toBe(200);
    const ids = [...res.body.handOver.items, ...res.body.conflicts.items].map((m: { id: string }) => m.id);
    expect(ids).toEqual([a.manager.id]);
    expect(ids).not.toContain(bMember.id);
    expect(res.body.handOver.count + res.body.conflicts.count).toBe(1);
    expect(res.body.groups).toEqual({ count: 0, items: [] });
    expect((await a.manager.call('GET', `/orgs/${b.slug}/provisioning/adoption-preview`)).status).toBe(401);
  });
});
