/** The scripted session `reactivate` (Reactivate), one of those catalog.ts lists; shared checks are in checks.ts. */
import { deactivateTwo, keysAnswer, portalMembers, type Session, signIn, signInAnswers } from './checks.js';
import { formatEntry } from './context.js';

export const reactivate: Session = {
  id: 'reactivate',
  title: 'Reactivate',
  async run(ctx) {
    const { blocked, unassigned, ids, keys } = await deactivateTwo(ctx);
    ctx.source.updateUser(blocked, { enabled: true });
    ctx.source.updateUser(unassigned, { assigned: true });
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
