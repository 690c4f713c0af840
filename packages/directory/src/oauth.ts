/**
 * The OAuth 2.0 authorization server's records: each organization's client (from its identity
 * configuration), the authorization codes a manager's approval issues, and the refresh tokens
 * the code exchange hands out. Codes and refresh tokens are stored only as SHA-256 hashes.
 */
import { randomBytes } from 'node:crypto';
import { hashSecret, verifySecret } from '@roster/auth/api-keys';
import type { Database } from '@roster/db';
import { type Kysely, sql } from 'kysely';
import { SCIM_SWITCH_COLUMNS, type ScimSwitches, scimSwitches } from './identity.js';

type Db = Kysely<Database>;

/** An organization's OAuth client with the switches that decide whether it may get tokens. */
export interface OAuthClient {
  orgId: string;
  orgSlug: string;
  switches: ScimSwitches;
  clientId: string | null;
  secretHash: string | null;
  redirectUris: string[];
}

/** One indexed lookup by the organization's slug; undefined when there is no such organization. */
export async function findOAuthClient(db: Db, orgSlug: string): Promise<OAuthClient | undefined> {
  const row = await db
    .selectFrom('organizations as o')
    .leftJoin('identity_configs as c', 'c.org_id', 'o.id')
    .select([
      'o.id',
      'o.slug',
      ...SCIM_SWITCH_COLUMNS,
      'c.oauth_client_id',
      'c.oauth_client_secret_hash',
      'c.oauth_redirect_uris',
    ])
    .where('o.slug', '=', orgSlug)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    orgId: row.id,
    orgSlug: row.slug,
    switches: scimSwitches(row),
    clientId: row.oauth_client_id,
    secretHash: row.oauth_client_secret_hash,
    redirectUris: row.oauth_redirect_uris ?? [],
  };
}

/** How long an authorization code may wait for its exchange (RFC 6749 §4.1.2: short, 10 min at most). */
const CODE_LIFETIME_MS = 5 * 60_000;

export interface ApprovedAuthorization {
  orgId: string;
  clientId: string;
  redirectUri: string;
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
      code_challenge: approval.codeChallenge,
      scope: approval.scope,
      approved_by: approval.approvedBy,
      expires_at: new Date(Date.now() + CODE_LIFETIME_MS),
      used_at: null,
    })
    .execute();
  return code;
}

/**
 * Redeems a code: marks it used and returns what was approved, or undefined when it is unknown,
 * expired or already used. One UPDATE, so two concurrent exchanges of one code cannot both win.
 */
export async function redeemAuthorizationCode(
  db: Db,
  orgId: string,
  code: string,
): Promise<ApprovedAuthorization | undefined> {
  const row = await db
    .updateTable('oauth_authorization_codes')
    .set({ used_at: sql`now()` })
    .where('org_id', '=', orgId)
    .where('code_hash', '=', hashSecret(code))
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returningAll()
    .executeTakeFirst();
  return row
    ? {
        orgId: row.org_id,
        clientId: row.client_id,
        redirectUri: row.redirect_uri,
        codeChallenge: row.code_challenge,
        scope: row.scope,
        approvedBy: row.approved_by,
      }
    : undefined;
}

const REFRESH_PREFIX = 'rrt_';

/** A refresh token `rrt_<id>.<secret>`: the id locates it, the secret is checked against a hash. */
export async function issueRefreshToken(
  db: Db,
  grant: { orgId: string; clientId: string; scope: string; approvedBy: string },
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
      last_used_at: null,
      revoked_at: null,
    })
    .execute();
  return `${REFRESH_PREFIX}${id}.${secret}`;
}

/** The grant behind a live refresh token of this organization and client, or undefined. */
export async function useRefreshToken(
  db: Db,
  orgId: string,
  clientId: string,
  token: string,
): Promise<{ scope: string } | undefined> {
  const match = /^rrt_([0-9a-f]{16})\.([\w-]{43})$/.exec(token);
  if (!match?.[1] || !match[2]) return undefined;
  const row = await db
    .selectFrom('oauth_refresh_tokens')
    .select(['secret_hash', 'scope'])
    .where('org_id', '=', orgId)
    .where('id', '=', match[1])
    .where('client_id', '=', clientId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row || !verifySecret(match[2], row.secret_hash)) return undefined;
  await db
    .updateTable('oauth_refresh_tokens')
    .set({ last_used_at: sql`now()` })
    .where('org_id', '=', orgId)
    .where('id', '=', match[1])
    .execute();
  return { scope: row.scope };
}

/** Ends every refresh token of the organization (the client secret was rotated). */
export async function revokeRefreshTokens(db: Db, orgId: string): Promise<void> {
  await db
    .updateTable('oauth_refresh_tokens')
    .set({ revoked_at: sql`now()` })
    .where('org_id', '=', orgId)
    .where('revoked_at', 'is', null)
    .execute();
}
