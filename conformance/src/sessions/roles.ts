/** The scripted session `roles` (Roles), one of those catalog.ts lists; shared checks are in checks.ts. */
import { ROLE_PATH } from '../entra/mapping.js';
import { portalMembers, type Session } from './checks.js';

export const roles: Session = {
  id: 'roles',
  title: 'Roles',
  async run(ctx) {
    const dir = ctx.source;
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
