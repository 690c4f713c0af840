/**
 * Starts the real SCIM app on a free port against a real database (the run's PostgreSQL, or an
 * in-memory PGlite) and creates organizations with keys, so tests speak only HTTP.
 */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ActivityWriter } from '@roster/activity';
import { type Database, openDatabase } from '@roster/db';
import { createScimKey } from '@roster/directory/api-keys';
import { enableScimProvisioning } from '@roster/directory/identity';
import { createOrganization } from '@roster/directory/organizations';
import type { RateLimiter } from '@roster/rate-limit';
import type {} from '@roster/testkit/vitest-global-setup';
import type { Kysely } from 'kysely';
import { pino } from 'pino';
import { inject } from 'vitest';
import { createScimApp } from '../src/app.js';
import { type Config, loadConfig } from '../src/config.js';

export type DatabaseKind = 'postgres' | 'pglite';

export interface Org {
  id: string;
  slug: string;
  token: string;
  /** The organization's SCIM base URL. */
  base: string;
  /** fetch against the base URL with the organization's key; bodies are sent as application/scim+json. */
  request(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ScimResponse>;
}

export interface ScimResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary SCIM JSON
  body: any;
  text: string;
}

export interface Harness {
  origin: string;
  newOrg(): Promise<Org>;
  close(): Promise<void>;
  /** The database, for tests that set state up or inspect it directly. */
  db: Kysely<Database>;
  /** The provisioning activity writer (tests flush it before reading activity). */
  activity: ActivityWriter;
}

let counter = 0;

export async function send(
  url: string,
  method: string,
  token: string | undefined,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ScimResponse> {
  const init: RequestInit = {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'Content-Type': 'application/scim+json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  };
  const response = await fetch(url, init);
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

export interface HarnessOptions {
  /** Settings (environment variables) over the test defaults. */
  env?: Record<string, string>;
  /** The app's rate limiter, made on the harness's database (tests give it a fixed clock). */
  rateLimiter?: (db: Kysely<Database>, config: Config) => RateLimiter;
  /** The database as the app sees it (e.g. with a plugin that counts its queries); tests keep `db`. */
  appDb?: (db: Kysely<Database>) => Kysely<Database>;
}

/**
 * A request sent exactly as written: node:http puts the path on the wire as given (fetch would
 * resolve `..` and `%2e%2e` and re-encode other bytes), and the body as bytes (so it may be
 * invalid UTF-8).
 */
export function rawRequest(
  origin: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Uint8Array,
): Promise<ScimResponse> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const length = body ? { 'Content-Length': String(body.byteLength) } : {};
    const req = request({ host: hostname, port, method, path, headers: { ...length, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (typeof value === 'string') responseHeaders.set(name, value);
        }
        let parsed: unknown;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: responseHeaders, body: parsed, text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function startHarness(
  kind: DatabaseKind = 'postgres',
  { env = {}, rateLimiter, appDb }: HarnessOptions = {},
): Promise<Harness> {
  const config = loadConfig({
    ...(kind === 'postgres' ? { DATABASE_URL: inject('databaseUrl') } : { ROSTER_DATA_DIR: 'memory://' }),
    // Tests send far faster than an IdP does; rate-limit.test.ts turns the limits on.
    SCIM_RATE_LIMIT_PER_CREDENTIAL: '0',
    SCIM_RATE_LIMIT_PER_ORGANIZATION: '0',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const activity = new ActivityWriter(database.db, { enabled: config.activityRecording });
  const app = createScimApp({
    db: appDb ? appDb(database.db) : database.db,
    config,
    logger,
    activityWriter: activity,
    ...(rateLimiter ? { rateLimiter: rateLimiter(database.db, config) } : {}),
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    db: database.db,
    activity,
    async newOrg() {
      counter += 1;
      const slug = `t${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
      const org = await createOrganization(database.db, { slug });
      await enableScimProvisioning(database.db, org.id);
      const token = await createScimKey(database.db, org.id, 'test key');
      const base = `${origin}/scim/v2/${slug}`;
      return {
        id: org.id,
        slug,
        token,
        base,
        request: (method, path, body, headers) => send(`${base}${path}`, method, token, body, headers),
      };
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await activity.close();
      await database.close();
    },
  };
}
