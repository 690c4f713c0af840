import { Client } from 'pg';
import { expect, it } from 'vitest';
import type { TestProject } from 'vitest/node';
import setup from './vitest-global-setup.js';

it('provides the URL of a fresh database and tears the server down', async () => {
  const provided: Record<string, unknown> = {};
  const project = { provide: (key: string, value: unknown) => (provided[key] = value) };

  const teardown = await setup(project as unknown as TestProject);
  const url = provided.databaseUrl;
  expect(url).toEqual(expect.stringMatching(/\/roster_test_[0-9a-f]{12}$/));

  const client = new Client({ connectionString: String(url) });
  await client.connect();
  const { rows } = await client.query('select current_database() as db');
  await client.end();
  expect(`/${rows[0].db}`).toBe(new URL(String(url)).pathname);

  await teardown();
}, 120_000);
