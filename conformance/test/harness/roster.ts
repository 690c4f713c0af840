/**
 * A Roster to run the sessions against, as in production: the composed server (portal API, OAuth
 * and SCIM on one port) on real PostgreSQL. The operator's part (an organization with a first
 * manager and their personal key) goes through the directory, as the operator CLI does; the
 * administrator's set-up then goes through the portal API, exactly as docs/setup-*.md describe.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { secretKeyFrom } from '@roster/auth/secret-box';
import { type DatabaseHandle, openDatabase } from '@roster/db';
import { createFirstManager, createPortalKey } from '@roster/directory/api-keys';
import { createOrganization } from '@roster/directory/organizations';
import { createRosterServer } from '@roster/roster/server';
import { loadConfig } from '@roster/scim-server/bootstrap';
import { browserSignIn, startFakeOidcProvider } from '@roster/testkit/oidc-provider';
import { pino } from 'pino';
import { RosterPortal } from '../../src/roster/portal.js';
import type { TargetCredentials } from '../../src/run.js';

export interface RosterUnderTest {
  /** Origins of the servers: the default one, and one whose access tokens last 2 s. */
  origin: string;
  shortTokenOrigin: string;
  /** A new organization set up for provisioning with the method, seen from `origin`. */
  organization(
    authMethod: 'http_header' | 'oauth2',
    origin?: string,
  ): Promise<{
    portal: RosterPortal;
    target: TargetCredentials;
  }>;
  close(): Promise<void>;
}

const NO_RATE_LIMITS = { SCIM_RATE_LIMIT_PER_CREDENTIAL: '0', SCIM_RATE_LIMIT_PER_ORGANIZATION: '0' };

/** On PostgreSQL at `databaseUrl`, or on the embedded database (PGlite, in memory) without one. */
export async function startRoster(databaseUrl?: string): Promise<RosterUnderTest> {
  const database = databaseUrl ? { DATABASE_URL: databaseUrl } : { ROSTER_DATA_DIR: 'memory://' };
  const handle: DatabaseHandle = await openDatabase(
    databaseUrl ? { url: databaseUrl } : { url: undefined, dataDir: 'memory://' },
  );
  const secretKey = secretKeyFrom(Buffer.alloc(32, 11).toString('base64'));
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const listen = async (env: Record<string, string>) => {
    // The simulators run many times faster than a real IdP: rate limits have their own tests.
    const config = loadConfig({ ...database, ...NO_RATE_LIMITS, LOG_LEVEL: 'silent', ...env });
    const server = createRosterServer({ db: handle.db, config, logger, secretKey });
    server.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  };
  // The organizations' OpenID provider, so sessions can sign provisioned members in.
  const provider = await startFakeOidcProvider();
  const main = await listen({});
  const short = await listen({ ROSTER_ACCESS_TOKEN_TTL: '2' });

  async function organization(authMethod: 'http_header' | 'oauth2', origin = main.origin) {
    const slug = `conf-${randomUUID().slice(0, 8)}`;
    // The operator's part: an Enterprise organization and its first manager.
    const org = await createOrganization(handle.db, { slug, plan: 'enterprise' });
    const manager = await createFirstManager(handle.db, org.id, `admin@${slug}.example.com`);
    const portal = new RosterPortal({
      origin,
      org: slug,
      managerKey: manager.token,
      sso: { issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret },
      signIn: async (userName) =>
        (
          await browserSignIn(provider, origin, slug, {
            sub: `idp-${userName}`,
            // The portal's default sign-in claim: email, verified.
            email: userName,
            email_verified: true,
          })
        ).session,
      // Basic members cannot create keys in the portal: the operator mints them.
      personalKey: (memberId) => createPortalKey(handle.db, org.id, memberId, 'member'),
    });
    const target = await portal.setUpProvisioning(authMethod);
    return { portal, target };
  }

  return {
    origin: main.origin,
    shortTokenOrigin: short.origin,
    organization,
    async close() {
      for (const { server } of [main, short])
        await new Promise<void>((resolve) => server.close(() => resolve()));
      provider.close();
      await handle.close();
    },
  };
}
