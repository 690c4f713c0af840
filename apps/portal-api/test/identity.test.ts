/**
 * Identity configuration over HTTP on real PostgreSQL: the admin's flow from a new organization to
 * SCIM switched on (HTTP Header and OAuth 2.0), every precondition refusal, and secrets that are
 * shown once, stored sealed or hashed, and never read back or audited.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { hashSecret } from '@roster/auth/api-keys';
import { openSecret } from '@roster/auth/secret-box';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPortalApp } from '../src/app.js';
import { type Response, send, type TestOrg, usePortal } from './harness.js';

const portal = usePortal();

const OIDC = {
  issuer: 'https://login.example.com/tenant-1/v2.0',
  clientId: 'roster-portal',
  clientSecret: 'oidc-client-secret-a7d3f9c1e5b2',
};

type Body = Record<string, unknown>;
const provisioning = (overrides: Body = {}): Body => ({
  mode: 'identity_provider',
  scimEnabled: true,
  authMethod: 'http_header',
  provisionExistingUsers: true,
  syncGroups: false,
  ...overrides,
});

interface Org extends TestOrg {
  /** Calls /api/v1/orgs/{slug}{path} as the manager. */
  call(method: string, path: string, body?: unknown): Promise<Response>;
  audit(action: string): Promise<Body[]>;
  row(): Promise<Record<string, unknown> | undefined>;
}

async function newOrg(plan: 'free' | 'team' | 'enterprise' = 'team'): Promise<Org> {
  const org = await portal().newOrg({ plan });
  const call = (method: string, path: string, body?: unknown) =>
    org.manager.call(method, `/orgs/${org.slug}${path}`, body);
  return {
    ...org,
    call,
    async audit(action) {
      const res = await call('GET', `/audit-events?action=${action}&limit=200`);
      expect(res.status).toBe(200);
      return res.body.events;
    },
    row: () =>
      portal()
        .handle.db.selectFrom('identity_configs')
        .selectAll()
        .where('org_id', '=', org.id)
        .executeTakeFirst(),
  };
}

/** An enterprise organization with SSO configured and enabled. */
async function ssoReadyOrg(options: { rbac?: boolean } = {}): Promise<Org> {
  const org = await newOrg('enterprise');
  if (options.rbac) expect((await org.call('PATCH', '', { rbacEnabled: true })).status).toBe(200);
  expect((await org.call('PUT', '/identity/sso', { enabled: true, oidc: OIDC })).status).toBe(200);
  return org;
}

async function createScimKey(org: Org): Promise<string> {
  const key = await org.call('POST', '/api-keys', { kind: 'system', name: 'Entra ID' });
  expect(key.status).toBe(201);
  return key.body.id;
}

/** Expects a 409 with the code and a message, and that nothing changed: settings, stored row, audit. */
async function expectRefused(org: Org, method: string, path: string, body: Body | undefined, code: string) {
  const before = {
    sso: (await org.call('GET', '/identity/sso')).body,
    provisioning: (await org.call('GET', '/identity/provisioning')).body,
    row: await org.row(),
    audit: (await org.call('GET', '/audit-events?limit=200')).body.events.length,
  };
  const res = await org.call(method, path, body);
  expect(res.status, JSON.stringify(res.body)).toBe(409);
  expect(res.body.error.code).toBe(code);
  expect(res.body.error.message.length).toBeGreaterThan(20);
  expect((await org.call('GET', '/identity/sso')).body).toEqual(before.sso);
  expect((await org.call('GET', '/identity/provisioning')).body).toEqual(before.provisioning);
  expect(await org.row()).toEqual(before.row);
  expect((await org.call('GET', '/audit-events?limit=200')).body.events.length).toBe(before.audit);
  return res.body.error.message as string;
}

/** The hashes of the organization's live OAuth client secrets. */
const liveSecretHashes = async (orgId: string) =>
  (
    await portal()
      .handle.db.selectFrom('oauth_client_secrets')
      .select('secret_hash')
      .where('org_id', '=', orgId)
      .where('revoked_at', 'is', null)
      .execute()
  ).map((row) => row.secret_hash);

describe('the admin flow to SCIM with the HTTP Header method', () => {
  it('goes from a new organization to SCIM enabled, one precondition at a time', async () => {
    const org = await newOrg('team');
    const origin = portal().origin;

    expect((await org.call('GET', '/identity/sso')).body).toEqual({
      enabled: false,
      protocol: 'oidc',
      signInUrl: `${origin}/sso/${org.slug}/login`,
      redirectUri: `${origin}/sso/${org.slug}/callback`,
      samlMetadataUrl: `${origin}/sso/${org.slug}/saml/metadata`,
      samlAcsUrl: `${origin}/sso/${org.slug}/saml/acs`,
      oidc: { issuer: null, clientId: null, clientSecretSet: false, userNameClaim: 'email' },
      saml: { entryPoint: null, idpEntityId: null, certificateSha256: null, userNameAttribute: null },
    });
    expect((await org.call('GET', '/identity/provisioning')).body).toEqual({
      mode: 'manual',
      scimEnabled: false,
      authMethod: 'http_header',
      provisionExistingUsers: false,
      syncGroups: false,
      scimEndpointUrl: `${origin}/scim/v2/${org.slug}`,
      apiKeysUrl: `${origin}/api/v1/orgs/${org.slug}/api-keys`,
      oauth: null,
    });

    await expectRefused(
      org,
      'PUT',
      '/identity/provisioning',
      provisioning(),
      'scim_requires_enterprise_plan',
    );
    await org.setPlan('enterprise');

    expect(
      await expectRefused(org, 'PUT', '/identity/provisioning', provisioning(), 'scim_requires_sso'),
    ).toMatch(/enable SSO/);
    const sso = await org.call('PUT', '/identity/sso', { enabled: true, oidc: OIDC });
    expect(sso.status).toBe(200);
    expect(sso.body).toEqual({
      enabled: true,
      protocol: 'oidc',
      signInUrl: `${origin}/sso/${org.slug}/login`,
      redirectUri: `${origin}/sso/${org.slug}/callback`,
      samlMetadataUrl: `${origin}/sso/${org.slug}/saml/metadata`,
      samlAcsUrl: `${origin}/sso/${org.slug}/saml/acs`,
      oidc: { issuer: OIDC.issuer, clientId: OIDC.clientId, clientSecretSet: true, userNameClaim: 'email' },
      saml: { entryPoint: null, idpEntityId: null, certificateSha256: null, userNameAttribute: null },
    });
    expect(JSON.stringify(sso.body)).not.toContain(OIDC.clientSecret);

    const message = await expectRefused(
      org,
      'PUT',
      '/identity/provisioning',
      provisioning(),
      'scim_requires_scim_key',
    );
    expect(message).toContain(`${origin}/api/v1/orgs/${org.slug}/api-keys`);
    const keyId = await createScimKey(org);

    const saved = await org.call('PUT', '/identity/provisioning', provisioning());
    expect(saved.status).toBe(200);
    const expected = {
      mode: 'identity_provider',
      scimEnabled: true,
      authMethod: 'http_header',
      provisionExistingUsers: true,
      syncGroups: false,
      scimEndpointUrl: `${origin}/scim/v2/${org.slug}`,
      apiKeysUrl: `${origin}/api/v1/orgs/${org.slug}/api-keys`,
      oauth: null,
    };
    expect(saved.body).toEqual(expected);
    expect((await org.call('GET', '/identity/provisioning')).body).toEqual(expected);

    const [ssoEvent, ...moreSso] = await org.audit('identity.sso.updated');
    expect(moreSso).toEqual([]);
    expect(ssoEvent).toMatchObject({
      actor: { type: 'member', id: org.manager.id },
      target: { type: 'identity_config', id: org.id },
      changes: {
        enabled: { from: false, to: true },
        issuer: { from: null, to: OIDC.issuer },
        clientId: { from: null, to: OIDC.clientId },
        clientSecret: 'set',
      },
    });
    const [provisioningEvent, ...moreProvisioning] = await org.audit('identity.provisioning.updated');
    expect(moreProvisioning).toEqual([]);
    expect(provisioningEvent).toMatchObject({
      actor: { type: 'member', id: org.manager.id },
      target: { type: 'identity_config', id: org.id },
    });
    expect(provisioningEvent?.changes).toEqual({
      mode: { from: 'manual', to: 'identity_provider' },
      scimEnabled: { from: false, to: true },
      provisionExistingUsers: { from: false, to: true },
    });

    // Saving the same settings again changes nothing and records nothing.
    expect((await org.call('PUT', '/identity/provisioning', provisioning())).status).toBe(200);
    expect(await org.audit('identity.provisioning.updated')).toHaveLength(1);

    // Once the only scim key is revoked, keeping SCIM on with the HTTP Header method is refused.
    expect((await org.call('DELETE', `/api-keys/${keyId}`)).status).toBe(204);
    await expectRefused(
      org,
      'PUT',
      '/identity/provisioning',
      provisioning({ provisionExistingUsers: false }),
      'scim_requires_scim_key',
    );
  });
});

describe('the admin flow to SCIM with the OAuth 2.0 method', () => {
  it('creates the OAuth client on first choice, shows its secret once, and rotates it', async () => {
    const org = await newOrg('team');
    const origin = portal().origin;
    await org.setPlan('enterprise');
    expect((await org.call('PUT', '/identity/sso', { enabled: true, oidc: OIDC })).status).toBe(200);

    // No system key is needed for OAuth 2.0.
    const saved = await org.call('PUT', '/identity/provisioning', provisioning({ authMethod: 'oauth2' }));
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.headers.get('cache-control')).toBe('no-store');
    const oauth = saved.body.oauth;
    expect(oauth).toEqual({
      tokenEndpoint: `${origin}/oauth/${org.slug}/token`,
      authorizationEndpoint: `${origin}/oauth/${org.slug}/authorize`,
      clientId: expect.stringMatching(/^roster-[0-9a-f]{16,}$/),
      redirectUris: [],
      clientSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    const firstSecret: string = oauth.clientSecret;
    expect(saved.body).toMatchObject({ scimEnabled: true, authMethod: 'oauth2' });

    const read = await org.call('GET', '/identity/provisioning');
    expect(read.body.oauth).toEqual({
      tokenEndpoint: oauth.tokenEndpoint,
      authorizationEndpoint: oauth.authorizationEndpoint,
      clientId: oauth.clientId,
      redirectUris: [],
    });
    expect(JSON.stringify(read.body)).not.toContain(firstSecret);

    const row = await org.row();
    expect(row?.oauth_client_id).toBe(oauth.clientId);
    expect(await liveSecretHashes(org.id)).toEqual([hashSecret(firstSecret)]);
    expect(JSON.stringify(row)).not.toContain(firstSecret);

    // Saving again keeps the client and shows no secret.
    const again = await org.call(
      'PUT',
      '/identity/provisioning',
      provisioning({ authMethod: 'oauth2', provisionExistingUsers: false }),
    );
    expect(again.status).toBe(200);
    expect(again.body.oauth).toEqual(read.body.oauth);
    expect(await liveSecretHashes(org.id)).toEqual([hashSecret(firstSecret)]);

    const rotated = await org.call('POST', '/identity/provisioning/oauth-client-secret');
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get('cache-control')).toBe('no-store');
    expect(rotated.body).toEqual({
      clientId: oauth.clientId,
      clientSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    const secondSecret: string = rotated.body.clientSecret;
    expect(secondSecret).not.toBe(firstSecret);
    expect(await liveSecretHashes(org.id)).toEqual([hashSecret(secondSecret)]);
    expect((await org.call('GET', '/identity/provisioning')).body.oauth).toEqual(read.body.oauth);

    const [rotation, ...moreRotations] = await org.audit('identity.oauth_secret.rotated');
    expect(moreRotations).toEqual([]);
    expect(rotation).toMatchObject({
      actor: { type: 'member', id: org.manager.id },
      target: { type: 'oauth_client', id: oauth.clientId },
    });
    const updates = await org.audit('identity.provisioning.updated');
    expect(updates.at(-1)?.changes).toEqual({
      mode: { from: 'manual', to: 'identity_provider' },
      scimEnabled: { from: false, to: true },
      authMethod: { from: 'http_header', to: 'oauth2' },
      provisionExistingUsers: { from: false, to: true },
      oauthClientId: { from: null, to: oauth.clientId },
    });

    // Switching to HTTP Header keeps the client for later; coming back reuses it, with no new secret.
    await createScimKey(org);
    const header = await org.call('PUT', '/identity/provisioning', provisioning());
    expect(header.status).toBe(200);
    expect(header.body.oauth).toBeNull();
    await expectRefused(
      org,
      'POST',
      '/identity/provisioning/oauth-client-secret',
      undefined,
      'oauth_not_configured',
    );
    const back = await org.call('PUT', '/identity/provisioning', provisioning({ authMethod: 'oauth2' }));
    expect(back.body.oauth).toEqual(read.body.oauth);
    expect(await liveSecretHashes(org.id)).toEqual([hashSecret(secondSecret)]);

    const everything = JSON.stringify([
      (await org.call('GET', '/identity/provisioning')).body,
      (await org.call('GET', '/identity/sso')).body,
      (await org.call('GET', '/audit-events?limit=200')).body,
    ]);
    for (const secret of [firstSecret, secondSecret, OIDC.clientSecret])
      expect(everything).not.toContain(secret);
  });

  it('refuses to rotate before an OAuth client exists', async () => {
    const org = await ssoReadyOrg();
    await expectRefused(
      org,
      'POST',
      '/identity/provisioning/oauth-client-secret',
      undefined,
      'oauth_not_configured',
    );
  });

  it('creates no OAuth client when the change is refused', async () => {
    const org = await newOrg('enterprise');
    await expectRefused(
      org,
      'PUT',
      '/identity/provisioning',
      provisioning({ authMethod: 'oauth2' }),
      'scim_requires_sso',
    );
    expect((await org.row())?.oauth_client_id ?? null).toBeNull();
  });
});

describe('provisioning preconditions', () => {
  it('refuses SCIM in manual mode before anything else', async () => {
    const org = await newOrg('free');
    const message = await expectRefused(
      org,
      'PUT',
      '/identity/provisioning',
      provisioning({ mode: 'manual' }),
      'scim_requires_identity_provider_mode',
    );
    expect(message).toContain('identity_provider');
  });

  it('refuses SCIM on the free and team plans, saying to upgrade', async () => {
    for (const plan of ['free', 'team'] as const) {
      const org = await newOrg(plan);
      const message = await expectRefused(
        org,
        'PUT',
        '/identity/provisioning',
        provisioning(),
        'scim_requires_enterprise_plan',
      );
      expect(message).toMatch(/Enterprise/);
    }
  });

  it('refuses SCIM without SSO enabled, also when SSO is configured but off', async () => {
    const org = await newOrg('enterprise');
    await createScimKey(org);
    await expectRefused(org, 'PUT', '/identity/provisioning', provisioning(), 'scim_requires_sso');
    expect((await org.call('PUT', '/identity/sso', { enabled: false, oidc: OIDC })).status).toBe(200);
    await expectRefused(org, 'PUT', '/identity/provisioning', provisioning(), 'scim_requires_sso');
  });

  it('counts only live system keys with the scim scope for the HTTP Header method', async () => {
    const org = await ssoReadyOrg();
    expect((await org.call('POST', '/api-keys', { kind: 'personal', name: 'laptop' })).status).toBe(201);
    const revoked = await createScimKey(org);
    expect((await org.call('DELETE', `/api-keys/${revoked}`)).status).toBe(204);
    await expectRefused(org, 'PUT', '/identity/provisioning', provisioning(), 'scim_requires_scim_key');
    // Another organization's key does not count either.
    await createScimKey(await ssoReadyOrg());
    await expectRefused(org, 'PUT', '/identity/provisioning', provisioning(), 'scim_requires_scim_key');
    await createScimKey(org);
    expect((await org.call('PUT', '/identity/provisioning', provisioning())).status).toBe(200);
  });

  it('refuses group sync without RBAC, then asks for confirmation', async () => {
    const org = await ssoReadyOrg();
    await createScimKey(org);
    const groups = provisioning({ syncGroups: true, confirmSyncGroups: true });
    expect(
      await expectRefused(org, 'PUT', '/identity/provisioning', groups, 'group_sync_requires_rbac'),
    ).toMatch(/RBAC/);
    // Also with SCIM off: the setting is refused, not stored for later.
    await expectRefused(
      org,
      'PUT',
      '/identity/provisioning',
      { ...groups, scimEnabled: false },
      'group_sync_requires_rbac',
    );
    expect((await org.call('PATCH', '', { rbacEnabled: true })).status).toBe(200);

    for (const confirm of [{}, { confirmSyncGroups: false }]) {
      const message = await expectRefused(
        org,
        'PUT',
        '/identity/provisioning',
        provisioning({ syncGroups: true, ...confirm }),
        'group_sync_requires_confirmation',
      );
      expect(message).toMatch(/hands group management to the identity provider/);
      expect(message).toMatch(/same names/);
      expect(message).toContain('confirmSyncGroups');
    }
    const saved = await org.call('PUT', '/identity/provisioning', groups);
    expect(saved.status).toBe(200);
    expect(saved.body.syncGroups).toBe(true);
    // Already on: no confirmation asked again.
    const kept = await org.call('PUT', '/identity/provisioning', provisioning({ syncGroups: true }));
    expect(kept.status).toBe(200);
    const events = await org.audit('identity.provisioning.updated');
    expect(events).toHaveLength(1);
    expect(events[0]?.changes).toMatchObject({ syncGroups: { from: false, to: true } });
  });

  it('checks the preconditions in the documented order', async () => {
    const org = await newOrg('team');
    const all = provisioning({ mode: 'manual', syncGroups: true });
    await expectRefused(org, 'PUT', '/identity/provisioning', all, 'scim_requires_identity_provider_mode');
    const idp = { ...all, mode: 'identity_provider' };
    await expectRefused(org, 'PUT', '/identity/provisioning', idp, 'scim_requires_enterprise_plan');
    await org.setPlan('enterprise');
    await expectRefused(org, 'PUT', '/identity/provisioning', idp, 'scim_requires_sso');
    await org.call('PUT', '/identity/sso', { enabled: true, oidc: OIDC });
    await expectRefused(org, 'PUT', '/identity/provisioning', idp, 'scim_requires_scim_key');
    await createScimKey(org);
    await expectRefused(org, 'PUT', '/identity/provisioning', idp, 'group_sync_requires_rbac');
    await org.call('PATCH', '', { rbacEnabled: true });
    await expectRefused(org, 'PUT', '/identity/provisioning', idp, 'group_sync_requires_confirmation');
    expect(
      (await org.call('PUT', '/identity/provisioning', { ...idp, confirmSyncGroups: true })).status,
    ).toBe(200);
  });

  it('lets SCIM be switched off and the mode go back to manual whatever the plan', async () => {
    const org = await ssoReadyOrg();
    await createScimKey(org);
    expect((await org.call('PUT', '/identity/provisioning', provisioning())).status).toBe(200);
    await org.setPlan('team');
    const off = await org.call(
      'PUT',
      '/identity/provisioning',
      provisioning({ mode: 'manual', scimEnabled: false }),
    );
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ mode: 'manual', scimEnabled: false });
  });

  it('validates the body strictly', async () => {
    const org = await ssoReadyOrg();
    for (const body of [
      { ...provisioning(), extra: true },
      provisioning({ mode: 'automatic' }),
      provisioning({ authMethod: 'basic' }),
      provisioning({ scimEnabled: 'yes' }),
      { mode: 'identity_provider' },
    ]) {
      const res = await org.call('PUT', '/identity/provisioning', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
  });
});

describe('SSO', () => {
  it('needs a client secret to enable SSO, and keeps the stored one when none is sent', async () => {
    const org = await newOrg('enterprise');
    const { clientSecret: _omitted, ...withoutSecret } = OIDC;
    const message = await expectRefused(
      org,
      'PUT',
      '/identity/sso',
      { enabled: true, oidc: withoutSecret },
      'sso_incomplete',
    );
    expect(message).toContain('clientSecret');

    // Configure first, enable later: the stored secret counts.
    const configured = await org.call('PUT', '/identity/sso', { enabled: false, oidc: OIDC });
    const origin = portal().origin;
    expect(configured.body).toEqual({
      enabled: false,
      protocol: 'oidc',
      signInUrl: `${origin}/sso/${org.slug}/login`,
      redirectUri: `${origin}/sso/${org.slug}/callback`,
      samlMetadataUrl: `${origin}/sso/${org.slug}/saml/metadata`,
      samlAcsUrl: `${origin}/sso/${org.slug}/saml/acs`,
      oidc: { issuer: OIDC.issuer, clientId: OIDC.clientId, clientSecretSet: true, userNameClaim: 'email' },
      saml: { entryPoint: null, idpEntityId: null, certificateSha256: null, userNameAttribute: null },
    });
    const enabled = await org.call('PUT', '/identity/sso', { enabled: true, oidc: withoutSecret });
    expect(enabled.status).toBe(200);
    expect(enabled.body).toEqual({ ...configured.body, enabled: true });

    // Another issuer or client id: the stored secret was for the previous client, so it is dropped.
    const otherIssuer = { ...withoutSecret, issuer: 'https://idp.example.org' };
    expect(
      await expectRefused(
        org,
        'PUT',
        '/identity/sso',
        { enabled: true, oidc: otherIssuer },
        'sso_incomplete',
      ),
    ).toMatch(/changed/);
    await expectRefused(
      org,
      'PUT',
      '/identity/sso',
      { enabled: true, oidc: { ...withoutSecret, clientId: 'other-client' } },
      'sso_incomplete',
    );
    const moved = await org.call('PUT', '/identity/sso', { enabled: false, oidc: otherIssuer });
    expect(moved.body.oidc).toEqual({
      issuer: otherIssuer.issuer,
      clientId: OIDC.clientId,
      clientSecretSet: false,
      userNameClaim: 'email',
    });
    expect((await org.audit('identity.sso.updated'))[0]?.changes).toEqual({
      enabled: { from: true, to: false },
      issuer: { from: OIDC.issuer, to: otherIssuer.issuer },
      clientSecret: 'cleared',
    });

    const replaced = await org.call('PUT', '/identity/sso', {
      enabled: true,
      oidc: { ...otherIssuer, clientSecret: 'another-secret-value' },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.oidc.clientSecretSet).toBe(true);
  });

  it('refuses to disable SSO while SCIM is on, until SCIM is turned off', async () => {
    const org = await ssoReadyOrg();
    await createScimKey(org);
    expect((await org.call('PUT', '/identity/provisioning', provisioning())).status).toBe(200);
    const message = await expectRefused(
      org,
      'PUT',
      '/identity/sso',
      { enabled: false, oidc: OIDC },
      'sso_required_by_scim',
    );
    expect(message).toMatch(/turn SCIM provisioning off first/);
    expect(
      (await org.call('PUT', '/identity/provisioning', provisioning({ scimEnabled: false }))).status,
    ).toBe(200);
    const off = await org.call('PUT', '/identity/sso', { enabled: false, oidc: OIDC });
    expect(off.status).toBe(200);
    expect(off.body.enabled).toBe(false);
  });

  it('takes https issuers at public hosts only (outside development), and validates the body strictly', async () => {
    const org = await newOrg('enterprise');
    expect((await org.call('PUT', '/identity/sso', { enabled: true, oidc: OIDC })).status).toBe(200);
    // The server fetches the issuer: plain http, loopback, private, link-local and metadata
    // addresses are refused with one generic message (the detail goes to the log).
    for (const issuer of [
      'http://localhost:8080/realms/x',
      'http://login.example.com',
      'https://127.0.0.1:9000',
      'https://[::1]/',
      'https://10.0.0.5/realms/x',
      'https://169.254.169.254/latest',
      'https://[::ffff:a9fe:a9fe]/',
      'https://metadata.google.internal/',
    ]) {
      const res = await org.call('PUT', '/identity/sso', { enabled: true, oidc: { ...OIDC, issuer } });
      expect(res.status, issuer).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.message).toMatch(/^The identity provider's address is not allowed/);
    }
    for (const body of [
      { enabled: true, oidc: { ...OIDC, issuer: 'login.example.com' } },
      { enabled: true, oidc: { ...OIDC, issuer: 'https://login.example.com/?tenant=1' } },
      { enabled: true, oidc: { ...OIDC, issuer: 'ftp://login.example.com' } },
      { enabled: true, oidc: { ...OIDC, clientId: '' } },
      { enabled: true, oidc: { ...OIDC, clientSecret: '' } },
      { enabled: true, oidc: { ...OIDC, saml: {} } },
      { enabled: true, oidc: OIDC, extra: 1 },
      { enabled: 'true', oidc: OIDC },
      { enabled: true },
    ]) {
      const res = await org.call('PUT', '/identity/sso', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
  });

  describe('client secret at rest', () => {
    const key = randomBytes(32);
    let origin = '';
    let close: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      const app = createPortalApp({
        db: portal().handle.db,
        logger: pino({ level: 'silent' }),
        config: { maxBodyBytes: 1024 * 1024, trustProxy: false },
        secretKey: key,
      });
      const server = app.listen(0, '127.0.0.1');
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      close = () => new Promise<void>((resolve) => server.close(() => resolve()));
    });
    afterAll(async () => close?.());

    it('is stored sealed with the server key, never as the plaintext, and never read back', async () => {
      const org = await newOrg('enterprise');
      const call = (method: string, path: string, body?: unknown) =>
        send(`${origin}/api/v1/orgs/${org.slug}${path}`, method, org.manager.token, body);
      expect((await call('PUT', '/identity/sso', { enabled: true, oidc: OIDC })).status).toBe(200);
      const sealed = String((await org.row())?.oidc_client_secret_encrypted);
      // v2: under the key derived for stored secrets (@roster/auth/server-keys), not the server key itself.
      expect(sealed).toMatch(/^v2\./);
      expect(() => openSecret(sealed, key, 'cookie')).toThrow();
      expect(sealed).not.toContain(OIDC.clientSecret);
      expect(sealed).not.toContain(Buffer.from(OIDC.clientSecret).toString('base64url'));
      expect(openSecret(sealed, key)).toBe(OIDC.clientSecret);
      expect(() => openSecret(sealed, randomBytes(32))).toThrow();

      const reads = JSON.stringify([
        (await call('GET', '/identity/sso')).body,
        (await call('GET', '/identity/provisioning')).body,
        (await call('GET', '/audit-events?limit=200')).body,
      ]);
      expect(reads).not.toContain(OIDC.clientSecret);
      expect(reads).not.toContain(sealed);
    });
  });
});

describe('access', () => {
  const endpoints = [
    ['GET', '/identity/sso', undefined],
    ['PUT', '/identity/sso', { enabled: false, oidc: OIDC }],
    ['GET', '/identity/provisioning', undefined],
    ['PUT', '/identity/provisioning', provisioning({ scimEnabled: false })],
    ['POST', '/identity/provisioning/oauth-client-secret', undefined],
  ] as const;

  it('is for managers only: basic members get 403 and change nothing', async () => {
    const org = await ssoReadyOrg();
    const basic = await org.addMember('basic');
    for (const [method, path, body] of endpoints) {
      const res = await basic.call(method, `/orgs/${org.slug}${path}`, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    expect((await org.call('GET', '/identity/sso')).body.enabled).toBe(true);
  });

  it("never lets one organization's manager into another's identity configuration", async () => {
    const a = await newOrg('enterprise');
    const b = await ssoReadyOrg();
    for (const [method, path, body] of endpoints) {
      expect((await a.manager.call(method, `/orgs/${b.slug}${path}`, body)).status, `${method} ${path}`).toBe(
        401,
      );
    }
    expect((await b.call('GET', '/identity/sso')).body.enabled).toBe(true);
  });
});
