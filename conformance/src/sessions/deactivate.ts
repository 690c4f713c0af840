/** The scripted session `deactivate` (Deactivate), one of those catalog.ts lists; shared checks are in checks.ts. */
import { deactivateTwo, type Session } from './checks.js';

export const deactivate: Session = {
  id: 'deactivate',
  title: 'Deactivate',
  async run(ctx) {
    await deactivateTwo(ctx);
    await ctx.verifyTarget();
    await ctx.repeatSendsNoWrites();
  },
};
