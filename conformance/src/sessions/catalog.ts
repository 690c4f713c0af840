/**
 * The scripted sessions (issue #4), the same for every IdP: each changes the IdP's directory the
 * way an administrator would, runs cycles, and checks what the target and, for Roster, the portal
 * show. Each ends by checking that the target matches the IdP's directory and that a repeated
 * cycle sends no writes.
 */
import type { SourceUser } from '../directory/source-directory.js';
import { ROLE_PATH } from '../entra/mapping.js';
import { memberIds } from '../provisioning/provisioner.js';
import { formatEntry, type SessionContext, SessionSkipped } from './context.js';

export interface Session {
  id: string;
  title: string;
  run(ctx: SessionContext): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Personal keys of provisioned members, when the harness can mint them. */
async function personalKeys(ctx: SessionContext, users: SourceUser[]): Promise<string[] | undefined> {
  const mint = ctx.env.portal?.personalKey;
  if (!mint) return undefined;
  return Promise.all(users.map((u) => mint(ctx.id(u))));
}

async function keysAnswer(ctx: SessionContext, keys: string[] | undefined, status: number, what: string) {
  const portal = ctx.env.portal;
  if (!portal || !keys) return;
  const statuses = await Promise.all(keys.map((k) => portal.keyStatus(k)));
  ctx.check(
    what,
    statuses.every((s) => s === status),
    `portal answers ${statuses.join(', ')}`,
  );
}

/** The audit trail records the IdP's change, made with the IdP's credential. */
async function audited(ctx: SessionContext, action: string, targetId: string): Promise<void> {
  const portal = ctx.env.portal;
  if (!portal) return;
  const events = await portal.auditEvents({ action, targetId });
  ctx.check(
    `the audit trail records ${action} by the IdP's credential`,
    events.length > 0 && events.every((e) => e.actor.type === 'api_key' || e.actor.type === 'oauth_client'),
    `${events.length} events: ${JSON.stringify(events.map((e) => e.actor))}`,
  );
}

/** Signs users in through the organization's provider, when the harness can; their session cookies. */
async function signIn(ctx: SessionContext, users: SourceUser[]): Promise<(string | undefined)[] | undefined> {
  const signInAs = ctx.env.portal?.signIn;
  if (!signInAs) return undefined;
  return Promise.all(users.map((u) => signInAs(u.userName)));
}

/** Whether each user may (still) sign in and use their session, as `allowed` says. */
async function signInAnswers(
  ctx: SessionContext,
  users: SourceUser[],
  sessions: (string | undefined)[] | undefined,
  allowed: boolean,
) {
  const portal = ctx.env.portal;
  if (!portal || !sessions) return;
  const statuses = await Promise.all(sessions.map((s) => (s ? portal.sessionStatus(s) : Promise.resolve(0))));
  const again = await signIn(ctx, users);
  ctx.check(
    allowed
      ? 'members sign in with the IdP and use their sessions'
      : "members' sessions end and sign-in is refused",
    statuses.every((s) => s === (allowed ? 200 : 401)) &&
      (again ?? []).every((s) => (s !== undefined) === allowed),
    `sessions answer ${statuses.join(', ')}; new sign-in ${(again ?? []).map((s) => (s ? 'allowed' : 'refused')).join(', ')}`,
  );
}

async function portalMembers(ctx: SessionContext, ids: string[]) {
  const portal = ctx.env.portal;
  return portal ? Promise.all(ids.map((id) => portal.member(id))) : undefined;
}

const testConnection: Session = {
  id: 'test-connection',
  title: 'Test Connection',
  async run(ctx) {
    for (const entry of await ctx.sim.testConnection())
      ctx.check(
        `Test Connection: the ${entry.objectType} probe succeeds`,
        entry.status === 'Success',
        formatEntry(entry),
      );
    const lifetime = ctx.sim.client.credentials.grantedLifetime;
    if (ctx.sim.idp === 'entra' && lifetime !== undefined) {
      ctx.check(
        "the access token lasts 60 min to 6 h, as Entra's validation requires",
        lifetime >= 3600 && lifetime <= 21_600,
        `expires_in is ${lifetime}`,
      );
    }
  },
};

const initialCycle: Session = {
  id: 'initial-cycle',
  title: 'Initial cycle',
  async run(ctx) {
    const { sizes } = ctx.env;
    ctx.directory.seed(sizes);
    const result = await ctx.cycle('initial cycle');
    const users = [...ctx.directory.users.values()];
    const groups = [...ctx.directory.groups.values()];
    const creates = ctx.entries(result).filter((e) => e.action === 'Create').length;
    ctx.check(
      `${sizes.users} users and ${sizes.groups} groups are created`,
      creates === users.length + groups.length,
      `${creates} creates`,
    );
    ctx.check(
      'every user and group is linked to its target id',
      users.every((u) => ctx.sim.userId(u.key)) && groups.every((g) => ctx.sim.groupId(g.key)),
    );
    const sample = users.slice(0, 5).flatMap((u) => ctx.sim.userId(u.key) ?? []);
    const members = await portalMembers(ctx, sample);
    if (members) {
      ctx.check(
        'the portal shows provisioned users as active members owned by the IdP',
        members.every((m) => m?.status === 'active' && m.managedBy === 'scim'),
        JSON.stringify(members.map((m) => m && { status: m.status, managedBy: m.managedBy })),
      );
    }
    if (sample[0]) await audited(ctx, 'scim.member.created', sample[0]);
    const firstGroup = groups[0];
    if (ctx.env.portal && firstGroup) {
      const id = ctx.sim.groupId(firstGroup.key) as string;
      const inPortal = await ctx.env.portal.groupMembers(id);
      ctx.check(
        'the portal shows the first group with its members',
        inPortal.length === firstGroup.members.size,
        `${inPortal.length} members in the portal, ${firstGroup.members.size} in the IdP`,
      );
    }
    await ctx.verifyTarget();
    await ctx.repeatSendsNoWrites();
  },
};

const incrementalUpdates: Session = {
  id: 'incremental-updates',
  title: 'Incremental updates',
  async run(ctx) {
    const dir = ctx.directory;
    const a = dir.addUser();
    const b = dir.addUser({ phone: undefined });
    const c = dir.addUser();
    const untouched = dir.addUser();
    await ctx.cycle('initial cycle');
    dir.updateUser(a, {
      familyName: 'Changed-Name',
      displayName: `${a.givenName} Changed-Name`,
      jobTitle: 'Lead',
    });
    dir.updateUser(b, { phone: '+1 425 555 0100', department: 'Sales & Marketing' });
    const renamed = `renamed-${c.userName}`;
    dir.updateUser(c, { userName: renamed, email: renamed, managerKey: a.key });
    const result = await ctx.cycle('incremental cycle');
    const entries = ctx.entries(result);
    ctx.check(
      'no user is created again',
      !entries.some((e) => e.action === 'Create'),
      entries.map(formatEntry).join('; '),
    );
    ctx.check(
      'each changed user is updated',
      [a, b, c].every((u) => entries.some((e) => e.action === 'Update' && e.targetId === ctx.id(u))),
      entries.map(formatEntry).join('; '),
    );
    ctx.check(
      'an unchanged user is not touched',
      !entries.some((e) => e.targetId === ctx.id(untouched)),
      entries.map(formatEntry).join('; '),
    );
    if (ctx.env.portal) {
      const member = await ctx.env.portal.member(ctx.id(c));
      ctx.check('the portal shows the new userName', member?.userName === renamed, JSON.stringify(member));
    }
    await ctx.verifyTarget();
    await ctx.repeatSendsNoWrites();
  },
};

/** Two users in a group, then one blocked at the source and one taken out of scope. */
async function deactivateTwo(ctx: SessionContext) {
  const dir = ctx.directory;
  const blocked = dir.addUser();
  const unassigned = dir.addUser();
  const group = dir.addGroup(undefined, [blocked, unassigned]);
  await ctx.cycle('initial cycle');
  const ids = [ctx.id(blocked), ctx.id(unassigned)];
  const groupId = ctx.sim.groupId(group.key) as string;
  const keys = await personalKeys(ctx, [blocked, unassigned]);
  const sessions = await signIn(ctx, [blocked, unassigned]);
  await signInAnswers(ctx, [blocked, unassigned], sessions, true);
  await keysAnswer(ctx, keys, 200, "provisioned members' personal keys work");
  dir.updateUser(blocked, { enabled: false });
  dir.updateUser(unassigned, { assigned: false });
  const result = await ctx.cycle('deprovisioning cycle');
  const disabled = ctx.entries(result).filter((e) => e.action === 'Disable');
  ctx.check(
    'both users are disabled, not deleted',
    disabled.length === 2 && !ctx.entries(result).some((e) => e.action === 'Delete'),
    ctx.entries(result).map(formatEntry).join('; '),
  );
  for (const id of ids) {
    const res = await ctx.sim.client.request('GET', `/Users/${id}`);
    ctx.check(
      `a disabled user is still there with active false (${id})`,
      res.status === 200 && res.body?.active === false,
      `GET → ${res.status}, active ${JSON.stringify(res.body?.active)}`,
    );
  }
  const found = await ctx.sim.client.request('GET', '/Users', {
    query: { filter: `userName eq "${unassigned.userName}"` },
  });
  ctx.check(
    'a disabled user is still found by the lookup filter',
    found.body?.totalResults === 1,
    `totalResults ${JSON.stringify(found.body?.totalResults)}`,
  );
  const members = memberIds((await ctx.sim.client.request('GET', `/Groups/${groupId}`)).body);
  ctx.check(
    'disabled users keep their group memberships',
    ids.every((id) => members.includes(id)),
    `members ${members}`,
  );
  const inPortal = await portalMembers(ctx, ids);
  if (inPortal) {
    ctx.check(
      'the portal shows both members deactivated',
      inPortal.every((m) => m?.status === 'deactivated'),
      JSON.stringify(inPortal.map((m) => m?.status)),
    );
  }
  await keysAnswer(ctx, keys, 401, "deactivated members' personal keys are refused");
  await audited(ctx, 'scim.member.updated', ids[0] as string);
  await signInAnswers(ctx, [blocked, unassigned], sessions, false);
  return { blocked, unassigned, ids, keys };
}

const deactivate: Session = {
  id: 'deactivate',
  title: 'Deactivate',
  async run(ctx) {
    await deactivateTwo(ctx);
    await ctx.verifyTarget();
    await ctx.repeatSendsNoWrites();
  },
};

const reactivate: Session = {
  id: 'reactivate',
  title: 'Reactivate',
  async run(ctx) {
    const { blocked, unassigned, ids, keys } = await deactivateTwo(ctx);
    ctx.directory.updateUser(blocked, { enabled: true });
    ctx.directory.updateUser(unassigned, { assigned: true });
    const result = await ctx.cycle('reactivation cycle');
    ctx.check(
      'no user is created again',
      !ctx.entries(result).some((e) => e.action === 'Create'),
      ctx.entries(result).map(formatEntry).join('; '),
    );
    ctx.check(
      'both users keep their target ids',
      ctx.id(blocked) === ids[0] && ctx.id(unassigned) === ids[1],
    );
    const members = await portalMembers(ctx, ids);
    if (members) {
      ctx.check(
        'the portal shows both members active again',
        members.every((m) => m?.status === 'active'),
        JSON.stringify(members.map((m) => m?.status)),
      );
    }
    await keysAnswer(ctx, keys, 200, "reactivated members' personal keys work again");
    await signInAnswers(ctx, [blocked, unassigned], await signIn(ctx, [blocked, unassigned]), true);
    await ctx.verifyTarget();
    await ctx.repeatSendsNoWrites();
  },
};

const hardDelete: Session = {
  id: 'hard-delete',
  title: 'Hard delete',
  async run(ctx) {
    ctx.sim.useRemoveAction?.('Delete');
    const dir = ctx.directory;
    const gone = dir.addUser();
    const stays = dir.addUser();
    const group = dir.addGroup(undefined, [gone, stays]);
    await ctx.cycle('initial cycle');
    const id = ctx.id(gone);
    const keys = await personalKeys(ctx, [gone]);
    const sessions = await signIn(ctx, [gone]);
    dir.updateUser(gone, { deleted: true });
    const result = await ctx.cycle('deletion cycle');
    ctx.check(
      'the user is deleted',
      ctx.entries(result).some((e) => e.action === 'Delete' && e.targetId === id),
      ctx.entries(result).map(formatEntry).join('; '),
    );
    const res = await ctx.sim.client.request('GET', `/Users/${id}`);
    ctx.check('a deleted user answers 404', res.status === 404, `GET → ${res.status}`);
    const members = memberIds(
      (await ctx.sim.client.request('GET', `/Groups/${ctx.sim.groupId(group.key)}`)).body,
    );
    ctx.check(
      'a deleted user leaves its groups',
      !members.includes(id) && members.includes(ctx.id(stays)),
      `members ${members}`,
    );
    if (ctx.env.portal) {
      ctx.check('the portal no longer has the member', (await ctx.env.portal.member(id)) === undefined);
    }
    await keysAnswer(ctx, keys, 401, "a deleted member's personal key is refused");
    await signInAnswers(ctx, [gone], sessions, false);
    await audited(ctx, 'scim.member.deleted', id);
    await ctx.verifyTarget();
    await ctx.repeatSendsNoWrites();
  },
};

const groupSync: Session = {
  id: 'group-sync',
  title: 'Group sync',
  async run(ctx) {
    const dir = ctx.directory;
    const users = Array.from({ length: 10 }, () => dir.addUser());
    const group = dir.addGroup(undefined, users.slice(0, 7));
    await ctx.cycle('initial cycle');
    const id = ctx.sim.groupId(group.key) as string;
    dir.addMembers(group, users.slice(7));
    dir.removeMembers(group, users.slice(0, 2));
    dir.updateGroup(group, { displayName: `${group.displayName} (renamed)` });
    await ctx.cycle('membership and rename cycle');
    ctx.check('the group keeps its target id', ctx.sim.groupId(group.key) === id);
    if (ctx.env.portal) {
      const inPortal = await ctx.env.portal.group(id);
      ctx.check(
        'the portal shows the renamed group owned by the IdP',
        inPortal?.displayName === group.displayName && inPortal.managedBy === 'scim',
        JSON.stringify(inPortal),
      );
      const members = await ctx.env.portal.groupMembers(id);
      ctx.check(
        'the portal shows the group with 8 members',
        members.length === 8,
        `${members.length} members`,
      );
    }
    await ctx.verifyTarget();
    await ctx.repeatSendsNoWrites();
    dir.updateGroup(group, { deleted: true });
    await ctx.cycle('group deletion cycle');
    const res = await ctx.sim.client.request('GET', `/Groups/${id}`);
    ctx.check('a deleted group answers 404', res.status === 404, `GET → ${res.status}`);
    const member = await ctx.sim.client.request('GET', `/Users/${ctx.id(users[9] as SourceUser)}`);
    ctx.check('deleting a group keeps its members', member.status === 200, `GET → ${member.status}`);
    if (ctx.env.portal)
      ctx.check('the portal no longer has the group', (await ctx.env.portal.group(id)) === undefined);
    await audited(ctx, 'scim.group.deleted', id);
  },
};

const roles: Session = {
  id: 'roles',
  title: 'Roles',
  async run(ctx) {
    const dir = ctx.directory;
    if (ctx.sim.idp === 'entra') {
      // Entra app roles: SingleAppRoleAssignment → roles[primary eq "True"].value.
      const a = dir.addUser({ appRole: 'manager' });
      const b = dir.addUser({ appRole: 'basic' });
      await ctx.cycle('initial cycle');
      const before = await portalMembers(ctx, [ctx.id(a), ctx.id(b)]);
      if (before)
        ctx.check(
          'the portal gives each member the role assigned in Entra',
          before[0]?.role === 'manager' && before[1]?.role === 'basic',
          JSON.stringify(before.map((m) => m?.role)),
        );
      dir.updateUser(a, { appRole: 'basic' });
      dir.updateUser(b, { appRole: 'manager' });
      await ctx.cycle('role change cycle');
      ctx.check("the target holds b's new role", (await ctx.targetValue(b, ROLE_PATH)) === 'manager');
      const after = await portalMembers(ctx, [ctx.id(a), ctx.id(b)]);
      if (after)
        ctx.check(
          'the portal follows the role change',
          after[0]?.role === 'basic' && after[1]?.role === 'manager',
          JSON.stringify(after.map((m) => m?.role)),
        );
    } else {
      // Ping sends no roles: a synced group whose portal role is manager makes its members managers.
      const portal = ctx.portal();
      const name = `${dir.prefix} Managers`;
      const portalGroup = await portal.createGroup(name, 'manager');
      const a = dir.addUser();
      const b = dir.addUser();
      const group = dir.addGroup(name, [a]);
      await ctx.cycle('initial cycle');
      ctx.check('the IdP adopts the portal group by name', ctx.sim.groupId(group.key) === portalGroup.id);
      const before = await portalMembers(ctx, [ctx.id(a), ctx.id(b)]);
      ctx.check(
        'a member of the managers group acts as manager',
        before?.[0]?.effectiveRole === 'manager' && before?.[1]?.effectiveRole === 'basic',
        JSON.stringify(before?.map((m) => m?.effectiveRole)),
      );
      dir.removeMembers(group, [a]);
      dir.addMembers(group, [b]);
      await ctx.cycle('membership change cycle');
      const after = await portalMembers(ctx, [ctx.id(a), ctx.id(b)]);
      ctx.check(
        'the manager role follows group membership',
        after?.[0]?.effectiveRole === 'basic' && after?.[1]?.effectiveRole === 'manager',
        JSON.stringify(after?.map((m) => m?.effectiveRole)),
      );
      ctx.check('the group keeps its manager role', (await portal.group(portalGroup.id))?.role === 'manager');
    }
    await ctx.verifyTarget();
    await ctx.repeatSendsNoWrites();
  },
};

const adoptMembers: Session = {
  id: 'adopt-members',
  title: 'Adoption of existing members',
  async run(ctx) {
    const portal = ctx.portal();
    const dir = ctx.directory;
    const email = `${dir.prefix}-existing@${dir.domain}`.toLowerCase();
    const invited = await portal.inviteMember(email);
    const user = dir.addUser({ userName: email, email });
    const { provisionExistingUsers } = await portal.provisioning();
    await portal.setProvisioning({ provisionExistingUsers: false });
    try {
      const refused = await ctx.sim.cycle();
      const conflict = refused.failures.find((e) => e.source === email);
      ctx.check(
        'with "provision existing users" off, the create is refused with 409',
        conflict?.request?.endsWith('409') === true,
        refused.failures.map(formatEntry).join('; '),
      );
      ctx.check(
        'the 409 names the setting',
        /provision existing users/i.test(conflict?.reason ?? ''),
        conflict?.reason,
      );
      await portal.setProvisioning({ provisionExistingUsers: true });
      // Entra retries a failed object on its next cycle; Ping needs a full resync.
      await ctx.cycle(
        'cycle with "provision existing users" on',
        ctx.sim.idp === 'ping' ? { full: true } : {},
      );
      ctx.check(
        'the IdP adopts the portal member',
        ctx.sim.userId(user.key) === invited.id,
        `${ctx.sim.userId(user.key)} vs ${invited.id}`,
      );
      const member = await portal.member(invited.id);
      ctx.check(
        'the adopted member is now owned by the IdP',
        member?.managedBy === 'scim',
        JSON.stringify(member),
      );
      await audited(ctx, 'scim.member.adopted', invited.id);
      await ctx.verifyTarget();
      await ctx.repeatSendsNoWrites();
    } finally {
      await portal.setProvisioning({ provisionExistingUsers });
    }
  },
};

const adoptGroups: Session = {
  id: 'adopt-groups',
  title: 'Adoption of pre-configured groups',
  async run(ctx) {
    const portal = ctx.portal();
    const dir = ctx.directory;
    const name = `${dir.prefix} Engineering`;
    const portalGroup = await portal.createGroup(name, 'manager');
    const users = [dir.addUser(), dir.addUser()];
    const group = dir.addGroup(name, users);
    await ctx.cycle('initial cycle');
    ctx.check(
      'the IdP adopts the portal group by name',
      ctx.sim.groupId(group.key) === portalGroup.id,
      `${ctx.sim.groupId(group.key)} vs ${portalGroup.id}`,
    );
    const inPortal = await portal.group(portalGroup.id);
    ctx.check(
      'the adopted group keeps its role and passes to the IdP',
      inPortal?.role === 'manager' && inPortal.managedBy === 'scim',
      JSON.stringify(inPortal),
    );
    const members = await portalMembers(
      ctx,
      users.map((u) => ctx.id(u)),
    );
    await audited(ctx, 'scim.group.adopted', portalGroup.id);
    ctx.check(
      "the group's role reaches its provisioned members",
      members?.every((m) => m?.effectiveRole === 'manager') === true,
      JSON.stringify(members?.map((m) => m?.effectiveRole)),
    );
    await ctx.verifyTarget();
    await ctx.repeatSendsNoWrites();
  },
};

const tokenExpiry: Session = {
  id: 'token-expiry',
  title: 'Token expiry mid-session',
  async run(ctx) {
    if (ctx.env.auth !== 'oauth') throw new SessionSkipped('a long-lived secret does not expire');
    const { client } = ctx.sim;
    const credentials = client.credentials;
    await credentials.refreshIfExpired();
    const lifetime = credentials.grantedLifetime ?? Number.POSITIVE_INFINITY;
    if (lifetime > ctx.env.maxTokenWaitSeconds) {
      throw new SessionSkipped(
        `tokens last ${lifetime} s, longer than --max-token-wait (${ctx.env.maxTokenWaitSeconds} s); run the target with short-lived tokens (Roster: ROSTER_ACCESS_TOKEN_TTL=2)`,
      );
    }
    ctx.directory.seed({ users: 4, groups: 0, membersPerGroup: 0 });
    const fetchedBefore = credentials.tokensFetched;
    const refusedBefore = client.stats.unauthorized;
    let expired = false;
    ctx.sim.afterObject = async (handled) => {
      if (handled !== 2) return;
      // Wait until the target really refuses the token the IdP holds (its clock, its leeway).
      const deadline = Date.now() + (ctx.env.maxTokenWaitSeconds + 30) * 1000;
      while (Date.now() < deadline) {
        const res = await fetch(`${client.baseUrl}/Users?count=1`, {
          headers: { Authorization: await credentials.authorization() },
        });
        if (res.status === 401) {
          expired = true;
          return;
        }
        await sleep(250);
      }
    };
    try {
      await ctx.cycle('a cycle during which the token expires');
    } finally {
      ctx.sim.afterObject = undefined;
    }
    ctx.check('the target stops accepting the token when it expires', expired);
    ctx.check('the target answers the expired token with 401', client.stats.unauthorized > refusedBefore);
    ctx.check(
      'the IdP gets one new token and carries on',
      credentials.tokensFetched === fetchedBefore + 1,
      `${credentials.tokensFetched - fetchedBefore} new tokens`,
    );
    await ctx.verifyTarget();
    await ctx.repeatSendsNoWrites();
  },
};

export const SESSIONS: Session[] = [
  testConnection,
  initialCycle,
  incrementalUpdates,
  deactivate,
  reactivate,
  hardDelete,
  groupSync,
  roles,
  adoptMembers,
  adoptGroups,
  tokenExpiry,
];

/** The error for session ids the catalog does not have, or undefined when it has them all. */
export function unknownSessions(ids: string[]): string | undefined {
  const unknown = ids.filter((id) => !SESSIONS.some((s) => s.id === id));
  if (unknown.length === 0) return undefined;
  return `Unknown session ${unknown.join(', ')}; sessions: ${SESSIONS.map((s) => s.id).join(', ')}`;
}
