// Databases on a throwaway (or DATABASE_URL's) PostgreSQL server: created, dropped, named in a URL.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** Creates a fresh database on the server and returns its URL (for one test run / one test file). */
export async function createDatabase(serverUrl: string, name?: string): Promise<string> {
  const database = name ?? `roster_test_${randomBytes(6).toString('hex')}`;
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${quoteIdent(database)}`));
  return databaseUrl(serverUrl, database);
}

/** Drops a database (closing its connections first on PostgreSQL 13+). Missing databases are ignored. */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withClient(serverUrl, async (client) => {
    const { rows } = await client.query<{ version: string }>(
      `SELECT current_setting('server_version_num') AS version`,
    );
    const force = Number(rows[0]?.version) >= 130000 ? ' WITH (FORCE)' : '';
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}${force}`);
  });
}

/** The URL of another database on the same server (same credentials and query parameters). */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function quoteIdent(name: string): string {
  if (name.length === 0 || name.length > 63 || name.includes('\0')) {
    throw new Error(`Invalid database name ${JSON.stringify(name)}`);
  }
  return `"${name.replaceAll('"', '""')}"`;
}
