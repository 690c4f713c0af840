/**
 * What a read request costs: reads of members and groups take RBAC and ownership from what
 * authentication read with the credential, so the organization and its identity configuration are
 * read once a request, with the credential, whether it is a personal key or a session.
 */
import { createSession } from '@roster/directory/sessions';
import type { KyselyPlugin } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  insertScimGroup,
  insertScimMember,
  type Response,
  setProvisioning,
  type TestOrg,
  usePortal,
} from './harness.js';

let settingsReads = 0;
/**
 * Counts the app's queries that name the organizations or identity_configs table, but for the
 * slug's resolution to the organization's id (`select id from organizations where slug = …`), which
 * reads no setting: it makes the credential query name org_id as a constant (one shard on Citus).
 */
const countSettingsReads: KyselyPlugin = {
  transformQuery({ node }) {
    const json = JSON.stringify(node);
    const idBySlug =
      node.kind === 'SelectQueryNode' &&
      node.selections?.length === 1 &&
      /^\{"kind":"FromNode","froms":\[\{"kind":"TableNode".*"name":"organizations"/.test(
        JSON.stringify(node.from),
      ) &&
      /"name":"id"/.test(JSON.stringify(node.selections)) &&
      /"name":"slug"/.test(JSON.stringify(node.where));
    if (!idBySlug && /"name":"(organizations|identity_configs)"/.test(json)) settingsReads += 1;
    return node;
  },
  transformResult: async ({ result }) => result,
};

const portal = usePortal({ appDb: (db) => db.withPlugin(countSettingsReads) });

/** An organization with RBAC on and the identity provider owning a member and a group. */
async function idpOwnedOrg(): Promise<{ org: TestOrg; memberId: string; groupId: string }> {
  const org = await portal().newOrg({ plan: 'enterprise' });
  expect((await org.manager.call('PATCH', `/orgs/${org.slug}`, { rbacEnabled: true })).status).toBe(200);
  const memberId = await insertScimMember(portal().handle, org.id);
  const groupId = await insertScimGroup(portal().handle, org.id, 'Engineering');
  await setProvisioning(portal().handle, org.id, { scimEnabled: true, syncGroups: true });
  return { org, memberId, groupId };
}

/** The response, and how many queries read the organization's settings while it was made. */
async function counted(request: () => Promise<Response>): Promise<{ res: Response; reads: number }> {
  settingsReads = 0;
  const res = await request();
  expect(res.status).toBe(200);
  return { res, reads: settingsReads };
}

describe('read requests', () => {
  it('read the settings once, with a personal key, and still mark what the identity provider owns', async () => {
    const { org, memberId, groupId } = await idpOwnedOrg();
    const get = (path: string) => counted(() => org.manager.call('GET', `/orgs/${org.slug}${path}`));

    const groups = await get('/groups');
    expect(groups.res.body.items.map((g: { readOnly: boolean }) => g.readOnly)).toEqual([true]);
    const group = await get(`/groups/${groupId}`);
    expect(group.res.body.readOnly).toBe(true);
    const member = await get(`/members/${memberId}`);
    expect(member.res.body.readOnly).toBe(true);
    const others = [await get(`/groups/${groupId}/members`), await get('/members'), await get('/members/me')];
    expect([groups, group, member, ...others].map((r) => r.reads)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('read the settings once with a session cookie too', async () => {
    const { org, groupId } = await idpOwnedOrg();
    const session = await createSession(portal().handle.db, {
      orgId: org.id,
      memberId: org.manager.id,
      method: 'oidc',
      lifetimeSeconds: 600,
    });
    const { res, reads } = await counted(async () => {
      const response = await fetch(`${portal().origin}/api/v1/orgs/${org.slug}/groups/${groupId}`, {
        headers: { Cookie: `roster_session=${session.token}` },
      });
      return { status: response.status, headers: response.headers, body: await response.json() };
    });
    expect(res.body.readOnly).toBe(true);
    expect(reads).toBe(1);
  });
});
