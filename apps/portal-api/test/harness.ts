/**
 * The real portal app on a free port against the run's PostgreSQL, with helpers that create
 * organizations, members and personal keys, so tests speak only HTTP.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type DatabaseHandle, openDatabase, type Role } from '@roster/db';
import { createPortalKey } from '@roster/directory/api-keys';
import { insertGroup } from '@roster/directory/groups';
import { getIdentityConfig, saveIdentityConfig } from '@roster/directory/identity';
import { insertMember } from '@roster/directory/members';
import { createOrganization, updateOrganization } from '@roster/directory/organizations';
import type { RateLimiter } from '@roster/rate-limit';
import type {} from '@roster/testkit/vitest-global-setup';
import { type Logger, pino } from 'pino';
import { afterAll, beforeAll, inject } from 'vitest';
import { createPortalApp } from '../src/app.js';

export interface Response {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
  body: any;
}

export interface Member {
  id: string;
  token: string;
  /** Calls /api/v1{path} as this member. */
  call(method: string, path: string, body?: unknown): Promise<Response>;
}

export interface TestOrg {
  id: string;
  slug: string;
  manager: Member;
  addMember(role: Role, options?: { active?: boolean }): Promise<Member>;
  /** Sets the plan as the operator does (the portal refuses to). */
  setPlan(plan: 'free' | 'team' | 'enterprise'): Promise<void>;
}

export interface PortalHarness {
  origin: string;
  handle: DatabaseHandle;
  newOrg(options?: { plan?: 'free' | 'team' | 'enterprise' }): Promise<TestOrg>;
  request(method: string, path: string, token?: string, body?: unknown): Promise<Response>;
}

export async function send(url: string, method: string, token?: string, body?: unknown): Promise<Response> {
  const response = await fetch(url, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/**
 * Starts the app once per test file; returns an accessor for the tests. The app has no rate
 * limits unless `rateLimiter` gives it one.
 */
export function usePortal(
  options: {
    rateLimiter?: (db: DatabaseHandle['db']) => RateLimiter;
    /** Limits /oauth/{org}/token and /authorize (default: none). */
    oauthRateLimiter?: (db: DatabaseHandle['db']) => RateLimiter;
    /** Limits /sso/* (default: none). */
    signInRateLimiter?: (db: DatabaseHandle['db']) => RateLimiter;
    /** The app's database, from the harness's (a plugin that observes its queries, say). */
    appDb?: (db: DatabaseHandle['db']) => DatabaseHandle['db'];
    /** `config.development` (ROSTER_ENV=development); default false, the production rules. */
    development?: boolean;
    logger?: Logger;
  } = {},
): () => PortalHarness {
  let harness: PortalHarness | undefined;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const handle = await openDatabase({ url: inject('databaseUrl') });
    const app = createPortalApp({
      db: options.appDb ? options.appDb(handle.db) : handle.db,
      logger: options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      config: { maxBodyBytes: 1024 * 1024, trustProxy: false, development: options.development ?? false },
      ...(options.rateLimiter ? { rateLimiter: options.rateLimiter(handle.db) } : {}),
      ...(options.oauthRateLimiter ? { oauthRateLimiter: options.oauthRateLimiter(handle.db) } : {}),
      ...(options.signInRateLimiter ? { signInRateLimiter: options.signInRateLimiter(handle.db) } : {}),
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const request = (method: string, path: string, token?: string, body?: unknown) =>
      send(`${origin}/api/v1${path}`, method, token, body);

    async function addMember(orgId: string, role: Role, active = true): Promise<Member> {
      const id = randomUUID();
      const userName = `${role}.${id.slice(0, 8)}@example.com`;
      await handle.db.transaction().execute((trx) =>
        insertMember(trx, {
          orgId,
          id,
          data: { userName, emails: [{ value: userName, type: 'work', primary: true }], active },
          role,
          managedBy: 'portal',
        }),
      );
      const token = await createPortalKey(handle.db, orgId, id, 'test');
      return { id, token, call: (method, path, body) => request(method, path, token, body) };
    }

    harness = {
      origin,
      handle,
      request,
      async newOrg(options = {}) {
        const org = await createOrganization(handle.db, {
          slug: `p-${randomUUID().slice(0, 12)}`,
          plan: options.plan,
        });
        return {
          id: org.id,
          slug: org.slug,
          manager: await addMember(org.id, 'manager'),
          addMember: (role, opts) => addMember(org.id, role, opts?.active ?? true),
          async setPlan(plan) {
            await updateOrganization(handle.db, org.id, { plan });
          },
        };
      },
    };
    close = async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await handle.close();
    };
  });
  afterAll(async () => close?.());
  return () => {
    if (!harness) throw new Error('portal harness not started');
    return harness;
  };
}

/** A member provisioned by the identity provider (managed_by scim), written as the SCIM service does. */
export async function insertScimMember(
  handle: DatabaseHandle,
  orgId: string,
  userName = `scim.${randomUUID().slice(0, 8)}@example.com`,
): Promise<string> {
  const id = randomUUID();
  await handle.db.transaction().execute((trx) =>
    insertMember(trx, {
      orgId,
      id,
      data: { userName, emails: [{ value: userName, type: 'work', primary: true }], active: true },
      managedBy: 'scim',
    }),
  );
  return id;
}

/** A group provisioned by the identity provider (managed_by scim). */
export async function insertScimGroup(
  handle: DatabaseHandle,
  orgId: string,
  displayName: string,
): Promise<string> {
  const id = randomUUID();
  await handle.db
    .transaction()
    .execute((trx) => insertGroup(trx, { orgId, id, data: { displayName }, role: null, managedBy: 'scim' }));
  return id;
}

/** Sets the provisioning switches directly (the portal's preconditions are not under test here). */
export async function setProvisioning(
  handle: DatabaseHandle,
  orgId: string,
  switches: { scimEnabled: boolean; syncGroups?: boolean },
): Promise<void> {
  const config = await getIdentityConfig(handle.db, orgId);
  await saveIdentityConfig(handle.db, orgId, {
    ...config,
    provisioningMode: 'identity_provider',
    scimEnabled: switches.scimEnabled,
    syncGroups: switches.syncGroups ?? false,
  });
}
