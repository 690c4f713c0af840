/** Organizations: the tenants. Everything else in the directory belongs to exactly one. */
import { randomUUID } from 'node:crypto';
import type { Database, OrganizationRow, Plan } from '@roster/db';
import type { Kysely } from 'kysely';
import { inTransaction, notifyCredentialChange } from './credential-cache.js';

type Db = Kysely<Database>;

/** Slugs appear in SCIM base URLs: lower-case letters, digits and dashes, 1–63 characters. */
export const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export async function createOrganization(
  db: Db,
  input: { slug: string; name?: string | undefined; plan?: Plan; rbacEnabled?: boolean; demo?: boolean },
): Promise<OrganizationRow> {
  if (!SLUG.test(input.slug)) {
    throw new Error(
      `Organization slug "${input.slug}" is invalid: use 1–63 lower-case letters, digits and dashes.`,
    );
  }
  return db
    .insertInto('organizations')
    .values({
      id: randomUUID(),
      slug: input.slug,
      name: input.name ?? input.slug,
      plan: input.plan ?? 'enterprise',
      rbac_enabled: input.rbacEnabled ?? false,
      demo: input.demo ?? false,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * The id of the organization with this slug: a read of `organizations` alone (a reference table on
 * Citus, so any node answers it), which the credential queries run first so that they name `org_id`
 * as a constant and Citus routes them to one shard.
 */
export async function organizationIdBySlug(db: Db, slug: string): Promise<string | undefined> {
  const row = await db.selectFrom('organizations').select('id').where('slug', '=', slug).executeTakeFirst();
  return row?.id;
}

/** The organization with this slug; `forUpdate` locks its row, so changes to it serialise. */
export async function findOrganizationBySlug(
  db: Db,
  slug: string,
  options: { forUpdate?: boolean } = {},
): Promise<OrganizationRow | undefined> {
  let query = db.selectFrom('organizations').selectAll().where('slug', '=', slug);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** Changes the organization; every process's credential cache hears of it at commit (plan, RBAC). */
export async function updateOrganization(
  db: Db,
  orgId: string,
  changes: { name?: string; plan?: Plan; rbacEnabled?: boolean },
): Promise<OrganizationRow> {
  return inTransaction(db, async (trx) => {
    await notifyCredentialChange(trx, orgId);
    return updateOrganizationRow(trx, orgId, changes);
  });
}

function updateOrganizationRow(
  db: Db,
  orgId: string,
  changes: { name?: string; plan?: Plan; rbacEnabled?: boolean },
): Promise<OrganizationRow> {
  return db
    .updateTable('organizations')
    .set({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.plan !== undefined ? { plan: changes.plan } : {}),
      ...(changes.rbacEnabled !== undefined ? { rbac_enabled: changes.rbacEnabled } : {}),
    })
    .where('id', '=', orgId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** What a change checks under the organization's lock: the plan and RBAC cannot change underneath it. */
export interface LockedOrganization {
  plan: Plan;
  rbacEnabled: boolean;
}

/**
 * Takes the organization's lock: its row, FOR NO KEY UPDATE, so foreign-key checks (FOR KEY
 * SHARE) are not blocked by it. The portal's member, group and settings changes take it first,
 * and so does every SCIM write that may take the manager role from someone: changes that could
 * leave the organization without an active manager serialise, and each one's last-manager check
 * (`hasActiveManager`) sees the others committed. Identity configuration changes take it before
 * the configuration row's, so they serialise even before that row exists (the first save inserts
 * it). Returns the plan and RBAC switch the preconditions check; undefined when the organization
 * no longer exists.
 */
export async function lockOrganization(trx: Db, orgId: string): Promise<LockedOrganization | undefined> {
  const row = await trx
    .selectFrom('organizations')
    .select(['plan', 'rbac_enabled'])
    .where('id', '=', orgId)
    .forNoKeyUpdate()
    .executeTakeFirst();
  return row && { plan: row.plan, rbacEnabled: row.rbac_enabled };
}
