import type { Database } from '@roster/db';
import type { Kysely } from 'kysely';

export interface KeyRecord {
  orgId: string;
  orgSlug: string;
  keyId: string;
  kind: 'system' | 'personal';
  scopes: string[];
  secretHash: string;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** One indexed lookup: the organization by slug joined to its key by id. */
export async function findKeyForOrganization(
  db: Kysely<Database>,
  orgSlug: string,
  keyId: string,
): Promise<KeyRecord | undefined> {
  const row = await db
    .selectFrom('api_keys as k')
    .innerJoin('organizations as o', 'o.id', 'k.org_id')
    .select([
      'o.id as orgId',
      'o.slug as orgSlug',
      'k.id as keyId',
      'k.kind',
      'k.scopes',
      'k.secret_hash',
      'k.revoked_at',
      'k.last_used_at',
    ])
    .where('o.slug', '=', orgSlug)
    .where('k.id', '=', keyId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    orgId: row.orgId,
    orgSlug: row.orgSlug,
    keyId: row.keyId,
    kind: row.kind,
    scopes: row.scopes,
    secretHash: row.secret_hash,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}

export async function touchKey(db: Kysely<Database>, orgId: string, keyId: string, at: Date): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: at })
    .where('org_id', '=', orgId)
    .where('id', '=', keyId)
    .execute();
}
