import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  accessTokenKey,
  clientSecretId,
  looksLikeJwt,
  SCIM_AUDIENCE,
  signAccessToken,
  verifyAccessToken,
} from './access-tokens.js';

const key = accessTokenKey(randomBytes(32));
const claims = {
  issuer: 'https://roster.example.com/oauth/acme',
  orgId: '8d6e6a4e-0000-4000-8000-000000000001',
  clientId: 'roster-abc',
  secretId: clientSecretId('a'.repeat(64)),
  scope: 'scim',
};

describe('access tokens', () => {
  it('round-trips the organization, client, scope and secret id', async () => {
    const token = await signAccessToken(key, claims);
    expect(looksLikeJwt(token)).toBe(true);
    const result = await verifyAccessToken(key, token);
    expect(result).toMatchObject({ ok: true, token: claims });
  });

  it('reports an expired token as expired', async () => {
    const token = await signAccessToken(key, claims, -60);
    expect(await verifyAccessToken(key, token)).toEqual({ ok: false, problem: 'expired' });
  });

  it('refuses a token signed with another key, a tampered payload and alg none', async () => {
    const other = await signAccessToken(accessTokenKey(randomBytes(32)), claims);
    expect(await verifyAccessToken(key, other)).toEqual({ ok: false, problem: 'invalid' });

    const [header, , signature] = (await signAccessToken(key, claims)).split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, org: 'other' })).toString('base64url');
    expect(await verifyAccessToken(key, `${header}.${forgedPayload}.${signature}`)).toEqual({
      ok: false,
      problem: 'invalid',
    });

    const none = `${Buffer.from('{"alg":"none","typ":"at+jwt"}').toString('base64url')}.${forgedPayload}.`;
    expect(await verifyAccessToken(key, none)).toEqual({ ok: false, problem: 'invalid' });
  });

  it('refuses a token for another audience', async () => {
    const token = await new SignJWT({ org: claims.orgId, scope: 'scim', sid: claims.secretId })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .setIssuer(claims.issuer)
      .setSubject(claims.clientId)
      .setAudience(`${SCIM_AUDIENCE}-not`)
      .setExpirationTime('1h')
      .sign(key);
    expect(await verifyAccessToken(key, token)).toEqual({ ok: false, problem: 'invalid' });
  });

  it('names a client secret by a stable id that differs between secrets', () => {
    expect(clientSecretId('a'.repeat(64))).toBe(clientSecretId('a'.repeat(64)));
    expect(clientSecretId('a'.repeat(64))).not.toBe(clientSecretId('b'.repeat(64)));
  });
});
