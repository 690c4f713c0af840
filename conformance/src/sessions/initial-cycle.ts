/** The scripted session `initial-cycle` (Initial cycle), one of those catalog.ts lists; shared checks are in checks.ts. */
import { audited, portalMembers, type Session } from './checks.js';

export const initialCycle: Session = {
  id: 'initial-cycle',
  title: 'Initial cycle',
  async run(ctx) {
    const { sizes } = ctx.env;
    ctx.source.seed(sizes);
    const result = await ctx.cycle('initial cycle');
    const users = [...ctx.source.users.values()];
    const groups = [...ctx.source.groups.values()];
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
