// Better Auth's SCIM plugin as the benchmark's peer: its own small server, as its documentation
// sets it up (betterAuth with a pg Pool, the plugin with one code-defined connection and bearer
// credential, Better Auth's Node handler). Copied into the scratch folder where the peer's
// packages are installed (bench/src/peers/better-auth.ts) and run from there.
//   node server.mjs migrate   creates Better Auth's tables in DATABASE_URL, then exits
//   node server.mjs           serves on 127.0.0.1:PORT; prints "listening" when ready
import { createServer } from 'node:http';
import { scim } from '@better-auth/scim';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { toNodeHandler } from 'better-auth/node';
import pg from 'pg';

const { DATABASE_URL, PORT, SCIM_TOKEN, AUTH_SECRET } = process.env;
const auth = betterAuth({
  // The same pool size as Roster's (packages/db/src/connect.ts).
  database: new pg.Pool({ connectionString: DATABASE_URL, max: 20 }),
  baseURL: `http://127.0.0.1:${PORT}`,
  secret: AUTH_SECRET,
  // The benchmark measures throughput, not the limits that protect it (as for Roster).
  rateLimit: { enabled: false },
  telemetry: { enabled: false },
  logger: { level: 'error' },
  plugins: [
    scim({
      connections: [{ id: 'bench', credentials: [{ type: 'bearer', id: 'bench', token: SCIM_TOKEN }] }],
    }),
  ],
});

if (process.argv[2] === 'migrate') {
  const { runMigrations } = await getMigrations(auth.options);
  await runMigrations();
  process.exit(0);
}
createServer(toNodeHandler(auth)).listen(Number(PORT), '127.0.0.1', () => console.log('listening'));
