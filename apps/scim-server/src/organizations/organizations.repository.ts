import type { Database, OrganizationRow, Plan } from '@roster/db';
import type { Kysely } from 'kysely';

type Db = Kysely<Database>;

export async function insertOrganization(
  db: Db,
  org: { id: string; slug: string; name: string; plan: Plan },
): Promise<OrganizationRow> {
  return db.insertInto('organizations').values(org).returningAll().executeTakeFirstOrThrow();
}

export async function findOrganizationBySlug(db: Db, slug: string): Promise<OrganizationRow | undefined> {
  return db.selectFrom('organizations').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** Revokes a key at once; returns false when the organization has no such live key. */
export async function revokeApiKey(db: Db, orgId: string, keyId: string): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: new Date() })
    .where('org_id', '=', orgId)
    .where('id', '=', keyId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function insertApiKey(
  db: Db,
  key: {
    org_id: string;
    id: string;
    kind: 'system' | 'personal';
    name: string;
    scopes: string[];
    secret_hash: string;
  },
): Promise<void> {
  await db
    .insertInto('api_keys')
    .values({ ...key, member_id: null, last_used_at: null, revoked_at: null })
    .execute();
}
