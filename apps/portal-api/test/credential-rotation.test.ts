/**
 * Rotation with overlap and expiry, through the portal API: an OAuth client holds at most two live
 * secrets (create the new one, both authenticate, revoke the old), each with an optional expiry;
 * API keys get an optional expiry. Listings show expiry and last use, never a secret; an expired
 * secret or key is a 401 that says it expired.
 */
import { describe, expect, it } from 'vitest';
import { type Response, type TestOrg, usePortal } from './harness.js';

const portal = usePortal();
const SECRETS = '/identity/provisioning/oauth-client-secrets';

interface OAuthOrg extends TestOrg {
  call(method: string, path: string, body?: unknown): Promise<Response>;
  clientId: string;
  clientSecret: string;
}

async function oauthOrg(): Promise<OAuthOrg> {
  const org = await portal().newOrg({ plan: 'enterprise' });
  const call = (method: string, path: string, body?: unknown) =>
    org.manager.call(method, `/orgs/${org.slug}${path}`, body);
  await call('PUT', '/identity/sso', {
    enabled: true,
    oidc: { issuer: 'https://login.example.com', clientId: 'roster', clientSecret: 'oidc-secret-123456' },
  });
  const saved = await call('PUT', '/identity/provisioning', {
    mode: 'identity_provider',
    scimEnabled: true,
    authMethod: 'oauth2',
    provisionExistingUsers: false,
    syncGroups: false,
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  return { ...org, call, clientId: saved.body.oauth.clientId, clientSecret: saved.body.oauth.clientSecret };
}

async function token(org: { slug: string; clientId: string }, secret: string) {
  const res = await fetch(`${portal().origin}/oauth/${org.slug}/token`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${Buffer.from(`${org.clientId}:${secret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials',
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();

describe('OAuth client secrets', () => {
  it('rotates with overlap: a second secret works beside the first until the first is revoked', async () => {
    const org = await oauthOrg();
    const listed = await org.call('GET', SECRETS);
    expect(listed.status).toBe(200);
    expect(listed.body.clientId).toBe(org.clientId);
    expect(listed.body.secrets).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f]{16}$/),
        createdAt: expect.any(String),
        expiresAt: null,
        expired: false,
        lastUsedAt: null,
      },
    ]);
    const firstId: string = listed.body.secrets[0].id;

    const expiresAt = inAnHour();
    const created = await org.call('POST', SECRETS, { expiresAt });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{16}$/),
      clientId: org.clientId,
      clientSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      expiresAt,
      expired: false,
      lastUsedAt: null,
    });
    const second: string = created.body.clientSecret;

    expect((await token(org, org.clientSecret)).status).toBe(200);
    expect((await token(org, second)).status).toBe(200);

    // A third live secret is refused, and nothing changes.
    const third = await org.call('POST', SECRETS, {});
    expect(third.status).toBe(409);
    expect(third.body.error.code).toBe('too_many_client_secrets');
    expect(third.body.error.message).toMatch(/revoke/);

    // The list shows both, with their last use (recorded off the request's path), never a secret.
    const listBoth = () => org.call('GET', SECRETS);
    await expect
      .poll(async () =>
        (await listBoth()).body.secrets.map((s: { lastUsedAt: string | null }) => s.lastUsedAt !== null),
      )
      .toEqual([true, true]);
    const both = await listBoth();
    expect(both.body.secrets.map((s: { id: string }) => s.id)).toEqual([firstId, created.body.id]);
    expect(JSON.stringify(both.body)).not.toContain(org.clientSecret);
    expect(JSON.stringify(both.body)).not.toContain(second);

    expect((await org.call('DELETE', `${SECRETS}/${firstId}`)).status).toBe(204);
    expect((await token(org, org.clientSecret)).status).toBe(401);
    expect((await token(org, second)).status).toBe(200);
    expect((await org.call('DELETE', `${SECRETS}/${firstId}`)).status).toBe(404);
    expect((await org.call('GET', SECRETS)).body.secrets.map((s: { id: string }) => s.id)).toEqual([
      created.body.id,
    ]);

    const audit = await org.call('GET', '/audit-events?limit=50');
    const actions = audit.body.events.map((e: { action: string }) => e.action);
    expect(actions).toContain('identity.oauth_secret.created');
    expect(actions).toContain('identity.oauth_secret.revoked');
    expect(JSON.stringify(audit.body)).not.toContain(second);
  });

  it('refuses an expired secret with invalid_client saying it expired, and lets a new one be created', async () => {
    const org = await oauthOrg();
    const created = await org.call('POST', SECRETS, { expiresAt: inAnHour() });
    await portal()
      .handle.db.updateTable('oauth_client_secrets')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('org_id', '=', org.id)
      .where('id', '=', created.body.id)
      .execute();
    const expired = await token(org, created.body.clientSecret);
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({
      error: 'invalid_client',
      error_description: expect.stringMatching(/^The client secret expired at \d{4}-/),
    });
    const listed = await org.call('GET', SECRETS);
    expect(listed.body.secrets.find((s: { id: string }) => s.id === created.body.id)).toMatchObject({
      expired: true,
    });
    // An expired secret no longer counts against the two.
    expect((await org.call('POST', SECRETS, {})).status).toBe(201);
  });

  it('refuses an expiry in the past or malformed, and needs the OAuth client', async () => {
    const org = await oauthOrg();
    for (const expiresAt of [new Date(Date.now() - 1000).toISOString(), 'tomorrow']) {
      const res = await org.call('POST', SECRETS, { expiresAt });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    const plain = await portal().newOrg({ plan: 'enterprise' });
    const refused = await plain.manager.call('POST', `/orgs/${plain.slug}${SECRETS}`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('oauth_not_configured');
    const basic = await org.addMember('basic');
    expect((await basic.call('GET', `/orgs/${org.slug}${SECRETS}`)).status).toBe(403);
  });
});

describe('API key expiry', () => {
  it('creates a key with an expiry, lists it with its last use, and refuses it once expired with a 401 that says so', async () => {
    const org = await portal().newOrg();
    const expiresAt = inAnHour();
    const created = await org.manager.call('POST', `/orgs/${org.slug}/api-keys`, {
      kind: 'personal',
      name: 'script',
      expiresAt,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ expiresAt, lastUsedAt: null });
    const token: string = created.body.token;
    expect((await portal().request('GET', `/orgs/${org.slug}/members/me`, token)).status).toBe(200);

    const listed = await org.manager.call('GET', `/orgs/${org.slug}/api-keys`);
    const key = listed.body.apiKeys.find((k: { id: string }) => k.id === created.body.id);
    expect(key).toMatchObject({ expiresAt });
    // Last use is recorded off the request's path: it shows up shortly.
    await expect
      .poll(async () => {
        const keys = (await org.manager.call('GET', `/orgs/${org.slug}/api-keys`)).body.apiKeys;
        return keys.find((k: { id: string }) => k.id === created.body.id).lastUsedAt !== null;
      })
      .toBe(true);
    expect(JSON.stringify(listed.body)).not.toContain(token);
    const withoutExpiry = listed.body.apiKeys.find((k: { id: string }) => k.id !== created.body.id);
    expect(withoutExpiry.expiresAt).toBeNull();

    await portal()
      .handle.db.updateTable('api_keys')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('org_id', '=', org.id)
      .where('id', '=', created.body.id)
      .execute();
    const refused = await portal().request('GET', `/orgs/${org.slug}/members/me`, token);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toMatchObject({
      code: 'unauthenticated',
      message: expect.stringMatching(/^This API key expired at \d{4}-/),
    });
  });

  it('does not count an expired system key as the scim key the HTTP Header method needs', async () => {
    const org = await portal().newOrg({ plan: 'enterprise' });
    const call = (method: string, path: string, body?: unknown) =>
      org.manager.call(method, `/orgs/${org.slug}${path}`, body);
    await call('PUT', '/identity/sso', {
      enabled: true,
      oidc: { issuer: 'https://login.example.com', clientId: 'roster', clientSecret: 'oidc-secret-123456' },
    });
    const key = await call('POST', '/api-keys', { kind: 'system', name: 'Entra', expiresAt: inAnHour() });
    await portal()
      .handle.db.updateTable('api_keys')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('org_id', '=', org.id)
      .where('id', '=', key.body.id)
      .execute();
    const refused = await call('PUT', '/identity/provisioning', {
      mode: 'identity_provider',
      scimEnabled: true,
      authMethod: 'http_header',
      provisionExistingUsers: false,
      syncGroups: false,
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('scim_requires_scim_key');
  });

  it('refuses an expiry in the past', async () => {
    const org = await portal().newOrg();
    const res = await org.manager.call('POST', `/orgs/${org.slug}/api-keys`, {
      kind: 'system',
      name: 'Entra',
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
  });
});
