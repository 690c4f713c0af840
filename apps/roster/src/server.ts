/**
 * The SCIM service and the portal app behind one HTTP server: the portal app owns /api/, sign-in
 * (/sso/) and the OAuth authorization servers (/oauth/, /.well-known/oauth-authorization-server/); everything else
 * (SCIM, health, metrics) is the SCIM app's. Both share the metrics and the server secret.
 */
import { createServer, type Server } from 'node:http';
import type { Database } from '@roster/db';
import { createMetrics } from '@roster/observability';
import { createPortalApp } from '@roster/portal-api/app';
import { type Config, createScimApp } from '@roster/scim-server/bootstrap';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';

const PORTAL_PATHS = /^\/(?:api|oauth|sso|\.well-known\/oauth-authorization-server)\//;

export interface RosterServerOptions {
  db: Kysely<Database>;
  config: Config;
  logger: Logger;
  /** The 32-byte server secret: seals SSO secrets, signs OAuth access tokens. */
  secretKey: Buffer;
  lifecycle?: { draining: boolean };
}

/** The HTTP server, and a way to wait for request handlers still running. */
export type RosterServer = Server & {
  /**
   * Resolves once no request handler is running. A handler outlives its connection when the
   * client hangs up mid-request, so a shutdown waits for this, not only for the connections, before
   * it closes the database under them.
   */
  settled(): Promise<void>;
};

export function createRosterServer({
  db,
  config,
  logger,
  secretKey,
  lifecycle,
}: RosterServerOptions): RosterServer {
  const metrics = createMetrics();
  const scim = createScimApp({ db, config, logger, lifecycle, metrics, secretKey }).callback();
  const portal = createPortalApp({ db, config, logger, metrics, secretKey }).callback();
  // Request headers are bounded (431 beyond 16 KiB, Node's default made explicit): a bearer token
  // or an OAuth client assertion is a few KiB at most.
  const running = new Set<Promise<unknown>>();
  const server = createServer({ maxHeaderSize: 16 * 1024 }, (req, res) => {
    const handled = Promise.resolve(PORTAL_PATHS.test(req.url ?? '') ? portal(req, res) : scim(req, res));
    running.add(handled);
    void handled.finally(() => running.delete(handled));
  });
  return Object.assign(server, {
    async settled() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  });
}
