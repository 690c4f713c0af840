import { loadConfig } from '@roster/scim-server/bootstrap';
import { expect, it } from 'vitest';
import { checkProductionSettings } from '../src/production-settings.js';

const POSTGRES = { DATABASE_URL: 'postgres://roster@db.internal/roster' };
const KEY = Buffer.alloc(32, 3).toString('base64');
const check = (env: NodeJS.ProcessEnv) => checkProductionSettings(loadConfig(env), env);

it('on PostgreSQL (production by default), refuses without PUBLIC_URL and ROSTER_SECRET_KEY, naming each', () => {
  const problems = check(POSTGRES);
  expect(problems).toHaveLength(2);
  expect(problems[0]).toMatch(/^PUBLIC_URL is not set: set it to/);
  expect(problems[1]).toMatch(/^ROSTER_SECRET_KEY is not set: set it to 32 random bytes/);
  expect(check({ ...POSTGRES, ROSTER_SECRET_KEY: KEY })).toEqual([problems[0]]);
  expect(check({ ...POSTGRES, PUBLIC_URL: 'https://roster.example.com' })).toEqual([problems[1]]);
  expect(check({ ...POSTGRES, PUBLIC_URL: 'https://roster.example.com', ROSTER_SECRET_KEY: KEY })).toEqual(
    [],
  );
  // ROSTER_ENV=production on the embedded database asks the same.
  expect(check({ ROSTER_ENV: 'production' })).toHaveLength(2);
});

it('asks nothing in development: the embedded database, or ROSTER_ENV=development on PostgreSQL', () => {
  expect(check({})).toEqual([]);
  expect(check({ ...POSTGRES, ROSTER_ENV: 'development' })).toEqual([]);
});
