/**
 * `npm start`: the SCIM service on the embedded database (or `DATABASE_URL`), with a demo
 * organization whose SCIM URL and a fresh key are printed for the quick start.
 */
import { pino } from 'pino';
import { createScimApp } from './app.js';
import { openDatabase } from './bootstrap.js';
import { loadConfig } from './config.js';
import { ensureDemoOrganization } from './organizations/organizations.service.js';

const config = loadConfig();
const logger = pino({ level: config.logLevel, redact: ['req.headers.authorization', 'token'] });

const database = await openDatabase(config);
const demo = config.demo ? await ensureDemoOrganization(database.db) : undefined;
const lifecycle = { draining: false };
const app = createScimApp({ db: database.db, config, logger, lifecycle });
const server = app.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ port, database: database.kind }, 'SCIM service listening');
  if (demo) {
    // The quick start's contract: these two lines, on stdout, each on its own line.
    const base = `http://localhost:${port}/scim/v2/${demo.org.slug}`;
    process.stdout.write(`SCIM base URL: ${base}\nSCIM token: ${demo.token}\n`);
  }
});
// Bound slow clients: headers must arrive within 10 s and the whole request (body included) within 30 s.
server.headersTimeout = 10_000;
server.requestTimeout = 30_000;
server.keepAliveTimeout = 65_000;

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  lifecycle.draining = true;
  logger.info({ signal }, 'shutting down: draining requests');
  server.close(async () => {
    await database.close();
    process.exit(0);
  });
  server.closeIdleConnections();
  setTimeout(() => process.exit(1), 15_000).unref();
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
