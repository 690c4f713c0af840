/**
 * OAuth 2.0 access tokens at the SCIM service: accepted when the organization configured the
 * OAuth 2.0 method, and refused with a 401 (or 403 for the scope) that says why when expired,
 * forged, for another organization, minted with a rotated secret, lacking the scim scope, or when
 * the organization uses the HTTP Header method. Tokens are signed here with the process's key,
 * as the portal's authorization server does (its grants are tested in apps/portal-api).
 */
import { randomBytes } from 'node:crypto';
import { accessTokenKey, clientSecretId, signAccessToken } from '@roster/auth/access-tokens';
import { ephemeralSecretKey } from '@roster/auth/secret-box';
import {
  addClientSecret,
  listClientSecrets,
  revokeClientSecret,
  revokeClientSecrets,
} from '@roster/directory/oauth';
import { describe, expect, it } from 'vitest';
import { type Org, send } from './harness.js';
import { configure, expectScimError, USER_SCHEMA, upn, useHarness } from './helpers.js';

describe('OAuth 2.0 access tokens (postgres)', () => {
  const harness = useHarness('postgres');
  const key = accessTokenKey(ephemeralSecretKey());

  /** Switches the organization to the OAuth 2.0 method with a client; returns its secret hash. */
  async function useOAuth(
    org: Org,
    expiresAt: Date | null = null,
  ): Promise<{ clientId: string; secretHash: string }> {
    const clientId = `roster-${org.slug}`;
    await configure(harness().db, org, { scimAuthMethod: 'oauth2', oauthClientId: clientId });
    const { row } = await addClientSecret(harness().db, org.id, expiresAt);
    return { clientId, secretHash: row.secret_hash };
  }

  async function tokenFor(
    org: Org,
    client: { clientId: string; secretHash: string },
    overrides: { scope?: string; lifetime?: number; signingKey?: Uint8Array; familyId?: string } = {},
  ) {
    return signAccessToken(
      overrides.signingKey ?? key,
      {
        issuer: `${harness().origin}/oauth/${org.slug}`,
        orgId: org.id,
        clientId: client.clientId,
        secretId: clientSecretId(client.secretHash),
        scope: overrides.scope ?? 'scim',
        familyId: overrides.familyId,
      },
      overrides.lifetime,
    );
  }

  const call = (org: Org, token: string, method = 'GET', body?: unknown) =>
    send(`${org.base}/Users`, method, token, body);

  function expectRefused(res: Awaited<ReturnType<typeof call>>, status: number, detail: RegExp) {
    expectScimError(res, status);
    expect(res.body.detail).toMatch(detail);
    expect(res.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="SCIM", error="(invalid_token|insufficient_scope)"/,
    );
  }

  it('serves an organization configured for OAuth 2.0 with its access token', async () => {
    const org = await harness().newOrg();
    const token = await tokenFor(org, await useOAuth(org));
    const created = await call(org, token, 'POST', { schemas: [USER_SCHEMA], userName: upn() });
    expect(created.status).toBe(201);
    expect((await call(org, token)).body.totalResults).toBe(1);
    // Discovery names the method the IdP must use.
    const config = await send(`${org.base}/ServiceProviderConfig`, 'GET', token);
    expect(config.body.authenticationSchemes).toEqual([
      expect.objectContaining({
        type: 'oauth2',
        description: expect.stringContaining(`/oauth/${org.slug}/token`),
      }),
    ]);
  });

  it('refuses an expired token, naming the token endpoint', async () => {
    const org = await harness().newOrg();
    const token = await tokenFor(org, await useOAuth(org), { lifetime: -120 });
    expectRefused(await call(org, token), 401, new RegExp(`expired.*/oauth/${org.slug}/token`));
  });

  it('refuses a token signed with another key, and a tampered one', async () => {
    const org = await harness().newOrg();
    const client = await useOAuth(org);
    const forged = await tokenFor(org, client, { signingKey: accessTokenKey(randomBytes(32)) });
    expectRefused(await call(org, forged), 401, /not valid/);

    const [header, payload, signature] = (await tokenFor(org, client)).split('.');
    const claims = JSON.parse(Buffer.from(String(payload), 'base64url').toString());
    const widened = Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 86_400 })).toString(
      'base64url',
    );
    expectRefused(await call(org, `${header}.${widened}.${signature}`), 401, /not valid/);
  });

  it("refuses another organization's token", async () => {
    const org = await harness().newOrg();
    const other = await harness().newOrg();
    await useOAuth(org);
    const otherToken = await tokenFor(other, await useOAuth(other));
    expectRefused(
      await call(org, otherToken, 'POST', { schemas: [USER_SCHEMA], userName: upn() }),
      401,
      /another organization/,
    );
    expect((await call(other, otherToken)).body.totalResults).toBe(0);
  });

  it('refuses a token without the scim scope with 403 insufficient_scope', async () => {
    const org = await harness().newOrg();
    const token = await tokenFor(org, await useOAuth(org), { scope: 'portal' });
    expectRefused(await call(org, token), 403, /scim scope/);
  });

  it('refuses a token obtained with a secret that has since been rotated', async () => {
    const org = await harness().newOrg();
    const client = await useOAuth(org);
    const token = await tokenFor(org, client);
    await revokeClientSecrets(harness().db, org.id);
    await addClientSecret(harness().db, org.id);
    expectRefused(await call(org, token), 401, /revoked or rotated/);
  });

  it('takes tokens of either of two live secrets, and refuses those of a revoked or expired one', async () => {
    const org = await harness().newOrg();
    const first = await useOAuth(org);
    const second = await addClientSecret(harness().db, org.id, new Date(Date.now() + 3600_000));
    const byFirst = await tokenFor(org, first);
    const bySecond = await tokenFor(org, { clientId: first.clientId, secretHash: second.row.secret_hash });
    expect((await call(org, byFirst)).status).toBe(200);
    expect((await call(org, bySecond)).status).toBe(200);

    const [firstId] = (await listClientSecrets(harness().db, org.id)).map((row) => row.id);
    await revokeClientSecret(harness().db, org.id, String(firstId));
    expectRefused(await call(org, byFirst), 401, /revoked or rotated/);
    expect((await call(org, bySecond)).status).toBe(200);

    await harness()
      .db.updateTable('oauth_client_secrets')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('org_id', '=', org.id)
      .execute();
    expectRefused(await call(org, bySecond), 401, /secret this access token was obtained with expired at/);
  });

  it('refuses a token issued under a refresh-token family that has since been revoked', async () => {
    const org = await harness().newOrg();
    const client = await useOAuth(org);
    const family = (id: string) => ({
      org_id: org.id,
      id,
      secret_hash: 'x',
      client_id: client.clientId,
      scope: 'scim',
      approved_by: null,
      family_id: id,
      expires_at: new Date(Date.now() + 3600_000),
      last_used_at: null,
      used_at: null,
      revoked_at: null,
    });
    await harness()
      .db.insertInto('oauth_refresh_tokens')
      .values([family('aaaaaaaaaaaaaaaa'), family('bbbbbbbbbbbbbbbb')])
      .execute();
    const live = await tokenFor(org, client, { familyId: 'aaaaaaaaaaaaaaaa' });
    const revoked = await tokenFor(org, client, { familyId: 'bbbbbbbbbbbbbbbb' });
    await harness()
      .db.updateTable('oauth_refresh_tokens')
      .set({ revoked_at: new Date() })
      .where('org_id', '=', org.id)
      .where('family_id', '=', 'bbbbbbbbbbbbbbbb')
      .execute();
    expect((await call(org, live)).status).toBe(200);
    expectRefused(
      await call(org, revoked),
      401,
      /approval this access token was issued under has been revoked/,
    );
    // A client-credentials token names no family.
    expect((await call(org, await tokenFor(org, client))).status).toBe(200);
  });

  it('refuses access tokens while the organization uses the HTTP Header method, naming it', async () => {
    const org = await harness().newOrg();
    const token = await tokenFor(org, await useOAuth(org));
    await configure(harness().db, org, { scimAuthMethod: 'http_header' });
    expectRefused(await call(org, token), 401, /HTTP Header method/);
    // And the organization's API key works again.
    expect((await org.request('GET', '/Users')).status).toBe(200);
  });

  it('changes nothing while refusing', async () => {
    const org = await harness().newOrg();
    const client = await useOAuth(org);
    for (const token of [
      await tokenFor(org, client, { lifetime: -120 }),
      await tokenFor(org, client, { scope: 'other' }),
      await tokenFor(org, client, { signingKey: accessTokenKey(randomBytes(32)) }),
    ]) {
      expect(
        (await call(org, token, 'POST', { schemas: [USER_SCHEMA], userName: upn() })).status,
      ).toBeGreaterThanOrEqual(400);
    }
    const valid = await tokenFor(org, client);
    expect((await call(org, valid)).body.totalResults).toBe(0);
  });
});
