/**
 * Microsoft's reference collection against a fresh organization of a running Roster on real
 * PostgreSQL: all 103 assertions must pass (issue #2). Its oddities are listed in docs/scim-features.md.
 */
import type { AddressInfo } from 'node:net';
import { openDatabase } from '@roster/db';
import { createScimKey } from '@roster/directory/api-keys';
import { enableScimProvisioning } from '@roster/directory/identity';
import { createOrganization } from '@roster/directory/organizations';
import { createScimApp, loadConfig } from '@roster/scim-server/bootstrap';
import type {} from '@roster/testkit/vitest-global-setup';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { runMicrosoftReference } from '../src/peers/microsoft-reference.js';

let close: () => Promise<void>;
let baseUrl: string;
let token: string;

beforeAll(async () => {
  const config = loadConfig({ DATABASE_URL: inject('databaseUrl') });
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  const app = createScimApp({ db: database.db, config, logger: pino({ level: 'silent' }) });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const org = await createOrganization(database.db, { slug: `msref-${Date.now().toString(36)}` });
  await enableScimProvisioning(database.db, org.id);
  token = await createScimKey(database.db, org.id, 'Microsoft reference collection');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2/${org.slug}`;
  close = async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await database.close();
  };
});

afterAll(async () => close?.());

it("passes every assertion of Microsoft's SCIM reference collection", async () => {
  const result = await runMicrosoftReference({ baseUrl, token });
  expect(result.failures).toEqual([]);
  expect(result.requests).toBe(76);
  expect(result.assertions).toBe(103);
  expect(result.failed).toBe(0);
});
