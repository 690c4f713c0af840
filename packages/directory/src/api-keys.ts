/**
 * API keys of an organization: system keys (with scopes such as `scim`) and personal keys (acting
 * as one member). A key's secret is shown once, at creation; only its hash is stored.
 */
import { randomUUID } from 'node:crypto';
import { mintApiKey } from '@roster/auth/api-keys';
import type { ApiKeyRow, Database, ProvisioningMode, Role } from '@roster/db';
import { type Kysely, sql } from 'kysely';
import { inTransaction, notifyCredentialChange } from './credential-cache.js';
import { DEFAULT_IDENTITY_CONFIG, SCIM_SWITCH_COLUMNS, type ScimSwitches, scimSwitches } from './identity.js';
import { effectiveRole, insertMember, portalMemberData } from './members.js';
import { organizationIdBySlug } from './organizations.js';

type Db = Kysely<Database>;

export type KeyKind = 'system' | 'personal';
/** What a key may call: `scim` the SCIM service (system keys), `portal` the portal API (personal keys). */
export const SCOPES = ['scim', 'portal'] as const;

export interface NewKey {
  orgId: string;
  kind: KeyKind;
  name: string;
  scopes: string[];
  /** Personal keys act as this member. */
  memberId?: string | undefined;
  /** Refused from this time on; absent: never expires. */
  expiresAt?: Date | undefined;
}

export interface CreatedKey {
  row: ApiKeyRow;
  /** The only copy of the secret. */
  token: string;
}

export async function createApiKey(db: Db, key: NewKey): Promise<CreatedKey> {
  const minted = mintApiKey();
  const row = await db
    .insertInto('api_keys')
    .values({
      org_id: key.orgId,
      id: minted.id,
      kind: key.kind,
      name: key.name,
      scopes: key.scopes,
      secret_hash: minted.secretHash,
      member_id: key.memberId ?? null,
      expires_at: key.expiresAt ?? null,
      last_used_at: null,
      revoked_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { row, token: minted.token };
}

/** A system key with the `scim` scope, for an identity provider; returns the token. */
export async function createScimKey(db: Db, orgId: string, name: string): Promise<string> {
  return (await createApiKey(db, { orgId, kind: 'system', name, scopes: ['scim'] })).token;
}

/** A personal key with the `portal` scope, acting as the member; returns the token. */
export async function createPortalKey(
  db: Db,
  orgId: string,
  memberId: string,
  name: string,
): Promise<string> {
  return (await createApiKey(db, { orgId, kind: 'personal', name, scopes: ['portal'], memberId })).token;
}

/**
 * The operator's first manager of a new organization, with a portal key to start the admin's
 * flow: returns the member's id and the key (its only copy).
 */
export async function createFirstManager(
  db: Db,
  orgId: string,
  email: string,
): Promise<{ memberId: string; token: string }> {
  const memberId = randomUUID();
  await db.transaction().execute((trx) =>
    insertMember(trx, {
      orgId,
      id: memberId,
      data: portalMemberData(email),
      role: 'manager',
      managedBy: 'portal',
    }),
  );
  return { memberId, token: await createPortalKey(db, orgId, memberId, 'first manager') };
}

/**
 * Revokes a key at once (every process's credential cache hears of it at commit); false when the
 * organization has no such live key.
 */
export async function revokeApiKey(db: Db, orgId: string, keyId: string): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const result = await trx
      .updateTable('api_keys')
      .set({ revoked_at: new Date() })
      .where('org_id', '=', orgId)
      .where('id', '=', keyId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return false;
    await notifyCredentialChange(trx, orgId);
    return true;
  });
}

/**
 * Revokes the organization's live keys whose names start with one of these prefixes (the demo's,
 * replaced at each start); returns how many.
 */
export async function revokeApiKeysNamed(db: Db, orgId: string, prefixes: string[]): Promise<number> {
  if (prefixes.length === 0) return 0;
  return inTransaction(db, async (trx) => {
    const result = await trx
      .updateTable('api_keys')
      .set({ revoked_at: new Date() })
      .where('org_id', '=', orgId)
      .where((eb) =>
        eb.or(prefixes.map((prefix) => eb(sql<string>`left(name, ${prefix.length})`, '=', prefix))),
      )
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows > 0n) await notifyCredentialChange(trx, orgId);
    return Number(result.numUpdatedRows);
  });
}

export async function listApiKeys(db: Db, orgId: string): Promise<ApiKeyRow[]> {
  return db
    .selectFrom('api_keys')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('created_at', 'desc')
    .execute();
}

/** Whether the organization has a live system key with the `scim` scope (what the HTTP Header method needs). */
export async function hasLiveScimKey(db: Db, orgId: string): Promise<boolean> {
  const key = await db
    .selectFrom('api_keys')
    .select('id')
    .where('org_id', '=', orgId)
    .where('kind', '=', 'system')
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', sql<Date>`now()`)]))
    .where(sql<boolean>`'scim' = any(scopes)`)
    .limit(1)
    .executeTakeFirst();
  return key !== undefined;
}

export async function findApiKey(db: Db, orgId: string, keyId: string): Promise<ApiKeyRow | undefined> {
  return db
    .selectFrom('api_keys')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', keyId)
    .executeTakeFirst();
}

/**
 * A credential's organization as authentication reads it, in the credential's own query: the
 * switches that decide whether an identity provider may provision (what the SCIM service checks),
 * and what the portal decides each request with: RBAC, and who owns members and groups.
 */
export interface CredentialOrganization extends ScimSwitches {
  rbacEnabled: boolean;
  provisioningMode: ProvisioningMode;
}

/** What `credentialOrganization` reads: from `organizations as o` left-joined to `identity_configs as c`. */
export const CREDENTIAL_ORGANIZATION_COLUMNS = [
  ...SCIM_SWITCH_COLUMNS,
  'o.rbac_enabled',
  'c.provisioning_mode',
] as const;

/** The organization from a row of `CREDENTIAL_ORGANIZATION_COLUMNS` (no configuration row: all off). */
export function credentialOrganization(
  row: Parameters<typeof scimSwitches>[0] & {
    rbac_enabled: boolean;
    provisioning_mode: ProvisioningMode | null;
  },
): CredentialOrganization {
  return {
    ...scimSwitches(row),
    rbacEnabled: row.rbac_enabled,
    provisioningMode: row.provisioning_mode ?? DEFAULT_IDENTITY_CONFIG.provisioningMode,
  };
}

/** What authentication needs about a presented key, found with one indexed lookup. */
export interface KeyCredential {
  orgId: string;
  orgSlug: string;
  keyId: string;
  /** The key's name, as its creator gave it (the actor's label in provisioning events). */
  name: string;
  kind: KeyKind;
  scopes: string[];
  secretHash: string;
  revokedAt: Date | null;
  /** Refused from this time on (null: never). */
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  /** Personal keys: the member they act as, with the member's current status and effective role (when asked for). */
  member: { id: string; active: boolean; role: Role } | undefined;
  /** Whether an identity provider may provision right now, and what the portal decides each request with. */
  organization: CredentialOrganization;
}

/**
 * The key presented with a request, its organization's switches, and (`withMember`, for the
 * portal's personal keys) the member it acts as with their effective role. The SCIM service
 * accepts only system keys, so it leaves the member out: the role is the costly part.
 */
export async function findKeyCredential(
  db: Db,
  orgSlug: string,
  keyId: string,
  { withMember = true }: { withMember?: boolean } = {},
): Promise<KeyCredential | undefined> {
  // The organization first, so that every tenant table below is read with org_id a constant.
  const orgId = await organizationIdBySlug(db, orgSlug);
  if (!orgId) return undefined;
  const row = await db
    .selectFrom('api_keys as k')
    .innerJoin('organizations as o', 'o.id', 'k.org_id')
    .leftJoin('identity_configs as c', (join) =>
      join.onRef('c.org_id', '=', 'k.org_id').on('c.org_id', '=', orgId),
    )
    .select([
      'o.id as orgId',
      'o.slug as orgSlug',
      'k.id as keyId',
      'k.name as keyName',
      'k.kind',
      'k.scopes',
      'k.secret_hash',
      'k.revoked_at',
      'k.expires_at',
      'k.last_used_at',
      // The portal's columns come from rows this query joins anyway: the SCIM service's form
      // reads them at no extra cost rather than forking the query.
      ...CREDENTIAL_ORGANIZATION_COLUMNS,
    ])
    .$if(withMember, (query) =>
      query
        .leftJoin('members as m', (join) =>
          join
            .onRef('m.org_id', '=', 'k.org_id')
            .on('m.org_id', '=', orgId)
            .onRef('m.id', '=', 'k.member_id'),
        )
        .select(['m.id as memberId', 'm.active as memberActive', effectiveRole('m', orgId).as('memberRole')]),
    )
    .where('o.id', '=', orgId)
    .where('k.org_id', '=', orgId)
    .where('k.id', '=', keyId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    orgId: row.orgId,
    orgSlug: row.orgSlug,
    keyId: row.keyId,
    name: row.keyName,
    kind: row.kind,
    scopes: row.scopes,
    secretHash: row.secret_hash,
    revokedAt: row.revoked_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    organization: credentialOrganization(row),
    member:
      row.memberId && typeof row.memberActive === 'boolean' && row.memberRole
        ? { id: row.memberId, active: row.memberActive, role: row.memberRole }
        : undefined,
  };
}

/** A key of an organization whose id is known (the SCIM service's form: it has no member). */
export type OrganizationKey = Omit<KeyCredential, 'orgSlug' | 'member' | 'organization'>;

/**
 * The key `(org_id, id)`: a primary-key lookup with the organization a constant, so one shard on
 * Citus (the organization comes from `tenant-routing`). What the credential cache holds.
 */
export async function findKeyInOrganization(
  db: Db,
  orgId: string,
  keyId: string,
): Promise<OrganizationKey | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .select(['id', 'name', 'kind', 'scopes', 'secret_hash', 'revoked_at', 'expires_at', 'last_used_at'])
    .where('org_id', '=', orgId)
    .where('id', '=', keyId)
    .executeTakeFirst();
  return (
    row && {
      orgId,
      keyId: row.id,
      name: row.name,
      kind: row.kind,
      scopes: row.scopes,
      secretHash: row.secret_hash,
      revokedAt: row.revoked_at,
      expiresAt: row.expires_at,
      lastUsedAt: row.last_used_at,
    }
  );
}

/** How stale `last_used_at` may get before a request refreshes it: one write a minute, not one a request. */
const TOUCH_INTERVAL_MS = 60_000;

/**
 * Records that a key was used, at most once a minute; never awaited by a request. The credential's
 * `lastUsedAt` moves with it, so a cached credential is not written again on every request.
 */
export function touchKey(
  db: Db,
  credential: Pick<KeyCredential, 'orgId' | 'keyId' | 'lastUsedAt'>,
  onError: (error: unknown) => void,
): void {
  const now = new Date();
  if (credential.lastUsedAt && now.getTime() - credential.lastUsedAt.getTime() <= TOUCH_INTERVAL_MS) return;
  credential.lastUsedAt = now;
  db.updateTable('api_keys')
    .set({ last_used_at: now })
    .where('org_id', '=', credential.orgId)
    .where('id', '=', credential.keyId)
    .execute()
    .catch(onError);
}
