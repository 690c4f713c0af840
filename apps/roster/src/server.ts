/**
 * The SCIM service and the portal app behind one HTTP server: the portal app owns /api/, sign-in
 * (/sso/) and the OAuth authorization servers (/oauth/, /.well-known/oauth-authorization-server/); everything else
 * (SCIM, health, metrics) is the SCIM app's; /console/ is the console's build (console.ts). They share
 * the metrics and the server secret.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import { ActivityWriter } from '@roster/activity';
import type { Database, DatabaseHandle, StopListening } from '@roster/db';
import { CREDENTIAL_CHANNEL, CredentialCache } from '@roster/directory/credential-cache';
import { startEventRetention } from '@roster/events';
import { createMetrics, type Metrics } from '@roster/observability';
import { createPortalApp } from '@roster/portal-api/app';
import { type Config, createScimApp } from '@roster/scim-server/bootstrap';
import { WebhookDispatcher } from '@roster/webhooks';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { CONSOLE_PATHS, createConsoleApp } from './console.js';

const PORTAL_PATHS = /^\/(?:api|oauth|sso|\.well-known\/oauth-authorization-server)\//;

export interface RosterServerOptions {
  db: Kysely<Database>;
  config: Config;
  logger: Logger;
  /** The 32-byte server secret: seals SSO secrets, signs OAuth access tokens. */
  secretKey: Buffer;
  /** Slow-client bounds (tests shorten them). */
  timeouts?: ClientTimeouts;
  /**
   * The database's LISTEN (DatabaseHandle.listen): with it, credentials are cached in this process
   * and dropped on the notifications of every process's changes (docs/security.md#the-credential-cache);
   * without it, read on every request.
   */
  listen?: DatabaseHandle['listen'] | undefined;
  /** The console's build output (default: apps/console/dist of this checkout). */
  consoleDir?: string;
}

export interface ClientTimeouts {
  /** The request's headers must arrive within this (408 and the connection closed otherwise). */
  headersMs: number;
  /** The whole request, body included, must arrive within this (likewise 408). */
  requestMs: number;
}

const CLIENT_TIMEOUTS: ClientTimeouts = { headersMs: 10_000, requestMs: 30_000 };

/** The HTTP server, with the requests it has under way and a way to stop it without cutting them off. */
export type RosterServer = Server & {
  /** How many request handlers are running. */
  inFlight(): number;
  /**
   * Stops accepting connections, fails readiness, and resolves once every connection has ended
   * and no request handler is running. server.close() waits for every connection, and an identity
   * provider's keep-alive connection outlives its request (keepAliveTimeout 65 s): so responses
   * sent from now on say `Connection: close`, and connections are closed as they become idle
   * (found by test/faults: without this, every drain with a keep-alive client hit the 15 s limit).
   * A handler outlives its connection when the client hangs up mid-request, so it is waited for
   * too. Then the provisioning activity still queued is written, and webhook delivery stops:
   * requests to receivers under way finish and are recorded, claimed deliveries not yet sent are
   * released for another process. The caller closes the database after this.
   */
  drain(): Promise<void>;
};

export function createRosterServer({
  db,
  config,
  logger,
  secretKey,
  timeouts = CLIENT_TIMEOUTS,
  listen,
  consoleDir,
}: RosterServerOptions): RosterServer {
  const metrics = createMetrics();
  const { credentialCache, stopListening } = listen
    ? cacheCredentials(listen, metrics, logger)
    : { credentialCache: undefined, stopListening: async () => {} };
  const lifecycle = { draining: false };
  // Provisioning activity is queued by requests and written after them: drain() writes what is left.
  const activityWriter = new ActivityWriter(db, {
    enabled: config.activityRecording,
    retentionDays: config.activityRetentionDays,
    onError: (error) => logger.warn({ err: error }, 'could not record provisioning activity'),
  });
  // Every process delivers webhooks: leases keep two processes from sending one delivery.
  const webhooks = config.webhooks.delivery
    ? new WebhookDispatcher({
        db,
        secretKey,
        development: config.development,
        logger,
        listen,
        registry: metrics.registry,
        pollIntervalMs: config.webhooks.pollMs,
        leaseMs: config.webhooks.leaseSeconds * 1000,
        retry: { baseMs: config.webhooks.retryBaseMs, windowMs: config.webhooks.retryWindowSeconds * 1000 },
      })
    : undefined;
  // Provisioning events older than the retention are deleted in batches, hourly, by every process.
  const eventRetention = startEventRetention(db, config.eventRetentionDays, {
    onError: (error) => logger.warn({ err: error }, 'could not delete provisioning events past retention'),
  });
  const scim = createScimApp({
    db,
    config,
    logger,
    lifecycle,
    metrics,
    secretKey,
    activityWriter,
    credentialCache,
  }).callback();
  const portal = createPortalApp({
    db,
    config,
    logger,
    metrics,
    secretKey,
    activity: activityWriter,
  }).callback();
  const consoleApp = createConsoleApp({
    logger,
    metrics,
    ...(consoleDir ? { root: consoleDir } : {}),
  }).callback();
  // Each running handler, by its response.
  const running = new Map<ServerResponse, Promise<unknown>>();
  // Slow clients are bounded: headers and the whole request must arrive in time, checked every
  // second (Node checks every 30 s by default, which would let a slow client hold a connection
  // far past the limit). Request headers are bounded too (431 beyond 16 KiB, Node's default made
  // explicit): a bearer token or an OAuth client assertion is a few KiB at most. Idle keep-alive
  // connections last 65 s, longer than the common 60 s of load balancers, so the balancer closes first.
  const options = {
    maxHeaderSize: 16 * 1024,
    headersTimeout: timeouts.headersMs,
    requestTimeout: timeouts.requestMs,
    connectionsCheckingInterval: 1_000,
    keepAliveTimeout: 65_000,
  };
  const server = createServer(options, (req, res) => {
    if (lifecycle.draining) res.setHeader('Connection', 'close');
    const url = req.url ?? '';
    const app = PORTAL_PATHS.test(url) ? portal : CONSOLE_PATHS.test(url) ? consoleApp : scim;
    const handled = Promise.resolve(app(req, res));
    running.set(res, handled);
    void handled.finally(() => running.delete(res));
  });
  server.once('listening', () => webhooks?.start());
  // A plain close() (tests) stops delivery too; drain() waits for it.
  server.once('close', () => void webhooks?.close());
  return Object.assign(server, {
    inFlight: () => running.size,
    async drain() {
      lifecycle.draining = true;
      for (const res of running.keys()) if (!res.headersSent) res.setHeader('Connection', 'close');
      // close() closes the connections idle now; those of the requests under way become idle later.
      const sweep = setInterval(() => server.closeIdleConnections(), 100);
      await new Promise((resolve) => server.close(resolve));
      clearInterval(sweep);
      while (running.size > 0) await Promise.allSettled(running.values());
      eventRetention.stop();
      await activityWriter.close();
      await stopListening();
      await webhooks?.close();
    },
  });
}

/** The credential cache, used from the moment its notification connection listens. */
function cacheCredentials(
  listen: DatabaseHandle['listen'],
  metrics: Metrics,
  logger: Logger,
): { credentialCache: CredentialCache; stopListening: StopListening } {
  const credentialCache = new CredentialCache({
    onEvent: (event) => metrics.credentialCache.inc({ event }),
  });
  const stopListening = listen(CREDENTIAL_CHANNEL, {
    onListening: () => {
      credentialCache.resume();
      logger.info('credential cache: listening for invalidations');
    },
    onNotification: (orgId) => credentialCache.invalidate(orgId),
    onLost: (error) => {
      credentialCache.reset();
      logger.warn(
        { err: error },
        'credential cache: notification connection lost; emptied, reading credentials from the database until it listens again',
      );
    },
  });
  return { credentialCache, stopListening };
}
