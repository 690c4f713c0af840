/**
 * docs/reference/product.md#the-administrators-flow end to end on the composed server (portal API, OAuth authorization server and
 * SCIM service on one port, real PostgreSQL): an administrator takes a new organization to a
 * working SCIM connection with each authentication method, and an identity provider then
 * provisions with it. Only HTTP is used after the operator's set-up of the organization.
 */
import { randomUUID } from 'node:crypto';
import type { DatabaseHandle } from '@roster/db';
import { createFirstManager, createPortalKey } from '@roster/directory/api-keys';
import { createOrganization } from '@roster/directory/organizations';
import * as oidc from 'openid-client';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPlan } from '../src/onboarding.js';
import { startComposedServer } from './composed-server.js';

const SCIM_JSON = 'application/scim+json';
let origin: string;
let handle: DatabaseHandle;
let close: () => Promise<void>;

beforeAll(async () => {
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  ({ origin, handle, close } = await startComposedServer({ logger }));
});
afterAll(async () => close?.());

interface Res {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
  body: any;
}

async function http(method: string, url: string, token?: string, body?: unknown): Promise<Res> {
  const res = await fetch(url, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined
        ? { 'Content-Type': url.includes('/scim/') ? SCIM_JSON : 'application/json' }
        : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/**
 * What the operator does before the admin arrives: a Team organization with one manager and their
 * key, then its move to the Enterprise plan (`roster set-plan`), which the admin cannot make.
 */
async function newCustomer() {
  const slug = `flow-${randomUUID().slice(0, 8)}`;
  const org = await createOrganization(handle.db, { slug, plan: 'team' });
  await setPlan(handle.db, slug, 'enterprise');
  const { memberId: managerId, token } = await createFirstManager(
    handle.db,
    org.id,
    `admin@${slug}.example.com`,
  );
  const portal = (method: string, path: string, body?: unknown) =>
    http(method, `${origin}/api/v1/orgs/${slug}${path}`, token, body);
  return { slug, managerId, portal };
}

/** The admin's steps shared by both methods: SSO configured and enabled. */
async function upToSso(portal: Awaited<ReturnType<typeof newCustomer>>['portal']) {
  const sso = await portal('PUT', '/identity/sso', {
    enabled: true,
    oidc: {
      issuer: 'https://login.microsoftonline.com/tenant/v2.0',
      clientId: 'roster',
      clientSecret: 'entra-app-secret-1',
    },
  });
  expect(sso.status, JSON.stringify(sso.body)).toBe(200);
}

const SETTINGS = {
  mode: 'identity_provider',
  scimEnabled: true,
  provisionExistingUsers: false,
  syncGroups: false,
};
const user = (userName: string) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName,
  active: true,
  emails: [{ value: userName, type: 'work', primary: true }],
});

describe('the admin flow to a working SCIM connection', () => {
  it('with the HTTP Header method: a system key with the scim scope, pasted into the IdP', async () => {
    const { portal, slug } = await newCustomer();
    await upToSso(portal);
    const key = await portal('POST', '/api-keys', {
      kind: 'system',
      name: 'Entra ID provisioning',
      scopes: ['scim'],
    });
    expect(key.status).toBe(201);
    const saved = await portal('PUT', '/identity/provisioning', { ...SETTINGS, authMethod: 'http_header' });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const tenantUrl: string = saved.body.scimEndpointUrl;
    expect(tenantUrl).toBe(`${origin}/scim/v2/${slug}`);

    // Entra's Test Connection, then a create.
    const probe = await http(
      'GET',
      `${tenantUrl}/Users?filter=${encodeURIComponent(`userName eq "${randomUUID()}"`)}`,
      key.body.token,
    );
    expect(probe.status).toBe(200);
    expect(probe.body.totalResults).toBe(0);
    const created = await http('POST', `${tenantUrl}/Users`, key.body.token, user(`ada@${slug}.example.com`));
    expect(created.status).toBe(201);

    // Revoking the key stops the IdP on its next request.
    expect((await portal('DELETE', `/api-keys/${key.body.id}`)).status).toBe(204);
    const revoked = await http('GET', `${tenantUrl}/Users`, key.body.token);
    expect(revoked.status).toBe(401);
    expect(revoked.body.detail).toMatch(/revoked/);
  });

  it('with OAuth 2.0: the IdP gets tokens with the client credentials grant and provisions with them', async () => {
    const { portal, slug } = await newCustomer();
    await upToSso(portal);
    const saved = await portal('PUT', '/identity/provisioning', { ...SETTINGS, authMethod: 'oauth2' });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const { tokenEndpoint, clientId, clientSecret } = saved.body.oauth;
    const tenantUrl: string = saved.body.scimEndpointUrl;

    // Ping's "OAuth 2 Client Credentials": token endpoint, client id, secret; openid-client plays it.
    const issuer = new URL(tokenEndpoint.replace(/\/token$/, ''));
    const config = await oidc.discovery(issuer, clientId, clientSecret, oidc.ClientSecretBasic(), {
      algorithm: 'oauth2',
      execute: [oidc.allowInsecureRequests],
    });
    expect(config.serverMetadata().token_endpoint).toBe(tokenEndpoint);
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'scim' });

    const created = await http(
      'POST',
      `${tenantUrl}/Users`,
      tokens.access_token,
      user(`grace@${slug}.example.com`),
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const found = await http('GET', `${tenantUrl}/Users/${created.body.id}`, tokens.access_token);
    expect(found.body.userName).toBe(`grace@${slug}.example.com`);

    // An API key is refused with a detail that names the configured method.
    const key = await portal('POST', '/api-keys', { kind: 'system', name: 'stray', scopes: ['scim'] });
    const refused = await http('GET', `${tenantUrl}/Users`, key.body.token);
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toMatch(/OAuth 2\.0/);

    // Rotation ends the token at once; a token from the new secret works.
    const rotated = await portal('POST', '/identity/provisioning/oauth-client-secret');
    expect((await http('GET', `${tenantUrl}/Users`, tokens.access_token)).status).toBe(401);
    const next = await oidc.discovery(issuer, clientId, rotated.body.clientSecret, oidc.ClientSecretPost(), {
      algorithm: 'oauth2',
      execute: [oidc.allowInsecureRequests],
    });
    const fresh = await oidc.clientCredentialsGrant(next);
    expect((await http('GET', `${tenantUrl}/Users`, fresh.access_token)).status).toBe(200);

    // Another organization's SCIM service refuses this organization's token.
    const other = await newCustomer();
    await upToSso(other.portal);
    const otherSaved = await other.portal('PUT', '/identity/provisioning', {
      ...SETTINGS,
      authMethod: 'oauth2',
    });
    const crossed = await http('GET', `${otherSaved.body.scimEndpointUrl}/Users`, fresh.access_token);
    expect(crossed.status).toBe(401);
    expect(crossed.body.detail).toMatch(/another organization/);

    // The session is in the audit trail, in order.
    const audit = await portal('GET', '/audit-events?limit=200');
    const actions = (audit.body.events as { action: string }[]).map((e) => e.action).reverse();
    expect(actions).toEqual(
      expect.arrayContaining([
        'organization.updated',
        'identity.sso.updated',
        'identity.provisioning.updated',
        'api_key.created',
        'identity.oauth_secret.rotated',
      ]),
    );
    expect(actions.indexOf('organization.updated')).toBeLessThan(actions.indexOf('identity.sso.updated'));
    expect(actions.indexOf('identity.sso.updated')).toBeLessThan(
      actions.indexOf('identity.provisioning.updated'),
    );
  });

  it('hands existing members to the IdP, whose deactivation stops their keys at once; the session is audited', async () => {
    const { portal, slug, managerId } = await newCustomer();
    await upToSso(portal);
    const key = await portal('POST', '/api-keys', {
      kind: 'system',
      name: 'Entra ID provisioning',
      scopes: ['scim'],
    });
    const saved = await portal('PUT', '/identity/provisioning', {
      ...SETTINGS,
      authMethod: 'http_header',
      provisionExistingUsers: true,
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const scim = (method: string, path: string, body?: unknown) =>
      http(method, `${saved.body.scimEndpointUrl}${path}`, key.body.token, body);

    // A colleague the admin invited before provisioning, with a personal key of their own.
    const email = `lin@${slug}.example.com`;
    const invited = await portal('POST', '/members', { email, role: 'basic' });
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);
    const org = await handle.db
      .selectFrom('organizations')
      .select('id')
      .where('slug', '=', slug)
      .executeTakeFirstOrThrow();
    const colleagueKey = await createPortalKey(handle.db, org.id, invited.body.id, 'lin');
    const asColleague = () => http('GET', `${origin}/api/v1/orgs/${slug}/members/me`, colleagueKey);
    expect((await asColleague()).status).toBe(200);

    // The adoption preview names the colleague among the members the IdP will take over.
    const preview = await portal('GET', '/provisioning/adoption-preview');
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.handOver.items.map((m: { userName: string }) => m.userName)).toContain(email);

    // The IdP's initial cycle adopts the colleague, with the manager role assigned in Entra.
    const adopted = await scim('POST', '/Users', {
      ...user(email),
      externalId: 'entra-42',
      roles: [{ primary: true, value: 'manager' }],
    });
    expect(adopted.status, JSON.stringify(adopted.body)).toBe(201);
    expect(adopted.body.id).toBe(invited.body.id);
    const inPortal = await portal('GET', `/members/${invited.body.id}`);
    expect(inPortal.body).toMatchObject({ managedBy: 'scim', readOnly: true, role: 'manager' });
    // The portal names the credential that took it over.
    expect(inPortal.body.provisionedBy.credential).toEqual({
      type: 'api_key',
      id: key.body.id,
      name: 'Entra ID provisioning',
    });
    // The portal may no longer change what the IdP owns.
    const refused = await portal('PATCH', `/members/${invited.body.id}`, { role: 'basic' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('managed_by_identity_provider');

    const deactivate = (active: boolean) =>
      scim('PATCH', `/Users/${adopted.body.id}`, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'Replace', path: 'active', value: active ? 'True' : 'False' }],
      });
    expect((await deactivate(false)).status).toBe(204);
    expect((await asColleague()).status).toBe(401);
    expect((await deactivate(true)).status).toBe(204);
    expect((await asColleague()).status).toBe(200);

    expect((await scim('DELETE', `/Users/${adopted.body.id}`)).status).toBe(204);
    expect((await asColleague()).status).toBe(401);
    expect((await portal('GET', `/members/${invited.body.id}`)).status).toBe(404);

    // The audit trail of the whole session, oldest first: the operator's plan, the admin's steps, then the IdP's.
    const audit = await portal('GET', '/audit-events?limit=200');
    const events = (audit.body.events as { action: string; actor: { type: string; id: string } }[]).reverse();
    expect(events.map((e) => e.action)).toEqual([
      'organization.updated',
      'identity.sso.updated',
      'api_key.created',
      'identity.provisioning.updated',
      'member.created',
      'scim.member.adopted',
      'scim.member.updated',
      'scim.member.updated',
      'scim.member.deleted',
    ]);
    expect(events[0]?.actor).toMatchObject({ type: 'system' });
    for (const event of events.slice(1, 5))
      expect(event.actor).toMatchObject({ type: 'member', id: managerId });
    for (const event of events.slice(5))
      expect(event.actor).toMatchObject({ type: 'api_key', id: key.body.id });
    const deleted = await portal('GET', `/audit-events?targetId=${invited.body.id}&limit=200`);
    expect(deleted.body.events.length).toBeGreaterThanOrEqual(5);
  });
});
