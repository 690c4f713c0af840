/**
 * Shared vocabulary of the HTTP suites: schema URNs, request builders in the shapes IdPs send,
 * and assertions for SCIM list and error responses. Tests speak only HTTP (see harness.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '@roster/db';
import { getIdentityConfig, type IdentityConfig, saveIdentityConfig } from '@roster/directory/identity';
import { insertMember } from '@roster/directory/members';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, expect } from 'vitest';
import {
  type DatabaseKind,
  type Harness,
  type HarnessOptions,
  type Org,
  type ScimResponse,
  startHarness,
} from './harness.js';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

/** The core suites run against both databases (the issue: "also runs once against PGlite"). */
export const DATABASES: DatabaseKind[] = ['postgres', 'pglite'];

/** Starts a harness for the enclosing `describe` and returns a getter for it. */
export function useHarness(kind: DatabaseKind, options: HarnessOptions = {}): () => Harness {
  let harness: Harness | undefined;
  beforeAll(async () => {
    harness = await startHarness(kind, options);
  });
  afterAll(async () => harness?.close());
  return () => {
    if (!harness) throw new Error('harness not started');
    return harness;
  };
}

/** Changes the organization's identity configuration, as its administrator would; returns it as it was. */
export async function configure(
  db: Kysely<Database>,
  org: Org,
  change: Partial<IdentityConfig>,
): Promise<IdentityConfig> {
  const before = await getIdentityConfig(db, org.id);
  await saveIdentityConfig(db, org.id, { ...before, ...change });
  return before;
}

/** Everything the organization has in the database, so a refusal can be shown to change nothing. */
export async function orgState(db: Kysely<Database>, orgId: string) {
  const [members, emails, groups, memberships, audit, events] = await Promise.all([
    db
      .selectFrom('members')
      .select([
        'id',
        'user_name',
        'external_id',
        'display_name',
        'active',
        'role',
        'managed_by',
        'data',
        'version',
      ])
      .where('org_id', '=', orgId)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('member_emails')
      .selectAll()
      .where('org_id', '=', orgId)
      .orderBy('member_id')
      .orderBy('position')
      .execute(),
    db
      .selectFrom('groups')
      .select(['id', 'display_name', 'external_id', 'role', 'managed_by', 'data', 'version'])
      .where('org_id', '=', orgId)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('group_members')
      .select(['group_id', 'member_id', 'display'])
      .where('org_id', '=', orgId)
      .orderBy('group_id')
      .orderBy('member_id')
      .execute(),
    db
      .selectFrom('audit_events')
      .select(sql<string>`count(*)`.as('n'))
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow(),
    // Provisioning events (packages/events): a refused or failed write appends none.
    db
      .selectFrom('events')
      .select(sql<string>`count(*)`.as('n'))
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow(),
  ]);
  return { members, emails, groups, memberships, auditEvents: Number(audit.n), events: Number(events.n) };
}

/** A short random token for unique names. */
/** A member the admin created in the portal before provisioning; returns its id. */
export async function portalMember(
  db: Kysely<Database>,
  org: Org,
  userName: string,
  role: 'basic' | 'manager' = 'basic',
): Promise<string> {
  const id = randomUUID();
  await db.transaction().execute((trx) =>
    insertMember(trx, {
      orgId: org.id,
      id,
      data: { userName, emails: [{ value: userName, type: 'work', primary: true }], active: true },
      role,
      managedBy: 'portal',
    }),
  );
  return id;
}

/** A group the admin created in the portal, with these members; returns its id. */
export async function portalGroup(
  db: Kysely<Database>,
  org: Org,
  displayName: string,
  members: string[],
  role: 'manager' | null = null,
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('groups')
    .values({
      org_id: org.id,
      id,
      display_name: displayName,
      role,
      managed_by: 'portal',
      external_id: null,
      data: JSON.stringify({ displayName }),
    })
    .execute();
  if (members.length > 0) {
    await db
      .insertInto('group_members')
      .values(members.map((member_id) => ({ org_id: org.id, group_id: id, member_id, display: null })))
      .execute();
  }
  return id;
}

export const rand = () => randomUUID().slice(0, 8);

/** A unique userName in the shape Entra sends (userPrincipalName). */
export const upn = (prefix = 'user') => `${prefix}.${rand()}@contoso.com`;

/**
 * A filter as Entra encodes it on the wire: `+` for spaces, `%22` for quotes
 * (docs/reference/entra.md#query-encoding).
 */
export const plusEncoded = (filter: string) => encodeURIComponent(filter).replace(/%20/g, '+');

/** A filter percent-encoded throughout (`%20` for spaces), as fetch clients and Ping may send it. */
export const pctEncoded = (filter: string) => encodeURIComponent(filter);

export function patchBody(...operations: Record<string, unknown>[]) {
  return { schemas: [PATCH_OP], Operations: operations };
}

/** The POST Entra sends for a new user (docs/reference/entra.md#user-create), with unique identifiers. */
export function entraUserBody(userName: string, options: { enterprise?: boolean } = {}) {
  const nick = userName.split('@')[0] ?? userName;
  const body: Record<string, unknown> = {
    schemas: options.enterprise === false ? [USER_SCHEMA] : [USER_SCHEMA, ENTERPRISE],
    externalId: nick,
    userName,
    active: true,
    displayName: 'Alice Smith',
    title: 'Engineer',
    preferredLanguage: 'en-US',
    emails: [{ primary: true, type: 'work', value: userName }],
    name: { formatted: 'Alice Smith', familyName: 'Smith', givenName: 'Alice' },
    addresses: [
      {
        type: 'work',
        formatted: 'B40',
        streetAddress: '1 Way',
        locality: 'Redmond',
        region: 'WA',
        postalCode: '98052',
        country: 'US',
        primary: false,
      },
    ],
    phoneNumbers: [
      { type: 'work', value: '+1 425 555 0100' },
      { type: 'mobile', value: '+1 425 555 0101' },
    ],
    meta: { resourceType: 'User' },
    roles: [],
  };
  if (options.enterprise !== false) body[ENTERPRISE] = { employeeNumber: '701984', department: 'R&D' };
  return body;
}

/** Creates a user and returns the response body (asserting 201). */
export async function createUser(org: Org, body: Record<string, unknown>) {
  const res = await org.request('POST', '/Users', { schemas: [USER_SCHEMA], ...body });
  expect(res.status, res.text).toBe(201);
  return res.body as Record<string, unknown> & { id: string };
}

/** Creates `n` minimal users in parallel and returns their ids, in creation order. */
export async function createUsers(org: Org, n: number, prefix = 'member'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, n - i) }, (_, j) =>
        createUser(org, { userName: upn(`${prefix}${i + j}`) }).then((u) => u.id),
      ),
    );
    ids.push(...batch);
  }
  return ids;
}

export async function createGroup(org: Org, displayName: string, members?: string[]) {
  const res = await org.request('POST', '/Groups', {
    schemas: [GROUP_SCHEMA],
    displayName,
    ...(members ? { members: members.map((value) => ({ value })) } : {}),
  });
  expect(res.status, res.text).toBe(201);
  return res.body as Record<string, unknown> & { id: string };
}

/** The member ids of a group, sorted, as read back through GET. */
export async function memberIds(org: Org, groupId: string): Promise<string[]> {
  const res = await org.request('GET', `/Groups/${groupId}`);
  expect(res.status, res.text).toBe(200);
  const members = (res.body.members ?? []) as { value: string }[];
  return members.map((m) => m.value).sort();
}

export async function getOk(org: Org, path: string) {
  const res = await org.request('GET', path);
  expect(res.status, res.text).toBe(200);
  // biome-ignore lint/suspicious/noExplicitAny: SCIM JSON
  return res.body as any;
}

/** Asserts a SCIM ListResponse and returns it. */
export function expectList(res: ScimResponse, totalResults?: number) {
  expect(res.status, res.text).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/scim\+json/);
  expect(res.body.schemas).toEqual([LIST_RESPONSE]);
  expect(Array.isArray(res.body.Resources)).toBe(true);
  expect(res.body.itemsPerPage).toBe(res.body.Resources.length);
  if (totalResults !== undefined) expect(res.body.totalResults).toBe(totalResults);
  return res.body as {
    totalResults: number;
    startIndex: number;
    itemsPerPage: number;
    // biome-ignore lint/suspicious/noExplicitAny: SCIM JSON
    Resources: any[];
  };
}

/** Asserts an RFC 7644 §3.12 error: the status, the Error body, and the SCIM media type. */
export function expectScimError(res: ScimResponse, status: number, scimType?: string) {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/scim\+json/);
  expect(res.body?.schemas, res.text).toEqual([ERROR_SCHEMA]);
  expect(res.body.status).toBe(String(status));
  expect(typeof res.body.detail).toBe('string');
  expect(res.body.detail.length).toBeGreaterThan(0);
  if (scimType !== undefined) expect(res.body.scimType).toBe(scimType);
}

/** Every key anywhere in a JSON value (to check that no literal `name.givenName` key or null survives). */
export function allEntries(value: unknown, out: [string, unknown][] = []): [string, unknown][] {
  if (Array.isArray(value)) for (const item of value) allEntries(item, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      out.push([key, inner]);
      allEntries(inner, out);
    }
  }
  return out;
}
