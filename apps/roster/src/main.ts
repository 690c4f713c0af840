/**
 * `npm start`: Roster on the embedded database (or `DATABASE_URL`). The SCIM service and the
 * portal API are separate Koa apps; this process serves both on one port (server.ts), so one
 * command starts everything. For the quick start (the embedded database, or ROSTER_DEMO=true) it
 * sets up a demo organization and prints how to reach it.
 */
import { DATA_DIR_LOCK_STALE_MS, DataDirLockedError, openDatabase } from '@roster/db';
import { createSetupLink } from '@roster/directory/setup-links';
import { createLogger } from '@roster/observability';
import { type Config, loadConfig } from '@roster/scim-server/bootstrap';
import { ensureDemoOrganization } from './demo.js';
import { setupLinkUrl } from './onboarding.js';
import { checkProductionSettings } from './production-settings.js';
import { loadSecretKey, type SecretKeySource } from './secret-key.js';
import { createRosterServer } from './server.js';

/** Stops before anything starts, with sentences that say what to set (on stderr, for the operator). */
function refuseToStart(problems: string[]): never {
  process.stderr.write(`Roster did not start:\n${problems.map((problem) => `- ${problem}\n`).join('')}`);
  process.exit(1);
}

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  refuseToStart([(error as Error).message]);
}
// Credentials are redacted from every line, whatever logs them (@roster/observability's createLogger).
const logger = createLogger(config.logLevel);

const problems = checkProductionSettings(config, process.env);
if (problems.length > 0) refuseToStart(problems);
let secret: SecretKeySource;
try {
  secret = loadSecretKey(process.env, config.dataDir);
} catch (error) {
  refuseToStart([(error as Error).message]);
}
if (secret.origin !== 'environment' && config.databaseUrl) {
  logger.warn(
    'ROSTER_SECRET_KEY is not set (ROSTER_ENV=development): using a key kept beside the data, which other processes do not have.',
  );
}

// Bounds on waiting for PostgreSQL, so that no request hangs on a database that is down, frozen
// or cut off: it is answered 503 with Retry-After instead (docs/reliability.md).
const database = await openDatabase({
  url: config.databaseUrl,
  dataDir: config.dataDir,
  queryTimeoutMs: config.databaseQueryTimeoutMs,
  connectTimeoutMs: config.databaseConnectTimeoutMs,
  // The embedded database's folder is this process's alone while it runs (the CLI is refused).
  // A lock left by a killed server goes stale: waiting past that lets a restart take it over.
  lock: {
    waitMs: DATA_DIR_LOCK_STALE_MS + 5_000,
    onLost: (error) => {
      logger.fatal({ err: error }, 'another process took the embedded database folder over; stopping');
      process.exit(1);
    },
  },
}).catch((error: unknown) => {
  if (!(error instanceof DataDirLockedError)) throw error;
  logger.fatal(error.message);
  process.exit(1);
});
const demo = config.demo ? await ensureDemoOrganization(database.db) : undefined;
if (demo && 'skipped' in demo) logger.warn(`Demo skipped: ${demo.skipped}`);
// The console's one-time sign-in link for the demo manager: a new one each start (it replaces the last).
const demoLink =
  demo && !('skipped' in demo)
    ? await createSetupLink(database.db, {
        orgId: demo.org.id,
        memberId: demo.managerId,
        lifetimeSeconds: config.setupLinkTtlSeconds,
      })
    : undefined;
const server = createRosterServer({
  db: database.db,
  config,
  logger,
  secretKey: secret.key,
  listen: database.listen,
});

server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ port, database: database.kind }, 'Roster listening');
  if (demo && !('skipped' in demo)) {
    // The quick start's contract: these lines, on stdout, each on its own line.
    const origin = `http://localhost:${port}`;
    process.stdout.write(
      [
        `SCIM base URL: ${origin}/scim/v2/${demo.org.slug}`,
        `SCIM token: ${demo.scimToken}`,
        `Portal API: ${origin}/api/v1/orgs/${demo.org.slug} (OpenAPI: ${origin}/api/v1/openapi.json)`,
        `Portal API token: ${demo.portalToken}`,
        ...(demoLink ? [`Console: ${setupLinkUrl(origin, demo.org.slug, demoLink.token)}`] : []),
        '',
      ].join('\n'),
    );
  }
});

let stopping = false;
/**
 * Stop accepting connections, finish the requests under way (server.drain()), close the
 * database, then exit 0; 1 if that takes more than 15 s.
 */
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal, inFlight: server.inFlight() }, 'shutting down: draining requests');
  setTimeout(() => {
    logger.error({ inFlight: server.inFlight() }, 'requests still under way after 15 s; exiting');
    process.exit(1);
  }, 15_000).unref();
  await server.drain();
  try {
    await database.close();
  } catch (error) {
    logger.warn({ err: error }, 'closing the database connections failed');
  }
  logger.info('drained; exiting');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
