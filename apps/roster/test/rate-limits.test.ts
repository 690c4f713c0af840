/**
 * The rate-limit settings reach both apps of the composed server: PORTAL_RATE_LIMIT_* limit the
 * portal API (a portal error body) and SCIM_RATE_LIMIT_* the SCIM service (a SCIM error body),
 * OAUTH_RATE_LIMIT_* the OAuth endpoints (an OAuth error body) and SIGN_IN_RATE_LIMIT_* /sso/*.
 * Windows follow the real clock here, so each check sends until refused, within a bound; the
 * exact counts and windows are tested in the apps and in packages/rate-limit.
 */
import { createPortalKey, createScimKey } from '@roster/directory/api-keys';
import { enableScimProvisioning } from '@roster/directory/identity';
import { insertMember } from '@roster/directory/members';
import { createOrganization } from '@roster/directory/organizations';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ComposedServer, startComposedServer } from './composed-server.js';

let server: ComposedServer;
beforeAll(async () => {
  // One request a second, in one-second windows: the second request of a window is refused.
  server = await startComposedServer({
    env: {
      PORTAL_RATE_LIMIT_PER_CREDENTIAL: '1',
      PORTAL_RATE_LIMIT_WINDOW_SECONDS: '1',
      SCIM_RATE_LIMIT_PER_CREDENTIAL: '1',
      SCIM_RATE_LIMIT_WINDOW_SECONDS: '1',
      OAUTH_RATE_LIMIT_PER_CLIENT: '1',
      OAUTH_RATE_LIMIT_WINDOW_SECONDS: '1',
      SIGN_IN_RATE_LIMIT_PER_ADDRESS: '1',
      SIGN_IN_RATE_LIMIT_WINDOW_SECONDS: '1',
    },
  });
});
afterAll(async () => server?.close());

/** Sends the request until it is refused (at most 20 times: each one-second window admits one). */
async function untilRefused(path: string, token: string): Promise<Response> {
  let response: Response | undefined;
  for (let i = 0; i < 20 && response?.status !== 429; i++) {
    response = await fetch(`${server.origin}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    expect([200, 429]).toContain(response.status);
  }
  return response as Response;
}

it('limit the portal API and the SCIM service as configured, each answering in its own error model', async () => {
  const { db } = server.handle;
  const org = await createOrganization(db, { slug: `limits-${Math.random().toString(36).slice(2, 10)}` });
  const memberId = crypto.randomUUID();
  await db.transaction().execute((trx) =>
    insertMember(trx, {
      orgId: org.id,
      id: memberId,
      data: { userName: 'admin@limits.example', active: true },
      role: 'manager',
      managedBy: 'portal',
    }),
  );
  await enableScimProvisioning(db, org.id);

  const portal = await untilRefused(
    `/api/v1/orgs/${org.slug}/members/me`,
    await createPortalKey(db, org.id, memberId, 'limits'),
  );
  expect(portal.status).toBe(429);
  expect(portal.headers.get('retry-after')).toBe('1');
  expect(((await portal.json()) as { error: { code: string } }).error.code).toBe('rate_limited');

  const scim = await untilRefused(
    `/scim/v2/${org.slug}/Users?count=1`,
    await createScimKey(db, org.id, 'limits'),
  );
  expect(scim.status).toBe(429);
  expect(((await scim.json()) as { schemas: string[] }).schemas).toEqual([
    'urn:ietf:params:scim:api:messages:2.0:Error',
  ]);
});

/** Sends an unauthenticated GET until it is refused (at most 20 times: each one-second window admits one). */
async function anonymousUntilRefused(path: string): Promise<Response> {
  let response: Response | undefined;
  for (let i = 0; i < 20 && response?.status !== 429; i++) {
    response = await fetch(`${server.origin}${path}`, { redirect: 'manual' });
  }
  return response as Response;
}

it('limit the OAuth authorization endpoint and single sign-on per address as configured', async () => {
  const org = await createOrganization(server.handle.db, {
    slug: `limits-${Math.random().toString(36).slice(2, 10)}`,
  });
  const authorize = await anonymousUntilRefused(`/oauth/${org.slug}/authorize?response_type=code`);
  expect(authorize.status).toBe(429);
  expect(authorize.headers.get('retry-after')).toBe('1');
  expect(((await authorize.json()) as { error: string }).error).toBe('temporarily_unavailable');

  const signIn = await anonymousUntilRefused(`/sso/${org.slug}/login`);
  expect(signIn.status).toBe(429);
  expect(signIn.headers.get('retry-after')).toBe('1');
  expect(((await signIn.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
});
