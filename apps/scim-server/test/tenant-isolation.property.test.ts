/**
 * Tenant isolation as a property (issue #7, "Security"): random sequences of SCIM operations on
 * two organizations A and B (create, get, list, filter and search, replace, patch and delete of
 * users and groups; member adds and removes naming ids of either organization), each sent with
 * A's or B's key to A's or B's base URL. A simple model of each organization says what every
 * answer must be, so throughout:
 * - a key on the other organization's base URL gets 401 and changes nothing;
 * - the other organization's ids are 404 (never found, changed or deleted), and a group member
 *   naming one is skipped, as tenant-isolation.test.ts has it;
 * - no response on one organization's URL carries anything of the other's that the request did
 *   not itself send (ids, display names);
 * and afterwards each organization holds exactly what its own successful requests made.
 * PostgreSQL only.
 */
import { randomUUID } from 'node:crypto';
import { hasCitus } from '@roster/db';
import fc from 'fast-check';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { type Org, type ScimResponse, send } from './harness.js';
import {
  expectList,
  expectScimError,
  GROUP_SCHEMA,
  PATCH_OP,
  pctEncoded,
  SEARCH_REQUEST,
  USER_SCHEMA,
  useHarness,
} from './helpers.js';

const RUNS = 12;
const MAX_OPERATIONS = 30;

type Side = 'A' | 'B';

interface ModelUser {
  id: string;
  userName: string;
  displayName: string;
  active: boolean;
}

interface ModelGroup {
  id: string;
  displayName: string;
  members: Set<string>;
}

interface OrgModel {
  users: Map<string, ModelUser>;
  groups: Map<string, ModelGroup>;
}

/**
 * userNames come from one small pool for both organizations (the same userName may exist in
 * each), in two cases (uniqueness within an organization ignores case).
 */
const NAMES = ['alice', 'bob', 'carol', 'dave', 'erin'];
const userNameOf = (n: number) => {
  const base = `${NAMES[n % NAMES.length]}@example.com`;
  return n % 2 === 0 ? base : base.toUpperCase();
};
const groupNameOf = (n: number) => `Team ${NAMES[n % NAMES.length]}`;
const lower = (s: string) => s.toLowerCase();

// --- Operations ----------------------------------------------------------------------------------

const side = fc.constantFrom<Side>('A', 'B');
/** The key is usually the URL's own; one request in five uses the other organization's. */
const routing = fc
  .tuple(
    side,
    fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  )
  .map(([url, own]) => ({ url, token: own ? url : url === 'A' ? ('B' as Side) : ('A' as Side) }));
/** An index into every id either organization ever had (the model resolves it when the step runs). */
const ref = fc.nat({ max: 200 });
const name = fc.nat({ max: 9 });

const operation = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('createUser' as const), at: routing, name, label: fc.nat(99) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('getUser' as const), at: routing, ref }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('listUsers' as const),
      at: routing,
      filter: fc.constantFrom('none', 'userName', 'id', 'present', 'displayName', 'active'),
      ref,
      name,
      search: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('replaceUser' as const),
      at: routing,
      ref,
      name,
      label: fc.nat(99),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('patchUser' as const),
      at: routing,
      ref,
      active: fc.boolean(),
      label: fc.nat(99),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteUser' as const), at: routing, ref }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('createGroup' as const),
      at: routing,
      name,
      members: fc.array(ref, { maxLength: 4 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('getGroup' as const), at: routing, ref }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('listGroups' as const),
      at: routing,
      filter: fc.constantFrom('none', 'displayName', 'members', 'id'),
      ref,
      name,
      search: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('replaceGroup' as const),
      at: routing,
      ref,
      name,
      members: fc.array(ref, { maxLength: 4 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('patchGroup' as const),
      at: routing,
      ref,
      add: fc.array(ref, { maxLength: 3 }),
      remove: fc.array(ref, { maxLength: 2 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteGroup' as const), at: routing, ref }) },
);

type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

/** A few users and groups in each organization first, so that later steps have ids to aim at. */
const ownSide = side.map((s) => ({ url: s, token: s }));
const setUp = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('createUser' as const), at: ownSide, name, label: fc.nat(99) }),
    fc.record({
      kind: fc.constant('createGroup' as const),
      at: ownSide,
      name,
      members: fc.array(ref, { maxLength: 4 }),
    }),
  ),
  { minLength: 4, maxLength: 8 },
);

const sequence = fc
  .tuple(setUp, fc.array(operation, { minLength: 10, maxLength: MAX_OPERATIONS, size: 'max' }))
  .map(([first, then]): Operation[] => [...first, ...then]);

// --- The run -----------------------------------------------------------------------------------

describe('tenant isolation, property (postgres)', () => {
  const harness = useHarness('postgres');

  it("random operations across two organizations never read or change the other's data, through any endpoint", async () => {
    await fc.assert(
      fc.asyncProperty(sequence, async (operations) => {
        const orgs: Record<Side, Org> = { A: await harness().newOrg(), B: await harness().newOrg() };
        const model: Record<Side, OrgModel> = {
          A: { users: new Map(), groups: new Map() },
          B: { users: new Map(), groups: new Map() },
        };
        // Every id each organization ever had (deleted ones stay): what a response on the other's URL must not show.
        const everId: Record<Side, Set<string>> = { A: new Set(), B: new Set() };
        const everText: Record<Side, Set<string>> = { A: new Set(), B: new Set() };
        // Ids in creation order across both organizations, for `ref` to pick from; a never-used UUID too.
        const userIds: string[] = [randomUUID()];
        const groupIds: string[] = [randomUUID()];
        const pickUser = (n: number) => userIds[n % userIds.length] as string;
        const pickGroup = (n: number) => groupIds[n % groupIds.length] as string;
        // Member references may name users of either organization, groups, or nothing at all.
        const pickMember = (n: number) => (n % 5 === 4 ? pickGroup(n) : pickUser(n));
        const log: string[] = [];

        const call = async (at: { url: Side; token: Side }, method: string, path: string, body?: unknown) => {
          const res = await send(`${orgs[at.url].base}${path}`, method, orgs[at.token].token, body);
          const sent = `${path} ${body === undefined ? '' : JSON.stringify(body)}`;
          log.push(
            `${method} ${at.url}${path} with ${at.token}'s key ${body === undefined ? '' : JSON.stringify(body)} → ${res.status}`,
          );
          const context = log.join('\n');
          expect(res.status, `${context}\n${res.text}`).toBeLessThan(500);
          const other: Side = at.url === 'A' ? 'B' : 'A';
          for (const secret of [...everId[other], ...everText[other]]) {
            if (!sent.includes(secret)) expect(res.text, `${context}: leaks ${secret}`).not.toContain(secret);
          }
          return { res, context };
        };

        /** A whole list, through GET with the filter in the query or through POST .search. */
        const list = (
          at: { url: Side; token: Side },
          resource: 'Users' | 'Groups',
          filter: string | undefined,
          search: boolean,
        ) =>
          search
            ? call(at, 'POST', `/${resource}/.search`, {
                schemas: [SEARCH_REQUEST],
                ...(filter ? { filter } : {}),
                count: 1000,
              })
            : call(at, 'GET', `/${resource}?count=1000${filter ? `&filter=${pctEncoded(filter)}` : ''}`);

        /** With the other organization's key: 401 whatever the request, and nothing changes (checked at the end). */
        const refusedKey = (res: ScimResponse, context: string) => {
          expect(res.status, `${context}\n${res.text}`).toBe(401);
          expectScimError(res, 401);
          expect(res.headers.get('www-authenticate'), context).toMatch(/^Bearer/);
        };

        const groupsOfUser = (m: OrgModel, id: string) =>
          [...m.groups.values()]
            .filter((g) => g.members.has(id))
            .map((g) => g.id)
            .sort();
        const expectUser = (body: Record<string, unknown>, m: OrgModel, user: ModelUser, context: string) => {
          expect(body, context).toMatchObject({
            id: user.id,
            userName: user.userName,
            displayName: user.displayName,
            active: user.active,
          });
          const groups = ((body.groups ?? []) as { value: string }[]).map((g) => g.value).sort();
          expect(groups, context).toEqual(groupsOfUser(m, user.id));
        };
        const expectGroup = (body: Record<string, unknown>, group: ModelGroup, context: string) => {
          expect(body, context).toMatchObject({ id: group.id, displayName: group.displayName });
          const members = ((body.members ?? []) as { value: string }[]).map((g) => g.value).sort();
          expect(members, context).toEqual([...group.members].sort());
        };
        const expectIds = (res: ScimResponse, expected: string[], context: string) => {
          const list = expectList(res, expected.length);
          expect(list.Resources.map((r) => r.id as string).sort(), context).toEqual([...expected].sort());
        };
        /** Members a POST, PUT or PATCH names that the URL's organization has: the only ones it may keep. */
        const ownUsers = (m: OrgModel, ids: string[]) => ids.filter((id) => m.users.has(id));

        const run = async (op: Operation) => {
          const { at } = op;
          const m = model[at.url];
          const crossKey = at.url !== at.token;
          switch (op.kind) {
            case 'createUser': {
              const userName = userNameOf(op.name);
              const displayName = `User ${at.url}${op.label} ${randomUUID().slice(0, 4)}`;
              const { res, context } = await call(at, 'POST', '/Users', {
                schemas: [USER_SCHEMA],
                userName,
                displayName,
              });
              if (crossKey) return refusedKey(res, context);
              if ([...m.users.values()].some((u) => lower(u.userName) === lower(userName))) {
                return expectScimError(res, 409, 'uniqueness');
              }
              expect(res.status, `${context}\n${res.text}`).toBe(201);
              const user = { id: res.body.id as string, userName, displayName, active: true };
              m.users.set(user.id, user);
              everId[at.url].add(user.id);
              everText[at.url].add(displayName);
              userIds.push(user.id);
              return expectUser(res.body, m, user, context);
            }
            case 'getUser': {
              const id = pickUser(op.ref);
              const { res, context } = await call(at, 'GET', `/Users/${id}`);
              if (crossKey) return refusedKey(res, context);
              const user = m.users.get(id);
              if (!user) return expectScimError(res, 404);
              expect(res.status, context).toBe(200);
              return expectUser(res.body, m, user, context);
            }
            case 'listUsers': {
              const users = [...m.users.values()];
              const id = pickUser(op.ref);
              const userName = userNameOf(op.name);
              const someone = users[op.ref % Math.max(users.length, 1)];
              const displayName = someone?.displayName ?? 'nobody';
              const [filter, expected] = {
                none: [undefined, users],
                userName: [
                  `userName eq "${userName}"`,
                  users.filter((u) => lower(u.userName) === lower(userName)),
                ],
                id: [`id eq "${id}"`, users.filter((u) => u.id === id)],
                present: ['userName pr', users],
                displayName: [
                  `displayName eq "${displayName}"`,
                  users.filter((u) => u.displayName === displayName),
                ],
                active: ['active eq false', users.filter((u) => !u.active)],
              }[op.filter] as [string | undefined, ModelUser[]];
              const { res, context } = await list(at, 'Users', filter, op.search);
              if (crossKey) return refusedKey(res, context);
              return expectIds(
                res,
                expected.map((u) => u.id),
                context,
              );
            }
            case 'replaceUser': {
              const id = pickUser(op.ref);
              const userName = userNameOf(op.name);
              const displayName = `User ${at.url}${op.label} ${randomUUID().slice(0, 4)}`;
              const body = { schemas: [USER_SCHEMA], userName, displayName };
              const { res, context } = await call(at, 'PUT', `/Users/${id}`, body);
              if (crossKey) return refusedKey(res, context);
              const user = m.users.get(id);
              if (!user) return expectScimError(res, 404);
              if ([...m.users.values()].some((u) => u.id !== id && lower(u.userName) === lower(userName))) {
                return expectScimError(res, 409, 'uniqueness');
              }
              expect(res.status, `${context}\n${res.text}`).toBe(200);
              // A PUT without `active` keeps the member's status (user.service.ts).
              Object.assign(user, { userName, displayName });
              everText[at.url].add(displayName);
              return expectUser(res.body, m, user, context);
            }
            case 'patchUser': {
              const id = pickUser(op.ref);
              const displayName = `User ${at.url}${op.label} ${randomUUID().slice(0, 4)}`;
              const body = {
                schemas: [PATCH_OP],
                Operations: [
                  { op: 'replace', path: 'active', value: op.active },
                  { op: 'replace', path: 'displayName', value: displayName },
                ],
              };
              const { res, context } = await call(at, 'PATCH', `/Users/${id}`, body);
              if (crossKey) return refusedKey(res, context);
              const user = m.users.get(id);
              if (!user) return expectScimError(res, 404);
              expect(res.status, `${context}\n${res.text}`).toBe(204);
              Object.assign(user, { active: op.active, displayName });
              everText[at.url].add(displayName);
              return;
            }
            case 'deleteUser': {
              const id = pickUser(op.ref);
              const { res, context } = await call(at, 'DELETE', `/Users/${id}`);
              if (crossKey) return refusedKey(res, context);
              if (!m.users.has(id)) return expectScimError(res, 404);
              expect(res.status, `${context}\n${res.text}`).toBe(204);
              m.users.delete(id);
              for (const group of m.groups.values()) group.members.delete(id);
              return;
            }
            case 'createGroup': {
              const displayName = groupNameOf(op.name);
              const members = op.members.map(pickMember);
              const body = {
                schemas: [GROUP_SCHEMA],
                displayName,
                members: members.map((value) => ({ value })),
              };
              const { res, context } = await call(at, 'POST', '/Groups', body);
              if (crossKey) return refusedKey(res, context);
              if ([...m.groups.values()].some((g) => lower(g.displayName) === lower(displayName))) {
                return expectScimError(res, 409, 'uniqueness');
              }
              expect(res.status, `${context}\n${res.text}`).toBe(201);
              const group = {
                id: res.body.id as string,
                displayName,
                members: new Set(ownUsers(m, members)),
              };
              m.groups.set(group.id, group);
              everId[at.url].add(group.id);
              groupIds.push(group.id);
              return expectGroup(res.body, group, context);
            }
            case 'getGroup': {
              const id = pickGroup(op.ref);
              const { res, context } = await call(at, 'GET', `/Groups/${id}`);
              if (crossKey) return refusedKey(res, context);
              const group = m.groups.get(id);
              if (!group) return expectScimError(res, 404);
              expect(res.status, context).toBe(200);
              return expectGroup(res.body, group, context);
            }
            case 'listGroups': {
              const groups = [...m.groups.values()];
              const id = pickGroup(op.ref);
              const member = pickUser(op.ref);
              const displayName = groupNameOf(op.name);
              const [filter, expected] = {
                none: [undefined, groups],
                displayName: [
                  `displayName eq "${displayName}"`,
                  groups.filter((g) => lower(g.displayName) === lower(displayName)),
                ],
                members: [`members[value eq "${member}"]`, groups.filter((g) => g.members.has(member))],
                id: [`id eq "${id}"`, groups.filter((g) => g.id === id)],
              }[op.filter] as [string | undefined, ModelGroup[]];
              const { res, context } = await list(at, 'Groups', filter, op.search);
              if (crossKey) return refusedKey(res, context);
              expectIds(
                res,
                expected.map((g) => g.id),
                context,
              );
              for (const resource of res.body.Resources as Record<string, unknown>[]) {
                expectGroup(resource, m.groups.get(resource.id as string) as ModelGroup, context);
              }
              return;
            }
            case 'replaceGroup': {
              const id = pickGroup(op.ref);
              const displayName = groupNameOf(op.name);
              const members = op.members.map(pickMember);
              const body = {
                schemas: [GROUP_SCHEMA],
                displayName,
                members: members.map((value) => ({ value })),
              };
              const { res, context } = await call(at, 'PUT', `/Groups/${id}`, body);
              if (crossKey) return refusedKey(res, context);
              const group = m.groups.get(id);
              if (!group) return expectScimError(res, 404);
              if (
                [...m.groups.values()].some((g) => g.id !== id && lower(g.displayName) === lower(displayName))
              ) {
                return expectScimError(res, 409, 'uniqueness');
              }
              expect(res.status, `${context}\n${res.text}`).toBe(200);
              group.displayName = displayName;
              group.members = new Set(ownUsers(m, members));
              return expectGroup(res.body, group, context);
            }
            case 'patchGroup': {
              const id = pickGroup(op.ref);
              const add = op.add.map(pickMember);
              const remove = op.remove.map(pickMember);
              const body = {
                schemas: [PATCH_OP],
                Operations: [
                  { op: 'add', path: 'members', value: add.map((value) => ({ value })) },
                  ...remove.map((value) => ({ op: 'remove', path: `members[value eq "${value}"]` })),
                ],
              };
              const { res, context } = await call(at, 'PATCH', `/Groups/${id}`, body);
              if (crossKey) return refusedKey(res, context);
              const group = m.groups.get(id);
              if (!group) return expectScimError(res, 404);
              expect(res.status, `${context}\n${res.text}`).toBe(204);
              for (const member of ownUsers(m, add)) group.members.add(member);
              for (const member of remove) group.members.delete(member);
              return;
            }
            case 'deleteGroup': {
              const id = pickGroup(op.ref);
              const { res, context } = await call(at, 'DELETE', `/Groups/${id}`);
              if (crossKey) return refusedKey(res, context);
              if (!m.groups.has(id)) return expectScimError(res, 404);
              expect(res.status, `${context}\n${res.text}`).toBe(204);
              m.groups.delete(id);
              return;
            }
          }
        };

        for (const op of operations) await run(op);

        // Afterwards each organization holds exactly what its own successful requests made.
        for (const s of ['A', 'B'] as const) {
          const at = { url: s, token: s };
          const m = model[s];
          const { res: users, context } = await call(at, 'GET', '/Users?count=1000');
          expectIds(users, [...m.users.keys()], context);
          for (const body of users.body.Resources as Record<string, unknown>[]) {
            expectUser(body, m, m.users.get(body.id as string) as ModelUser, context);
          }
          const { res: groups } = await call(at, 'GET', '/Groups?count=1000');
          expectIds(groups, [...m.groups.keys()], context);
          for (const body of groups.body.Resources as Record<string, unknown>[]) {
            expectGroup(body, m.groups.get(body.id as string) as ModelGroup, context);
          }
        }
        // And in the database: no membership row joins one organization's group to the other's member.
        // A cross-organization query by design: on Citus (the test:citus tier) it is let fan out and
        // join across shards, which Citus does only when asked to.
        const crossed = await harness()
          .db.transaction()
          .execute(async (trx) => {
            if (await hasCitus(trx)) {
              await sql`set local citus.multi_task_query_log_level = 'off'`.execute(trx);
              await sql`set local citus.enable_repartition_joins = on`.execute(trx);
            }
            return sql<{ n: string }>`
            select count(*) as n from group_members gm
            join members m on m.id = gm.member_id
            join groups g on g.id = gm.group_id
            where gm.org_id in (${orgs.A.id}, ${orgs.B.id}) and (m.org_id <> gm.org_id or g.org_id <> gm.org_id)`.execute(
              trx,
            );
          });
        expect(Number(crossed.rows[0]?.n)).toBe(0);
      }),
      // Each shrinking step replays a whole sequence on fresh organizations: bound it, and report the
      // smallest found. Past the limit the runs stop; the ones made must all have held (a Citus
      // cluster on a small machine runs fewer than one server in that time).
      { numRuns: RUNS, interruptAfterTimeLimit: 40_000, markInterruptAsFailure: false },
    );
  }, 90_000);
});
