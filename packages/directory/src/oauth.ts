/**
 * The OAuth 2.0 authorization server's records: each organization's client (its id from the
 * identity configuration, its secrets), the authorization codes a manager's approval issues, and
 * the refresh tokens the code exchange hands out. Secrets, codes and refresh tokens are stored only
 * as SHA-256 hashes.
 */
import { randomBytes } from 'node:crypto';
import { hashSecret, verifySecret } from '@roster/auth/api-keys';
import type { Database, OAuthClientSecretRow } from '@roster/db';
import { type Kysely, sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { inTransaction, notifyCredentialChange } from './credential-cache.js';
import { SCIM_SWITCH_COLUMNS, type ScimSwitches, scimSwitches } from './identity.js';
import { organizationIdBySlug } from './organizations.js';

type Db = Kysely<Database>;

/** One of a client's live (not revoked) secrets; the secret itself is never stored. */
export interface OAuthClientSecret {
  id: string;
  hash: string;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

/** An organization's OAuth client with the switches that decide whether it may get tokens. */
export interface OAuthClient {
  orgId: string;
  orgSlug: string;
  switches: ScimSwitches;
  clientId: string | null;
  /** Its live secrets (at most two; expired ones included, so a refusal can say it expired). */
  secrets: OAuthClientSecret[];
  redirectUris: string[];
  /** With `familyId`: whether that refresh-token family has been revoked. */
  familyRevoked: boolean;
}

const date = (value: Date | string | null) => (value === null ? null : new Date(value));

/** The organization's client secrets not revoked (expired ones included), as a JSON array. */
function liveSecrets(db: Db, orgId: string) {
  return jsonArrayFrom(
    db
      .selectFrom('oauth_client_secrets as s')
      .select(['s.id', 's.secret_hash', 's.expires_at', 's.last_used_at'])
      .where('s.org_id', '=', orgId)
      .where('s.revoked_at', 'is', null)
      .orderBy('s.created_at'),
  );
}

/** Whether a refresh-token family has been revoked (false without a family). */
function familyRevoked(db: Db, orgId: string, familyId: string | undefined) {
  if (!familyId) return sql<boolean>`false`;
  return sql<boolean>`exists (${db
    .selectFrom('oauth_refresh_tokens as r')
    .select('r.id')
    .where('r.org_id', '=', orgId)
    .where('r.family_id', '=', familyId)
    .where('r.revoked_at', 'is not', null)})`;
}

/**
 * One indexed lookup by the organization's slug, the client's live secrets aggregated in the same
 * statement (the SCIM service makes it on every request with an access token); undefined when
 * there is no such organization.
 */
export async function findOAuthClient(
  db: Db,
  orgSlug: string,
  { familyId }: { familyId?: string | undefined } = {},
): Promise<OAuthClient | undefined> {
  // The organization first, so that every tenant table below is read with org_id a constant.
  const orgId = await organizationIdBySlug(db, orgSlug);
  if (!orgId) return undefined;
  const row = await db
    .selectFrom('organizations as o')
    .leftJoin('identity_configs as c', (join) =>
      join.onRef('c.org_id', '=', 'o.id').on('c.org_id', '=', orgId),
    )
    .select([
      'o.id',
      'o.slug',
      ...SCIM_SWITCH_COLUMNS,
      'c.oauth_client_id',
      'c.oauth_redirect_uris',
      liveSecrets(db, orgId).as('secrets'),
      // An access token from a code or refresh grant names its family: is it revoked? (In the same
      // statement, so checking costs the SCIM request no extra round trip.)
      familyRevoked(db, orgId, familyId).as('family_revoked'),
    ])
    .where('o.id', '=', orgId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    orgId: row.id,
    orgSlug: row.slug,
    switches: scimSwitches(row),
    clientId: row.oauth_client_id,
    secrets: row.oauth_client_id
      ? row.secrets.map((secret) => ({
          id: secret.id,
          hash: secret.secret_hash,
          expiresAt: date(secret.expires_at),
          lastUsedAt: date(secret.last_used_at),
        }))
      : [],
    redirectUris: row.oauth_redirect_uris ?? [],
    familyRevoked: row.family_revoked === true,
  };
}

/** What an access token is checked against on each SCIM request, for an organization whose id is known. */
export interface OAuthClientCredential {
  orgId: string;
  clientId: string | null;
  /** Live secrets (expired ones included, so a refusal can say it expired); none without a client. */
  secrets: OAuthClientSecret[];
  /** With `familyId`: whether that refresh-token family has been revoked. */
  familyRevoked: boolean;
}

/**
 * One statement of three subqueries, each with `org_id` a constant (one shard on Citus; the
 * organization comes from `tenant-routing`). What the credential cache holds, per token family.
 */
export async function findOAuthClientCredential(
  db: Db,
  orgId: string,
  familyId: string | undefined,
): Promise<OAuthClientCredential> {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('identity_configs as c')
        .select('c.oauth_client_id')
        .where('c.org_id', '=', orgId)
        .as('client_id'),
      liveSecrets(db, orgId).as('secrets'),
      familyRevoked(db, orgId, familyId).as('family_revoked'),
    ])
    .executeTakeFirstOrThrow();
  return {
    orgId,
    clientId: row.client_id,
    secrets: row.client_id
      ? row.secrets.map((secret) => ({
          id: secret.id,
          hash: secret.secret_hash,
          expiresAt: date(secret.expires_at),
          lastUsedAt: date(secret.last_used_at),
        }))
      : [],
    familyRevoked: row.family_revoked === true,
  };
}

export const isExpired = (expiresAt: Date | null, now = new Date()) =>
  expiresAt !== null && expiresAt.getTime() <= now.getTime();

/** How many secrets a client may hold at once: the current one and its successor. */
export const MAX_LIVE_CLIENT_SECRETS = 2;

/** A new client secret: 256 random bits, base64url; only its hash is stored. Returns the secret, once. */
export async function addClientSecret(
  db: Db,
  orgId: string,
  expiresAt: Date | null = null,
): Promise<{ row: OAuthClientSecretRow; secret: string }> {
  const secret = randomBytes(32).toString('base64url');
  // Caches hold the client's live secrets: a new one must reach them too.
  return inTransaction(db, async (trx) => {
    const row = await trx
      .insertInto('oauth_client_secrets')
      .values({
        org_id: orgId,
        id: randomBytes(8).toString('hex'),
        secret_hash: hashSecret(secret),
        expires_at: expiresAt,
        last_used_at: null,
        revoked_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await notifyCredentialChange(trx, orgId);
    return { row, secret };
  });
}

/** The client's secrets that are not revoked (expired ones included), oldest first. */
export async function listClientSecrets(db: Db, orgId: string): Promise<OAuthClientSecretRow[]> {
  return db
    .selectFrom('oauth_client_secrets')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at')
    .execute();
}

/** Revokes one secret; false when the organization has no such live secret. */
export async function revokeClientSecret(db: Db, orgId: string, secretId: string): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const result = await trx
      .updateTable('oauth_client_secrets')
      .set({ revoked_at: sql`now()` })
      .where('org_id', '=', orgId)
      .where('id', '=', secretId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return false;
    await notifyCredentialChange(trx, orgId);
    return true;
  });
}

/** Revokes every secret of the client (rotation at once, when a secret may have leaked). */
export async function revokeClientSecrets(db: Db, orgId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable('oauth_client_secrets')
      .set({ revoked_at: sql`now()` })
      .where('org_id', '=', orgId)
      .where('revoked_at', 'is', null)
      .execute();
    await notifyCredentialChange(trx, orgId);
  });
}

/** How stale `last_used_at` may get: one write a minute per secret, not one per token request. */
const TOUCH_INTERVAL_MS = 60_000;

/** Records that a secret authenticated the client, at most once a minute; never awaited by a request. */
export function touchClientSecret(
  db: Db,
  orgId: string,
  secret: OAuthClientSecret,
  onError: (error: unknown) => void,
): void {
  const now = new Date();
  if (secret.lastUsedAt && now.getTime() - secret.lastUsedAt.getTime() <= TOUCH_INTERVAL_MS) return;
  db.updateTable('oauth_client_secrets')
    .set({ last_used_at: now })
    .where('org_id', '=', orgId)
    .where('id', '=', secret.id)
    .execute()
    .catch(onError);
}

/** How long an authorization code may wait for its exchange (RFC 6749 §4.1.2: short, 10 min at most). */
const CODE_LIFETIME_MS = 5 * 60_000;

export interface ApprovedAuthorization {
  orgId: string;
  clientId: string;
  redirectUri: string;
  /** Whether the request to /authorize carried redirect_uri (the token request must then repeat it). */
  redirectUriSent: boolean;
  codeChallenge: string;
  scope: string;
  approvedBy: string;
}

/** Issues a single-use code for an approved authorization request; returns the code, once. */
export async function issueAuthorizationCode(db: Db, approval: ApprovedAuthorization): Promise<string> {
  const code = randomBytes(32).toString('base64url');
  await db
    .insertInto('oauth_authorization_codes')
    .values({
      org_id: approval.orgId,
      code_hash: hashSecret(code),
      client_id: approval.clientId,
      redirect_uri: approval.redirectUri,
      redirect_uri_sent: approval.redirectUriSent,
      code_challenge: approval.codeChallenge,
      scope: approval.scope,
      approved_by: approval.approvedBy,
      expires_at: new Date(Date.now() + CODE_LIFETIME_MS),
      used_at: null,
      family_id: null,
    })
    .execute();
  return code;
}

export type CodeExchange =
  /** Unknown or expired, or the caller's checks refused it (the code is used up all the same). */
  | { kind: 'invalid' }
  /** Used before: the refresh tokens its first exchange issued are now revoked (RFC 6749 §4.1.2). */
  | { kind: 'replayed' }
  | { kind: 'issued'; approval: ApprovedAuthorization; refreshToken: string; familyId: string };

/**
 * Exchanges a code for a refresh token that starts a new family, in one transaction with the code
 * locked: of two concurrent exchanges one wins, and the other, like any later one, is a replay
 * that revokes what the first issued. `accept` checks the client, redirect URI and PKCE verifier;
 * a refused exchange still uses the code up, so a stolen code cannot be tried again.
 */
export async function exchangeAuthorizationCode(
  db: Db,
  orgId: string,
  code: string,
  refreshTokenTtlSeconds: number,
  accept: (approval: ApprovedAuthorization) => boolean,
): Promise<CodeExchange> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('oauth_authorization_codes')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('code_hash', '=', hashSecret(code))
      .forUpdate()
      .executeTakeFirst();
    if (!row) return { kind: 'invalid' };
    if (row.used_at !== null) {
      if (row.family_id) await revokeFamily(trx, orgId, row.family_id);
      return { kind: 'replayed' };
    }
    const familyId = randomBytes(8).toString('hex');
    await trx
      .updateTable('oauth_authorization_codes')
      .set({ used_at: sql`now()`, family_id: familyId })
      .where('org_id', '=', orgId)
      .where('code_hash', '=', row.code_hash)
      .execute();
    const approval: ApprovedAuthorization = {
      orgId: row.org_id,
      clientId: row.client_id,
      redirectUri: row.redirect_uri,
      redirectUriSent: row.redirect_uri_sent,
      codeChallenge: row.code_challenge,
      scope: row.scope,
      approvedBy: row.approved_by,
    };
    if (new Date(row.expires_at).getTime() <= Date.now() || !accept(approval)) return { kind: 'invalid' };
    const refreshToken = await issueRefreshToken(trx, {
      orgId,
      clientId: row.client_id,
      scope: row.scope,
      approvedBy: row.approved_by,
      familyId,
      ttlSeconds: refreshTokenTtlSeconds,
    });
    return { kind: 'issued', approval, refreshToken, familyId };
  });
}

const REFRESH_PREFIX = 'rrt_';
const REFRESH_TOKEN = /^rrt_([0-9a-f]{16})\.([\w-]{43})$/;

/** A refresh token `rrt_<id>.<secret>`: the id locates it, the secret is checked against a hash. */
async function issueRefreshToken(
  db: Db,
  grant: {
    orgId: string;
    clientId: string;
    scope: string;
    approvedBy: string | null;
    familyId: string;
    ttlSeconds: number;
  },
): Promise<string> {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  await db
    .insertInto('oauth_refresh_tokens')
    .values({
      org_id: grant.orgId,
      id,
      secret_hash: hashSecret(secret),
      client_id: grant.clientId,
      scope: grant.scope,
      approved_by: grant.approvedBy,
      family_id: grant.familyId,
      expires_at: new Date(Date.now() + grant.ttlSeconds * 1000),
      last_used_at: null,
      used_at: null,
      revoked_at: null,
    })
    .execute();
  return `${REFRESH_PREFIX}${id}.${secret}`;
}

export type RefreshTokenUse =
  /** Unknown, of another client, wrong secret, revoked. */
  | { kind: 'invalid' }
  | { kind: 'expired' }
  /** Already exchanged for its successor: the whole family is now revoked (RFC 9700 §4.14.2). */
  | { kind: 'reused' }
  | { kind: 'rotated'; scope: string; refreshToken: string; familyId: string };

/**
 * Rotates a refresh token (RFC 9700 §4.14.2): the presented one is used up and a successor of the
 * same family, with a fresh lifetime, is returned. The row is locked, so of two concurrent uses one
 * rotates and the other finds it used, which is treated as the reuse it looks like.
 */
export async function rotateRefreshToken(
  db: Db,
  orgId: string,
  clientId: string,
  token: string,
  ttlSeconds: number,
): Promise<RefreshTokenUse> {
  const match = REFRESH_TOKEN.exec(token);
  if (!match?.[1] || !match[2]) return { kind: 'invalid' };
  const [, id, secret] = match;
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('oauth_refresh_tokens')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .where('client_id', '=', clientId)
      .forUpdate()
      .executeTakeFirst();
    if (!row || row.revoked_at !== null || !verifySecret(secret, row.secret_hash)) return { kind: 'invalid' };
    if (row.used_at !== null) {
      await revokeFamily(trx, orgId, row.family_id);
      return { kind: 'reused' };
    }
    if (new Date(row.expires_at).getTime() <= Date.now()) return { kind: 'expired' };
    await trx
      .updateTable('oauth_refresh_tokens')
      .set({ used_at: sql`now()`, last_used_at: sql`now()` })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
    const refreshToken = await issueRefreshToken(trx, {
      orgId,
      clientId,
      scope: row.scope,
      approvedBy: row.approved_by,
      familyId: row.family_id,
      ttlSeconds,
    });
    return { kind: 'rotated', scope: row.scope, refreshToken, familyId: row.family_id };
  });
}

/** Called inside the exchange's transaction: caches hold whether a family is revoked. */
async function revokeFamily(db: Db, orgId: string, familyId: string): Promise<void> {
  await notifyCredentialChange(db, orgId);
  await db
    .updateTable('oauth_refresh_tokens')
    .set({ revoked_at: sql`now()` })
    .where('org_id', '=', orgId)
    .where('family_id', '=', familyId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Ends every refresh token of the organization (the client secrets were replaced at once). */
export async function revokeRefreshTokens(db: Db, orgId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable('oauth_refresh_tokens')
      .set({ revoked_at: sql`now()` })
      .where('org_id', '=', orgId)
      .where('revoked_at', 'is', null)
      .execute();
    await notifyCredentialChange(trx, orgId);
  });
}
