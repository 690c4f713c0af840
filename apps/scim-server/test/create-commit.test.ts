import type { AddressInfo } from 'node:net';
import type { Database } from '@roster/db';
import type { Kysely } from 'kysely';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createScimApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { type Org, send } from './harness.js';
import {
  configure,
  createUsers,
  expectScimError,
  GROUP_SCHEMA,
  portalGroup,
  portalMember,
  rand,
  USER_SCHEMA,
  upn,
  useHarness,
} from './helpers.js';

/**
 * The harness's database, made to fail every query once a transaction commits while `armed`, as
 * a database that went away fails them ("Connection terminated unexpectedly": a 503).
 */
function goneAfterCommit(db: Kysely<Database>) {
  const state = { armed: false, gone: false };
  const failing = db.withPlugin({
    transformQuery: ({ node }) => {
      if (state.gone) throw new Error('Connection terminated unexpectedly');
      return node;
    },
    transformResult: async ({ result }) => result,
  });
  const wrapped = new Proxy(failing, {
    get(target, key) {
      if (key === 'transaction') {
        return () => {
          const builder = target.transaction();
          const execute = builder.execute.bind(builder);
          builder.execute = async (callback) => {
            const result = await execute(callback);
            if (state.armed) state.gone = true;
            return result;
          };
          return builder;
        };
      }
      // Kysely's methods use private fields: call them on the instance itself.
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db: wrapped, state };
}

describe('a committed create (postgres)', () => {
  const harness = useHarness('postgres');
  const db = () => harness().db;
  let state: { armed: boolean; gone: boolean };
  let origin: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const gone = goneAfterCommit(db());
    state = gone.state;
    const app = createScimApp({
      db: gone.db,
      // No rate limiter: its counters live in the database too.
      config: loadConfig({ SCIM_RATE_LIMIT_PER_CREDENTIAL: '0', SCIM_RATE_LIMIT_PER_ORGANIZATION: '0' }),
      logger: pino({ level: 'silent' }),
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  });
  afterAll(async () => close?.());
  afterEach(() => {
    state.armed = false;
    state.gone = false;
  });

  const request = (org: Org, method: string, path: string, body?: unknown) =>
    send(`${origin}/scim/v2/${org.slug}${path}`, method, org.token, body);

  /** Sends the request with the database failing from the first commit on. */
  async function whileGoneAfterCommit(org: Org, method: string, path: string, body: unknown) {
    state.armed = true;
    const res = await request(org, method, path, body);
    // The create committed, and the database failed from then on: a read would have been refused,
    // as this one is.
    expect(state.gone).toBe(true);
    expectScimError(await request(org, 'GET', path), 503);
    return res;
  }

  const groupBody = (displayName: string, members: string[]) => ({
    schemas: [GROUP_SCHEMA],
    displayName,
    members: members.map((value) => ({ value })),
  });

  const valuesOf = (list: { value: string }[] | undefined) => (list ?? []).map((m) => m.value).sort();

  it('POST /Groups answers 201 with the members it stored', async () => {
    const org = await harness().newOrg();
    const ids = await createUsers(org, 2);
    const res = await whileGoneAfterCommit(org, 'POST', '/Groups', groupBody(`Gone ${rand()}`, ids));
    expect(res.status, res.text).toBe(201);
    expect(valuesOf(res.body.members)).toEqual([...ids].sort());
  });

  it('POST /Groups that adopts a portal group answers 201 with the members the IdP gave it', async () => {
    const org = await harness().newOrg();
    const [kept, dropped, added] = (await createUsers(org, 3)) as [string, string, string];
    const displayName = `Portal ${rand()}`;
    const id = await portalGroup(db(), org, displayName, [kept, dropped]);
    const res = await whileGoneAfterCommit(org, 'POST', '/Groups', groupBody(displayName, [kept, added]));
    expect(res.status, res.text).toBe(201);
    expect(res.body.id).toBe(id);
    expect(valuesOf(res.body.members)).toEqual([kept, added].sort());
  });

  it('POST /Users that adopts a portal member answers 201 with its groups', async () => {
    const org = await harness().newOrg();
    await configure(db(), org, { provisionExistingUsers: true, syncGroups: true });
    const userName = upn('portal');
    const id = await portalMember(db(), org, userName);
    const groupId = await portalGroup(db(), org, `Team ${rand()}`, [id]);
    const res = await whileGoneAfterCommit(org, 'POST', '/Users', { schemas: [USER_SCHEMA], userName });
    expect(res.status, res.text).toBe(201);
    expect(res.body.id).toBe(id);
    expect(res.body.groups).toEqual([
      expect.objectContaining({ value: groupId, $ref: `${origin}/scim/v2/${org.slug}/Groups/${groupId}` }),
    ]);
  });

  it('a malformed `attributes` on a POST is refused before anything is written', async () => {
    const org = await harness().newOrg();
    const displayName = `Never ${rand()}`;
    const res = await request(org, 'POST', `/Groups?attributes=${encodeURIComponent('members[value eq')}`, {
      schemas: [GROUP_SCHEMA],
      displayName,
    });
    expectScimError(res, 400);
    const stored = await db()
      .selectFrom('groups')
      .select('id')
      .where('org_id', '=', org.id)
      .where('display_name', '=', displayName)
      .execute();
    expect(stored).toEqual([]);
  });
});
