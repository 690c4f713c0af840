/**
 * The operator's onboarding on the composed server and real PostgreSQL (docs/operations.md,
 * "Onboarding a customer"): create-org makes an organization with SCIM off and no SSO, its first
 * manager and a one-time setup link that signs them in; create-manager is the break-glass;
 * set-plan is the operator's, and refuses to leave Enterprise while SCIM is on.
 */
import { randomUUID } from 'node:crypto';
import type { DatabaseHandle } from '@roster/db';
import { listAuditEvents } from '@roster/directory/audit';
import { enableScimProvisioning, getIdentityConfig, saveIdentityConfig } from '@roster/directory/identity';
import { insertMember, portalMemberData } from '@roster/directory/members';
import { readEvents } from '@roster/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureManager,
  externalOrigin,
  OperatorError,
  onboardOrganization,
  setPlan,
} from '../src/onboarding.js';
import { startComposedServer } from './composed-server.js';

let origin: string;
let handle: DatabaseHandle;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ origin, handle, close } = await startComposedServer());
});
afterAll(async () => close?.());

const slug = () => `onb-${randomUUID().slice(0, 8)}`;
const linkOptions = () => ({ origin, lifetimeSeconds: 3600 });

/** What the admin's browser does with the link: the page's button, then the API with the cookie. */
async function useLink(url: string): Promise<{ status: number; cookie?: string }> {
  const res = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { Accept: 'application/json' },
  });
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] as string)
    .find((c) => c.startsWith('roster_session=rss_'));
  return { status: res.status, ...(cookie ? { cookie } : {}) };
}

const api = (path: string, cookie: string, init: RequestInit = {}) =>
  fetch(`${origin}/api/v1${path}`, {
    ...init,
    headers: { Cookie: cookie, 'Content-Type': 'application/json', ...init.headers },
  });

describe('create-org', () => {
  it('creates the organization with SCIM off and no SSO, its manager, and a link that signs them in once', async () => {
    const s = slug();
    const created = await onboardOrganization(
      handle.db,
      { slug: s, name: 'Acme', plan: 'team', adminEmail: `admin@${s}.example` },
      linkOptions(),
    );
    expect(created.org).toMatchObject({ slug: s, name: 'Acme', plan: 'team', demo: false });
    const identity = await getIdentityConfig(handle.db, created.org.id);
    expect([identity.ssoEnabled, identity.oidcIssuer, identity.scimEnabled]).toEqual([false, null, false]);
    expect(created.link.url).toMatch(new RegExp(`^${origin}/sso/${s}/setup/rsl_`));
    expect(created.link.expiresAt.getTime() - Date.now()).toBeGreaterThan(3500_000);

    const signedIn = await useLink(created.link.url);
    expect(signedIn.status).toBe(303);
    const me = await api(`/orgs/${s}/members/me`, signedIn.cookie as string);
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ userName: `admin@${s}.example`, role: 'manager' });
    // The manager can go on with SSO first (the portal checks the rest of the flow).
    const org = await api(`/orgs/${s}`, signedIn.cookie as string);
    expect(await org.json()).toMatchObject({ slug: s, plan: 'team' });
    expect((await useLink(created.link.url)).status).toBe(410);

    const actions = (await listAuditEvents(handle.db, created.org.id, { limit: 50 })).map((e) => e.action);
    expect(actions.sort()).toEqual(
      ['member.created', 'member.signed_in', 'organization.created', 'setup_link.created'].sort(),
    );
    // The first manager's provisioning event, as the operator.
    expect(await readEvents(handle.db, created.org.id, 0, 10)).toMatchObject([
      {
        sequence: 1,
        type: 'member.created',
        actor: { type: 'system', id: 'operator' },
        data: { id: created.manager.id, userName: `admin@${s}.example`, role: 'manager' },
      },
    ]);
  });

  it('refuses a taken slug, a bad slug or a bad email, writing nothing', async () => {
    const s = slug();
    await onboardOrganization(
      handle.db,
      { slug: s, plan: 'enterprise', adminEmail: 'a@b.example' },
      linkOptions(),
    );
    for (const input of [
      { slug: s, adminEmail: 'other@b.example' },
      { slug: 'Not OK', adminEmail: 'a@b.example' },
      { slug: slug(), adminEmail: 'not an email' },
    ]) {
      await expect(
        onboardOrganization(handle.db, { ...input, plan: 'enterprise' }, linkOptions()),
      ).rejects.toBeInstanceOf(OperatorError);
    }
    const orgs = await handle.db
      .selectFrom('organizations')
      .select('slug')
      .where('slug', 'like', 'onb-%')
      .execute();
    expect(orgs.filter((o) => o.slug === s)).toHaveLength(1);
  });
});

describe('create-manager (break-glass)', () => {
  it('reactivates and promotes an existing member, creates a missing one, and replaces earlier links', async () => {
    const s = slug();
    const { org, link: first } = await onboardOrganization(
      handle.db,
      { slug: s, plan: 'enterprise', adminEmail: `admin@${s}.example` },
      linkOptions(),
    );
    const basicId = randomUUID();
    await handle.db.transaction().execute((trx) =>
      insertMember(trx, {
        orgId: org.id,
        id: basicId,
        data: { ...portalMemberData(`Basic@${s}.example`), active: false },
        role: 'basic',
        managedBy: 'scim',
      }),
    );
    const revived = await ensureManager(handle.db, s, `basic@${s}.example`, linkOptions());
    expect(revived).toMatchObject({ change: 'reactivated', manager: { id: basicId } });
    const row = await handle.db
      .selectFrom('members')
      .selectAll()
      .where('id', '=', basicId)
      .executeTakeFirstOrThrow();
    expect([row.active, row.role, row.managed_by, row.data.active]).toEqual([true, 'manager', 'scim', true]);
    const signedIn = await useLink(revived.link.url);
    expect(signedIn.status).toBe(303);
    expect((await api(`/orgs/${s}/members/me`, signedIn.cookie as string)).status).toBe(200);

    const again = await ensureManager(handle.db, s, `admin@${s}.example`, linkOptions());
    expect(again.change).toBe('unchanged');
    expect((await useLink(first.url)).status).toBe(404); // replaced by the newer link
    expect((await useLink(again.link.url)).status).toBe(303);

    const created = await ensureManager(handle.db, s, `new@${s}.example`, linkOptions());
    expect(created.change).toBe('created');
    await expect(ensureManager(handle.db, 'no-such-org', 'a@b.example', linkOptions())).rejects.toThrow(
      /No organization/,
    );
    // Each change has its events; the unchanged manager none.
    const events = await readEvents(handle.db, org.id, 0, 10);
    expect(events.map((e) => [e.type, e.data.id])).toEqual([
      ['member.created', expect.any(String)],
      ['member.role_changed', basicId],
      ['member.reactivated', basicId],
      ['member.created', created.manager.id],
    ]);
    expect(events.every((e) => e.actor.type === 'system')).toBe(true);
  });
});

describe('set-plan', () => {
  it('sets the plan, audited as the operator, and refuses to leave Enterprise while SCIM is on', async () => {
    const s = slug();
    const { org } = await onboardOrganization(
      handle.db,
      { slug: s, plan: 'team', adminEmail: `admin@${s}.example` },
      linkOptions(),
    );
    expect(await setPlan(handle.db, s, 'enterprise')).toMatchObject({ from: 'team', to: 'enterprise' });
    await enableScimProvisioning(handle.db, org.id);
    const refused = setPlan(handle.db, s, 'team');
    await expect(refused).rejects.toBeInstanceOf(OperatorError);
    await expect(refused).rejects.toThrow(/turns provisioning off/);
    const row = await handle.db
      .selectFrom('organizations')
      .select('plan')
      .where('id', '=', org.id)
      .executeTakeFirst();
    expect(row?.plan).toBe('enterprise');
    await saveIdentityConfig(handle.db, org.id, {
      ...(await getIdentityConfig(handle.db, org.id)),
      scimEnabled: false,
    });
    expect(await setPlan(handle.db, s, 'free')).toMatchObject({ from: 'enterprise', to: 'free' });
    const events = await listAuditEvents(handle.db, org.id, { action: 'organization.updated', limit: 10 });
    expect(events.map((e) => [e.actor_type, e.changes])).toEqual([
      ['system', { plan: { from: 'enterprise', to: 'free' } }],
      ['system', { plan: { from: 'team', to: 'enterprise' } }],
    ]);
  });
});

describe('the links printed for people', () => {
  it('point at PUBLIC_URL when set, else at this machine', () => {
    expect(externalOrigin({ publicUrl: new URL('https://roster.example.com'), port: 3000 })).toBe(
      'https://roster.example.com',
    );
    expect(externalOrigin({ publicUrl: undefined, port: 8080 })).toBe('http://localhost:8080');
  });
});
