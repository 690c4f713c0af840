/** The scripted session `adopt-members` (Adoption of existing members), one of those catalog.ts lists; shared checks are in checks.ts. */
import { audited, type Session } from './checks.js';
import { formatEntry } from './context.js';

export const adoptMembers: Session = {
  id: 'adopt-members',
  title: 'Adoption of existing members',
  async run(ctx) {
    const portal = ctx.portal();
    const dir = ctx.source;
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
