/** The scripted session `hard-delete` (Hard delete), one of those catalog.ts lists; shared checks are in checks.ts. */
import { memberIds } from '../provisioning/provisioner.js';
import { audited, keysAnswer, personalKeys, type Session, signIn, signInAnswers } from './checks.js';
import { formatEntry } from './context.js';

export const hardDelete: Session = {
  id: 'hard-delete',
  title: 'Hard delete',
  async run(ctx) {
    ctx.sim.useRemoveAction?.('Delete');
    const dir = ctx.source;
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
