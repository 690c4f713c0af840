import { randomUUID } from 'node:crypto';
import { parseApiKey, verifySecret } from '@roster/auth/api-keys';
import { type DatabaseHandle, openDatabase } from '@roster/db';
import type {} from '@roster/testkit/vitest-global-setup';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApiKey, findKeyCredential, listApiKeys, revokeApiKey } from './api-keys.js';
import { listAuditEvents, recordAuditEvent } from './audit.js';
import { addGroupMembers, insertGroup, removeAllGroupMembers, removeGroupMembers } from './groups.js';
import { getIdentityConfig, saveIdentityConfig } from './identity.js';
import { insertMember } from './members.js';
import { createOrganization, updateOrganization } from './organizations.js';
import { createSession, findSessionCredential } from './sessions.js';

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openDatabase({ url: inject('databaseUrl') });
});
afterAll(async () => handle?.close());

const slug = () => `d-${randomUUID().slice(0, 8)}`;

/** A manager of the organization with a personal API key. */
async function managerWithKey(orgId: string) {
  const member = await handle.db.transaction().execute((trx) =>
    insertMember(trx, {
      orgId,
      id: randomUUID(),
      data: { userName: 'a@x.example', active: true },
      role: 'manager',
      managedBy: 'portal',
    }),
  );
  const key = await createApiKey(handle.db, {
    orgId,
    kind: 'personal',
    name: 'k',
    scopes: ['portal'],
    memberId: member.id,
  });
  return { member, key };
}

describe('organizations', () => {
  it('refuses slugs that cannot appear in a base URL', async () => {
    await expect(createOrganization(handle.db, { slug: 'Not OK/' })).rejects.toThrow(/slug/);
  });

  it('updates plan and RBAC', async () => {
    const org = await createOrganization(handle.db, { slug: slug(), plan: 'free' });
    const updated = await updateOrganization(handle.db, org.id, { plan: 'team', rbacEnabled: true });
    expect([updated.plan, updated.rbac_enabled]).toEqual(['team', true]);
  });
});

describe('API keys', () => {
  it('finds a personal key with its member, and a revoked key as revoked', async () => {
    const org = await createOrganization(handle.db, { slug: slug() });
    const { member, key } = await managerWithKey(org.id);
    const parsed = parseApiKey(key.token);
    const credential = await findKeyCredential(handle.db, org.slug, parsed?.id ?? '');
    expect(credential?.member).toEqual({ id: member.id, active: true, role: 'manager' });
    // The SCIM service's form of the query leaves the member out (it accepts system keys only).
    const withoutMember = await findKeyCredential(handle.db, org.slug, parsed?.id ?? '', {
      withMember: false,
    });
    expect(withoutMember).toEqual({ ...credential, member: undefined });
    expect(verifySecret(parsed?.secret ?? '', credential?.secretHash ?? '')).toBe(true);
    expect(await revokeApiKey(handle.db, org.id, key.row.id)).toBe(true);
    expect(await revokeApiKey(handle.db, org.id, key.row.id)).toBe(false);
    expect((await findKeyCredential(handle.db, org.slug, key.row.id))?.revokedAt).toBeInstanceOf(Date);
  });

  it('never finds a key through another organization', async () => {
    const a = await createOrganization(handle.db, { slug: slug() });
    const b = await createOrganization(handle.db, { slug: slug() });
    const key = await createApiKey(handle.db, { orgId: a.id, kind: 'system', name: 'k', scopes: ['scim'] });
    expect(await findKeyCredential(handle.db, b.slug, key.row.id)).toBeUndefined();
    expect(await revokeApiKey(handle.db, b.id, key.row.id)).toBe(false);
    expect((await listApiKeys(handle.db, b.id)).map((k) => k.id)).not.toContain(key.row.id);
  });
});

describe('credentials', () => {
  it("carry the organization's RBAC and provisioning settings, for keys and sessions alike", async () => {
    const org = await createOrganization(handle.db, { slug: slug(), plan: 'enterprise' });
    const { member, key } = await managerWithKey(org.id);
    const session = await createSession(handle.db, {
      orgId: org.id,
      memberId: member.id,
      method: 'oidc',
      lifetimeSeconds: 60,
    });
    const organizations = async () => [
      (await findKeyCredential(handle.db, org.slug, key.row.id))?.organization,
      (await findKeyCredential(handle.db, org.slug, key.row.id, { withMember: false }))?.organization,
      (await findSessionCredential(handle.db, org.slug, session.token))?.organization,
    ];
    // No identity configuration row yet: everything off.
    const none = {
      plan: 'enterprise',
      rbacEnabled: false,
      provisioningMode: 'manual',
      scimEnabled: false,
      scimAuthMethod: 'http_header',
      provisionExistingUsers: false,
      syncGroups: false,
    };
    expect(await organizations()).toEqual([none, none, none]);

    await updateOrganization(handle.db, org.id, { rbacEnabled: true });
    await saveIdentityConfig(handle.db, org.id, {
      ...(await getIdentityConfig(handle.db, org.id)),
      provisioningMode: 'identity_provider',
      scimEnabled: true,
      syncGroups: true,
    });
    const on = {
      ...none,
      rbacEnabled: true,
      provisioningMode: 'identity_provider',
      scimEnabled: true,
      syncGroups: true,
    };
    expect(await organizations()).toEqual([on, on, on]);
  });
});

describe('group membership', () => {
  it('removes, with managedBy, only the memberships of members managed that way', async () => {
    const org = await createOrganization(handle.db, { slug: slug() });
    const [portal, scim] = await handle.db.transaction().execute((trx) =>
      Promise.all(
        (['portal', 'scim'] as const).map((managedBy) =>
          insertMember(trx, {
            orgId: org.id,
            id: randomUUID(),
            data: { userName: `${managedBy}@x.example`, active: true },
            managedBy,
          }),
        ),
      ),
    );
    const ids = [portal?.id ?? '', scim?.id ?? ''];
    await handle.db.transaction().execute(async (trx) => {
      const group = await insertGroup(trx, {
        orgId: org.id,
        id: randomUUID(),
        data: { displayName: 'G' },
        role: 'manager',
        managedBy: 'scim',
      });
      const members = async () =>
        (
          await trx
            .selectFrom('group_members')
            .select('member_id')
            .where('org_id', '=', org.id)
            .where('group_id', '=', group.id)
            .execute()
        ).map((row) => row.member_id);
      await addGroupMembers(trx, org.id, group.id, ids);
      expect(await removeGroupMembers(trx, org.id, group.id, ids, { managedBy: 'scim' })).toHaveLength(1);
      expect(await members()).toEqual([portal?.id]);
      expect(await removeAllGroupMembers(trx, org.id, group.id, { managedBy: 'scim' })).toHaveLength(0);
      await addGroupMembers(trx, org.id, group.id, ids);
      expect(await removeAllGroupMembers(trx, org.id, group.id, { managedBy: 'scim' })).toHaveLength(1);
      expect(await members()).toEqual([portal?.id]);
      expect(await removeAllGroupMembers(trx, org.id, group.id)).toHaveLength(1);
      expect(await members()).toEqual([]);
    });
  });
});

describe('audit trail', () => {
  it('lists newest first with filters and keyset pages, and only for its organization', async () => {
    const org = await createOrganization(handle.db, { slug: slug() });
    const other = await createOrganization(handle.db, { slug: slug() });
    for (let i = 0; i < 5; i += 1) {
      await recordAuditEvent(handle.db, {
        orgId: org.id,
        actor: { type: 'api_key', id: 'k1' },
        action: i % 2 === 0 ? 'member.created' : 'member.updated',
        target: { type: 'member', id: `m${i}` },
        changes: { i },
      });
    }
    await recordAuditEvent(handle.db, {
      orgId: other.id,
      actor: { type: 'system' },
      action: 'member.created',
    });
    const all = await listAuditEvents(handle.db, org.id, { limit: 10 });
    expect(all.map((e) => e.target_id)).toEqual(['m4', 'm3', 'm2', 'm1', 'm0']);
    const created = await listAuditEvents(handle.db, org.id, { limit: 10, action: 'member.created' });
    expect(created).toHaveLength(3);
    const first = await listAuditEvents(handle.db, org.id, { limit: 2 });
    const last = first[first.length - 1];
    const next = await listAuditEvents(handle.db, org.id, { limit: 2, beforeSeq: last?.seq });
    expect([...first, ...next].map((e) => e.target_id)).toEqual(['m4', 'm3', 'm2', 'm1']);
  });
});
