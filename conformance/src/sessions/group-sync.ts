/** The scripted session `group-sync` (Group sync), one of those catalog.ts lists; shared checks are in checks.ts. */
import type { SourceUser } from '../idp-source/idp-source.js';
import { audited, type Session } from './checks.js';

export const groupSync: Session = {
  id: 'group-sync',
  title: 'Group sync',
  async run(ctx) {
    const dir = ctx.source;
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
