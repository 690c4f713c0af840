/** The scripted session `adopt-groups` (Adoption of pre-configured groups), one of those catalog.ts lists; shared checks are in checks.ts. */
import { audited, portalMembers, type Session } from './checks.js';

export const adoptGroups: Session = {
  id: 'adopt-groups',
  title: 'Adoption of pre-configured groups',
  async run(ctx) {
    const portal = ctx.portal();
    const dir = ctx.source;
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
