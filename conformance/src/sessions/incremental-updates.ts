/** The scripted session `incremental-updates` (Incremental updates), one of those catalog.ts lists; shared checks are in checks.ts. */
import type { Session } from './checks.js';
import { formatEntry } from './context.js';

export const incrementalUpdates: Session = {
  id: 'incremental-updates',
  title: 'Incremental updates',
  async run(ctx) {
    const dir = ctx.source;
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
