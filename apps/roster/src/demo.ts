/**
 * The demo organization of the quick start (`npm start` on the embedded database; on PostgreSQL
 * only with ROSTER_DEMO=true): created on first start, marked as the demo's, with a manager and
 * provisioning switched on as an administrator would leave it (SSO pointing at a placeholder
 * identity provider, SCIM with the HTTP Header method). Keys are shown only once, so every start
 * mints a fresh SCIM key and a fresh personal key for the manager, and revokes the previous
 * start's: only the keys printed last work. An organization the demo did not create is never
 * used, whatever its slug.
 */
import { randomUUID } from 'node:crypto';
import type { Database, OrganizationRow } from '@roster/db';
import { createPortalKey, createScimKey, revokeApiKeysNamed } from '@roster/directory/api-keys';
import { enableScimProvisioning, getIdentityConfig } from '@roster/directory/identity';
import { insertMember, portalMemberData } from '@roster/directory/members';
import { createOrganization, findOrganizationBySlug } from '@roster/directory/organizations';
import type { Kysely } from 'kysely';

const MANAGER = 'admin@demo.example.com';
const SCIM_KEY = 'demo SCIM key';
const MANAGER_KEY = 'demo manager key';

export type DemoOrganization =
  | { org: OrganizationRow; managerId: string; scimToken: string; portalToken: string; revokedKeys: number }
  /** The slug belongs to an organization the demo did not create: the demo is skipped. */
  | { skipped: string };

export async function ensureDemoOrganization(db: Kysely<Database>, slug = 'demo'): Promise<DemoOrganization> {
  const existing = await findOrganizationBySlug(db, slug);
  if (existing && !existing.demo) {
    return {
      skipped: `An organization "${slug}" exists that the demo did not create: the demo does not touch it and prints no keys. Remove it, or set ROSTER_DEMO=false.`,
    };
  }
  const org =
    existing ??
    (await createOrganization(db, { slug, name: 'Demo organization', plan: 'enterprise', demo: true }));
  const manager =
    (await db
      .selectFrom('members')
      .select('id')
      .where('org_id', '=', org.id)
      .where('user_name', '=', MANAGER)
      .executeTakeFirst()) ??
    (await db.transaction().execute((trx) =>
      insertMember(trx, {
        orgId: org.id,
        id: randomUUID(),
        data: portalMemberData(MANAGER, { displayName: 'Demo Admin' }),
        role: 'manager',
        managedBy: 'portal',
      }),
    ));
  if (!(await getIdentityConfig(db, org.id)).scimEnabled) await enableScimProvisioning(db, org.id);
  return db.transaction().execute(async (trx) => {
    // By prefix: the keys of earlier versions had the start's time after the name.
    const revokedKeys = await revokeApiKeysNamed(trx, org.id, [SCIM_KEY, MANAGER_KEY]);
    const scimToken = await createScimKey(trx, org.id, SCIM_KEY);
    const portalToken = await createPortalKey(trx, org.id, manager.id, MANAGER_KEY);
    return { org, managerId: manager.id, scimToken, portalToken, revokedKeys };
  });
}
