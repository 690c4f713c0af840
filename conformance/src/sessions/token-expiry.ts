/** The scripted session `token-expiry` (Token expiry mid-session), one of those catalog.ts lists; shared checks are in checks.ts. */
import type { Session } from './checks.js';
import { SessionSkipped } from './context.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const tokenExpiry: Session = {
  id: 'token-expiry',
  title: 'Token expiry mid-session',
  async run(ctx) {
    if (ctx.env.auth !== 'oauth') throw new SessionSkipped('a long-lived secret does not expire');
    const { client } = ctx.sim;
    const credentials = client.credentials;
    await credentials.refreshIfExpired();
    const lifetime = credentials.grantedLifetime ?? Number.POSITIVE_INFINITY;
    if (lifetime > ctx.env.maxTokenWaitSeconds) {
      throw new SessionSkipped(
        `tokens last ${lifetime} s, longer than --max-token-wait (${ctx.env.maxTokenWaitSeconds} s); run the target with short-lived tokens (Roster: ROSTER_ACCESS_TOKEN_TTL=2)`,
      );
    }
    ctx.source.seed({ users: 4, groups: 0, membersPerGroup: 0 });
    const fetchedBefore = credentials.tokensFetched;
    const refusedBefore = client.stats.unauthorized;
    let expired = false;
    ctx.sim.afterObject = async (handled) => {
      if (handled !== 2) return;
      // Wait until the target really refuses the token the IdP holds (its clock, its leeway).
      const deadline = Date.now() + (ctx.env.maxTokenWaitSeconds + 30) * 1000;
      while (Date.now() < deadline) {
        const res = await fetch(`${client.baseUrl}/Users?count=1`, {
          headers: { Authorization: await credentials.authorization() },
        });
        if (res.status === 401) {
          expired = true;
          return;
        }
        await sleep(250);
      }
    };
    try {
      await ctx.cycle('a cycle during which the token expires');
    } finally {
      ctx.sim.afterObject = undefined;
    }
    ctx.check('the target stops accepting the token when it expires', expired);
    ctx.check('the target answers the expired token with 401', client.stats.unauthorized > refusedBefore);
    ctx.check(
      'the IdP gets one new token and carries on',
      credentials.tokensFetched === fetchedBefore + 1,
      `${credentials.tokensFetched - fetchedBefore} new tokens`,
    );
    await ctx.verifyTarget();
    await ctx.repeatSendsNoWrites();
  },
};
