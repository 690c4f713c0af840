/**
 * The demo organization of `npm start`: created on first start with a manager and provisioning
 * switched on as an administrator would leave it (SSO pointing at a placeholder identity provider,
 * SCIM with the HTTP Header method); every start mints a fresh SCIM key and a fresh personal key
 * for the manager, because keys are shown only once.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '@roster/db';
import { createPortalKey, createScimKey } from '@roster/directory/api-keys';
import { enableScimProvisioning, getIdentityConfig } from '@roster/directory/identity';
import { insertMember, portalMemberData } from '@roster/directory/members';
import { createOrganization, findOrganizationBySlug } from '@roster/directory/organizations';
import type { Kysely } from 'kysely';

const MANAGER = 'admin@demo.example.com';

export async function ensureDemoOrganization(db: Kysely<Database>, slug = 'demo') {
  const org =
    (await findOrganizationBySlug(db, slug)) ??
    (await createOrganization(db, { slug, name: 'Demo organization', plan: 'enterprise' }));
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
  const stamp = new Date().toISOString();
  if (!(await getIdentityConfig(db, org.id)).scimEnabled) await enableScimProvisioning(db, org.id);
  const scimToken = await createScimKey(db, org.id, `demo SCIM key (${stamp})`);
  const portalToken = await createPortalKey(db, org.id, manager.id, `demo manager key (${stamp})`);
  return { org, scimToken, portalToken };
}
