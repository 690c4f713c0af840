/** The scripted session `test-connection` (Test Connection), one of those catalog.ts lists; shared checks are in checks.ts. */
import type { Session } from './checks.js';
import { formatEntry } from './context.js';

export const testConnection: Session = {
  id: 'test-connection',
  title: 'Test Connection',
  async run(ctx) {
    for (const entry of await ctx.sim.testConnection())
      ctx.check(
        `Test Connection: the ${entry.objectType} probe succeeds`,
        entry.status === 'Success',
        formatEntry(entry),
      );
    const lifetime = ctx.sim.client.credentials.grantedLifetime;
    if (ctx.sim.idp === 'entra' && lifetime !== undefined) {
      ctx.check(
        "the access token lasts 60 min to 6 h, as Entra's validation requires",
        lifetime >= 3600 && lifetime <= 21_600,
        `expires_in is ${lifetime}`,
      );
    }
  },
};
