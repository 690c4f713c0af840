import { randomUUID } from 'node:crypto';
import { type DatabaseHandle, openDatabase } from '@roster/db';
import type {} from '@roster/testkit/vitest-global-setup';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { insertMember, portalMemberData } from './members.js';
import { createOrganization } from './organizations.js';
import { createSetupLink, redeemSetupLink } from './setup-links.js';

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openDatabase({ url: inject('databaseUrl') });
});
afterAll(async () => handle?.close());

async function manager() {
  const org = await createOrganization(handle.db, { slug: `sl-${randomUUID().slice(0, 8)}` });
  const member = await handle.db.transaction().execute((trx) =>
    insertMember(trx, {
      orgId: org.id,
      id: randomUUID(),
      data: portalMemberData(`admin@${org.slug}.example`),
      role: 'manager',
      managedBy: 'portal',
    }),
  );
  return { org, member };
}

const redeem = (orgId: string, token: string) =>
  handle.db.transaction().execute((trx) => redeemSetupLink(trx, orgId, token));

describe('setup links', () => {
  it('stores only a hash of a 256-bit secret and works once', async () => {
    const { org, member } = await manager();
    const link = await createSetupLink(handle.db, {
      orgId: org.id,
      memberId: member.id,
      lifetimeSeconds: 60,
    });
    expect(link.token).toMatch(/^rsl_[0-9a-f]{16}\.[\w-]{43}$/);
    const row = await handle.db
      .selectFrom('setup_links')
      .selectAll()
      .where('id', '=', link.id)
      .executeTakeFirst();
    expect(JSON.stringify(row)).not.toContain(link.token.split('.')[1]);
    expect(await redeem(org.id, link.token)).toMatchObject({
      outcome: 'redeemed',
      member: { id: member.id, userName: member.user_name },
    });
    expect(await redeem(org.id, link.token)).toEqual({ outcome: 'used' });
  });

  it('lets one of two concurrent redemptions win', async () => {
    const { org, member } = await manager();
    const link = await createSetupLink(handle.db, {
      orgId: org.id,
      memberId: member.id,
      lifetimeSeconds: 60,
    });
    const outcomes = await Promise.all([redeem(org.id, link.token), redeem(org.id, link.token)]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['redeemed', 'used']);
  });

  it('refuses an expired link, a wrong secret, another organization, and a link replaced by a newer one', async () => {
    const { org, member } = await manager();
    const other = await manager();
    const expired = await createSetupLink(handle.db, {
      orgId: org.id,
      memberId: member.id,
      lifetimeSeconds: 60,
    });
    await handle.db
      .updateTable('setup_links')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', expired.id)
      .execute();
    expect(await redeem(org.id, expired.token)).toEqual({ outcome: 'expired' });
    const first = await createSetupLink(handle.db, {
      orgId: org.id,
      memberId: member.id,
      lifetimeSeconds: 60,
    });
    const wrong = `${first.token.slice(0, -1)}${first.token.endsWith('A') ? 'B' : 'A'}`;
    expect(await redeem(org.id, wrong)).toEqual({ outcome: 'invalid' });
    expect(await redeem(other.org.id, first.token)).toEqual({ outcome: 'invalid' });
    expect(await redeem(org.id, 'rsl_nonsense')).toEqual({ outcome: 'invalid' });
    const second = await createSetupLink(handle.db, {
      orgId: org.id,
      memberId: member.id,
      lifetimeSeconds: 60,
    });
    expect(await redeem(org.id, first.token)).toEqual({ outcome: 'invalid' });
    expect((await redeem(org.id, second.token)).outcome).toBe('redeemed');
  });

  it('refuses the link of a member deactivated since, and leaves it unused', async () => {
    const { org, member } = await manager();
    const link = await createSetupLink(handle.db, {
      orgId: org.id,
      memberId: member.id,
      lifetimeSeconds: 60,
    });
    await handle.db.updateTable('members').set({ active: false }).where('id', '=', member.id).execute();
    expect(await redeem(org.id, link.token)).toEqual({
      outcome: 'member_inactive',
      userName: member.user_name,
    });
    await handle.db.updateTable('members').set({ active: true }).where('id', '=', member.id).execute();
    expect((await redeem(org.id, link.token)).outcome).toBe('redeemed');
  });
});
