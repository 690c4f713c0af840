/**
 * OAuth 2.0 access tokens for SCIM clients: JWTs signed with HS256 under a key derived (HKDF) from
 * the server's secret key. The authorization server and the SCIM service are the same deployment
 * sharing that key, so a symmetric signature is enough: no client ever verifies our tokens, and
 * there is no public key to publish or rotate separately.
 *
 * A token carries the organization, the client, the `scim` scope and the identity of the client
 * secret it was obtained with (`sid`), so rotating the secret ends the tokens minted with the old
 * one at once instead of when they expire.
 */
import { createHash } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { deriveKey } from './server-keys.js';

/**
 * The default lifetime. Entra's gallery validation requires `expires_in` between 3600 and 21600
 * seconds (docs/reference/entra.md#authentication); operators may choose another (ROSTER_ACCESS_TOKEN_TTL).
 */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 3600;
export const SCIM_AUDIENCE = 'roster-scim';
export const SCIM_SCOPE = 'scim';

export interface AccessTokenClaims {
  /** The issuer: the organization's authorization server, `<origin>/oauth/<slug>`. */
  issuer: string;
  orgId: string;
  clientId: string;
  /** `clientSecretId` of the secret the client authenticated with. */
  secretId: string;
  scope: string;
  /**
   * The refresh-token family (one manager's approval) a code or refresh grant issued it under:
   * revoking the family ends the token too. Absent for the client-credentials grant.
   */
  familyId?: string | undefined;
}

/** The signing key for access tokens, derived from the 32-byte server secret (its own HKDF label). */
export function accessTokenKey(serverSecret: Buffer): Uint8Array {
  return new Uint8Array(deriveKey(serverSecret, 'access-token'));
}

/** A short, non-reversible name for a client secret (given its stored hash). */
export function clientSecretId(secretHash: string): string {
  return createHash('sha256').update(`client-secret:${secretHash}`).digest('base64url').slice(0, 22);
}

export async function signAccessToken(
  key: Uint8Array,
  claims: AccessTokenClaims,
  lifetimeSeconds = ACCESS_TOKEN_LIFETIME_SECONDS,
): Promise<string> {
  return new SignJWT({
    org: claims.orgId,
    scope: claims.scope,
    sid: claims.secretId,
    ...(claims.familyId ? { fam: claims.familyId } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
    .setIssuer(claims.issuer)
    .setSubject(claims.clientId)
    .setAudience(SCIM_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${lifetimeSeconds}s`)
    .setJti(crypto.randomUUID())
    .sign(key);
}

export type VerifiedToken = AccessTokenClaims & { expiresAt: Date };
export type TokenProblem = 'expired' | 'invalid';

/** Whether a bearer credential is shaped like a JWT (three base64url parts), not an API key. */
export const looksLikeJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);

/**
 * Checks the signature, the algorithm, the audience and the expiry. The issuer and the verifier are
 * the same deployment, so the clock leeway only covers skew between its hosts: 5 s.
 * Which organization and client it must belong to is the caller's check.
 */
export async function verifyAccessToken(
  key: Uint8Array,
  token: string,
): Promise<{ ok: true; token: VerifiedToken } | { ok: false; problem: TokenProblem }> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      audience: SCIM_AUDIENCE,
      typ: 'at+jwt',
      clockTolerance: 5,
      requiredClaims: ['iss', 'sub', 'exp', 'org', 'sid', 'scope'],
    });
    const { iss, sub, exp, org, sid, scope, fam } = payload;
    if (![iss, sub, org, sid, scope].every((v) => typeof v === 'string'))
      return { ok: false, problem: 'invalid' };
    if (fam !== undefined && typeof fam !== 'string') return { ok: false, problem: 'invalid' };
    return {
      ok: true,
      token: {
        issuer: iss as string,
        clientId: sub as string,
        orgId: org as string,
        secretId: sid as string,
        scope: scope as string,
        familyId: fam,
        expiresAt: new Date((exp as number) * 1000),
      },
    };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, problem: 'expired' };
    if (error instanceof errors.JOSEError) return { ok: false, problem: 'invalid' };
    throw error;
  }
}
