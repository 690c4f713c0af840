/**
 * What the scripted sessions share: the session's shape, the checks of what Roster's portal shows
 * after a provisioning change (members, personal keys, sign-in, the audit trail), skipped against
 * another SCIM server, and the deactivation both `deactivate` and `reactivate` start from.
 */
import type { SourceUser } from '../idp-source/idp-source.js';
import { memberIds } from '../provisioning/provisioner.js';
import { formatEntry, type SessionContext } from './context.js';

export interface Session {
  id: string;
  title: string;
  run(ctx: SessionContext): Promise<void>;
}

/** Personal keys of provisioned members, when the harness can mint them. */
export async function personalKeys(ctx: SessionContext, users: SourceUser[]): Promise<string[] | undefined> {
  const mint = ctx.env.portal?.personalKey;
  if (!mint) return undefined;
  return Promise.all(users.map((u) => mint(ctx.id(u))));
}

export async function keysAnswer(
  ctx: SessionContext,
  keys: string[] | undefined,
  status: number,
  what: string,
) {
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
export async function audited(ctx: SessionContext, action: string, targetId: string): Promise<void> {
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
export async function signIn(
  ctx: SessionContext,
  users: SourceUser[],
): Promise<(string | undefined)[] | undefined> {
  const signInAs = ctx.env.portal?.signIn;
  if (!signInAs) return undefined;
  return Promise.all(users.map((u) => signInAs(u.userName)));
}

/** Whether each user may (still) sign in and use their session, as `allowed` says. */
export async function signInAnswers(
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

export async function portalMembers(ctx: SessionContext, ids: string[]) {
  const portal = ctx.env.portal;
  return portal ? Promise.all(ids.map((id) => portal.member(id))) : undefined;
}

/** Two users in a group, then one blocked at the source and one taken out of scope. */
export async function deactivateTwo(ctx: SessionContext) {
  const dir = ctx.source;
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
