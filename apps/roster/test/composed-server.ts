/**
 * The composed server (portal API, OAuth authorization servers and SCIM on one port) on the test
 * run's PostgreSQL, listening on a free loopback port, for tests that speak HTTP to all of it.
 */
import type { AddressInfo } from 'node:net';
import { secretKeyFrom } from '@roster/auth/secret-box';
import { type DatabaseHandle, openDatabase } from '@roster/db';
import { loadConfig } from '@roster/scim-server/bootstrap';
import { type FakeOidcProvider, startFakeOidcProvider } from '@roster/testkit/oidc-provider';
import type {} from '@roster/testkit/vitest-global-setup';
import nock from 'nock';
import { type Logger, pino } from 'pino';
import { inject } from 'vitest';
import { type ClientTimeouts, createRosterServer } from '../src/server.js';

export interface ComposedServer {
  origin: string;
  handle: DatabaseHandle;
  close(): Promise<void>;
}

/** Also a graceful shutdown of the server alone (queued activity written, delivery stopped); the handle stays open. */
export type DrainableServer = ComposedServer & { drain(): Promise<void> };

export interface ComposedServerOptions {
  /** ROSTER_SECRET_KEY, base64 of 32 bytes. */
  secret?: string;
  logger?: Logger;
  timeouts?: ClientTimeouts;
  /** More settings, as environment variables (e.g. rate limits). */
  env?: Record<string, string>;
  /** Cache credentials as the Roster process does (main.ts), listening to invalidations. */
  cacheCredentials?: boolean;
  /** The console's build output to serve (default: apps/console/dist). */
  consoleDir?: string;
}

export async function startComposedServer({
  secret = Buffer.alloc(32, 5).toString('base64'),
  logger = pino({ level: 'silent' }),
  timeouts,
  env = {},
  cacheCredentials = false,
  consoleDir,
}: ComposedServerOptions = {}): Promise<DrainableServer> {
  const config = loadConfig({ ...env, DATABASE_URL: inject('databaseUrl'), LOG_LEVEL: logger.level });
  const handle = await openDatabase({ url: config.databaseUrl });
  const server = createRosterServer({
    db: handle.db,
    config,
    logger,
    secretKey: secretKeyFrom(secret),
    ...(timeouts ? { timeouts } : {}),
    ...(cacheCredentials ? { listen: handle.listen } : {}),
    ...(consoleDir ? { consoleDir } : {}),
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    handle,
    drain: () => server.drain(),
    async close() {
      // drain() also stops the cache's listening connection.
      if (cacheCredentials) await server.drain();
      else await new Promise<void>((resolve) => server.close(() => resolve()));
      await handle.close();
    },
  };
}

/**
 * The composed server and a fake OpenID provider (nock), with the network closed to everything
 * but the loopback interface, for the sign-in tests; close() undoes all of it.
 */
export async function startSignInServer(
  options: ComposedServerOptions = {},
): Promise<ComposedServer & { provider: FakeOidcProvider }> {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
  const provider = await startFakeOidcProvider();
  const server = await startComposedServer(options);
  return {
    ...server,
    provider,
    async close() {
      provider.close();
      nock.enableNetConnect();
      await server.close();
    },
  };
}
