/**
 * Property-based tests of the SCIM HTTP layer (issue #7, "Bad input"): random queries, paths,
 * methods and bodies against the real app on PostgreSQL. For every request: no 5xx; every 4xx is
 * an RFC 7644 §3.12 error (Error URN, `status` as a string, a non-empty `detail`,
 * `application/scim+json`); and a refused request leaves the organization's rows exactly as they
 * were. bad-input.test.ts and hostile-inputs.test.ts hold the named cases; these look for the
 * unnamed ones. A failure prints fast-check's seed and the shrunk request.
 */

import { COMPARE_OPERATORS } from '@roster/scim-core/filter';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Org, rawRequest, type ScimResponse } from './harness.js';
import {
  ENTERPRISE,
  ERROR_SCHEMA,
  GROUP_SCHEMA,
  LIST_RESPONSE,
  orgState,
  PATCH_OP,
  rand,
  SEARCH_REQUEST,
  USER_SCHEMA,
  upn,
  useHarness,
} from './helpers.js';

// Enough runs to reach the odd corners of each grammar; the file stays well under a minute on 2 cores.
const RUNS = { query: 120, search: 60, paths: 150, bodies: 200 };

type OrgState = Awaited<ReturnType<typeof orgState>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// --- Encodings --------------------------------------------------------------------------------

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** Percent-encodes the UTF-8 bytes of a string (unpaired surrogates become U+FFFD, as in any client). */
const pctUtf8 = (text: string) =>
  [...Buffer.from(text, 'utf8')]
    .map((byte) => {
      const ch = String.fromCharCode(byte);
      return byte < 0x80 && UNRESERVED.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');

/** Percent-encodes arbitrary bytes: most such sequences are not UTF-8 at all. */
const pctBytes = (bytes: Uint8Array) => [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

/** True one time in twenty. */
const rarely = fc.oneof(
  { weight: 19, arbitrary: fc.constant(false) },
  { weight: 1, arbitrary: fc.constant(true) },
);

/** A text as a client may put it in a query: `%20` or `+` for spaces (Ping and Entra), or raw bytes. */
const queryText = (text: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 8, arbitrary: text.map(pctUtf8) },
    { weight: 4, arbitrary: text.map((t) => pctUtf8(t).replace(/%20/g, '+')) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 24 }).map(pctBytes) },
  );

// --- Filter grammar ---------------------------------------------------------------------------

type Resource = 'Users' | 'Groups';

/** Attributes by how they compare, per resource; the grammar mostly writes filters that type-check. */
const ATTRIBUTES: Record<Resource, { text: string[]; id: string[]; boolean: string[]; date: string[] }> = {
  Users: {
    text: [
      'userName',
      'USERNAME',
      'displayName',
      'title',
      'externalId',
      'nickName',
      'emails',
      'emails.value',
      'Emails.Type',
      'name.givenName',
      'addresses.locality',
      'roles.value',
      `${ENTERPRISE}:department`,
      `${ENTERPRISE}:manager`,
      `${USER_SCHEMA}:userName`,
    ],
    id: ['id', 'groups', 'groups.value'],
    boolean: ['active', 'emails.primary'],
    date: ['meta.created', 'meta.lastModified'],
  },
  Groups: {
    text: ['displayName', 'DisplayName', 'externalId', 'members.display', 'members.type'],
    id: ['id', 'members', 'members.value'],
    boolean: [],
    date: ['meta.created', 'meta.lastModified'],
  },
};

/** Value filters (`attr[...]`) with the sub-attributes each may name. */
const VALUE_PATHS: Record<Resource, Record<string, string[]>> = {
  Users: {
    emails: ['value', 'type', 'primary', 'display'],
    addresses: ['locality', 'type', 'primary'],
    roles: ['value', 'primary'],
    groups: ['value', 'display'],
    phoneNumbers: ['value', 'type'],
  },
  Groups: { members: ['value', 'display', 'type'] },
};

/** Paths that do not resolve, or not to something comparable. */
const ODD_PATHS = [
  'nope',
  'password',
  'meta.version',
  'meta.location',
  'name',
  'x509Certificates.value',
  'urn:x:y:1.0:Thing:attr',
  'owner',
  'emails.nope',
];

/** Strings for text comparisons: ordinary, any UTF-16 (escaped by JSON.stringify), and hostile ones. */
const textValue = fc
  .oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        '\u0000',
        'a\u0000b',
        '\ud800',
        '\udc00x',
        '%',
        '_',
        '\\',
        `x' or '1'='1`,
        '"); drop table members; --',
        'ﬀ',
        '\u0130',
        'Ａ',
      ),
    },
  )
  .map((s) => JSON.stringify(s));

/** Any comparison value at all: strings, numbers (huge ones too), literals, bare words. */
function comparisonValue(ids: string[]) {
  return fc.oneof(
    textValue,
    fc.constantFrom(...ids).map((id) => JSON.stringify(id)),
    fc.constantFrom(
      'true',
      'false',
      'null',
      'True',
      '1e309',
      '-1e309',
      '-0',
      '9007199254740993',
      '9'.repeat(100),
    ),
    fc.double().map(String),
    fc.integer().map(String),
    fc.stringMatching(/^[A-Za-z0-9._@-]{1,12}$/),
  );
}

const dateValue = fc
  .oneof(
    { weight: 3, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '2024-01-31',
        '+275760-09-13T00:00:00.000Z',
        '0000-01-01T00:00:00Z',
        'yesterday',
        '',
      ),
    },
  )
  .map((s) => JSON.stringify(s));

function idValue(ids: string[]) {
  return fc
    .oneof(
      fc.constantFrom(...ids),
      fc.uuid(),
      fc.constantFrom('not-a-uuid', '', '\u0000', `${ids[0]}x`, (ids[0] ?? '').toUpperCase()),
    )
    .map((s) => JSON.stringify(s));
}

/** One comparison: mostly well-typed for its attribute, now and then anything. */
function comparisonFor(resource: Resource, ids: string[]) {
  const { text, id, boolean, date } = ATTRIBUTES[resource];
  const op = fc.constantFrom(...COMPARE_OPERATORS);
  const typed = [
    fc.tuple(fc.constantFrom(...text), op, textValue),
    fc.tuple(fc.constantFrom(...id), op, idValue(ids)),
    fc.tuple(fc.constantFrom(...date), op, dateValue),
    ...(boolean.length > 0
      ? [
          fc.tuple(
            fc.constantFrom(...boolean),
            fc.constantFrom('eq', 'ne'),
            fc.constantFrom('true', 'false', '"True"'),
          ),
        ]
      : []),
  ].map((arb) => arb.map(([p, o, v]) => `${p} ${o} ${v}`));
  const all = [...text, ...id, ...boolean, ...date];
  return fc.oneof(
    { weight: 6, arbitrary: fc.oneof(...typed) },
    { weight: 1, arbitrary: fc.constantFrom(...all).map((p) => `${p} pr`) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.oneof(fc.constantFrom(...all, ...ODD_PATHS), fc.string({ maxLength: 10 })),
          fc.oneof(op, fc.constantFrom('EQ', 'Co', 'xx', 'equals', 'pr')),
          comparisonValue(ids),
        )
        .map(([p, o, v]) => `${p} ${o} ${v}`),
    },
  );
}

/** Filters of RFC 7644 §3.4.2.2's grammar over a resource's attributes: logic, grouping, value paths. */
function filterGrammar(resource: Resource, ids: string[]): fc.Arbitrary<string> {
  const leaf = comparisonFor(resource, ids);
  const valuePaths = Object.entries(VALUE_PATHS[resource]);
  const element = fc.constantFrom(...valuePaths).chain(([attribute, subs]) => {
    const sub = fc.oneof(
      fc
        .tuple(
          fc.constantFrom(...subs),
          fc.constantFrom(...COMPARE_OPERATORS),
          fc.oneof(textValue, idValue(ids), fc.constantFrom('true', 'false')),
        )
        .map(([s, o, v]) => `${s} ${o} ${v}`),
      fc.constantFrom(...subs).map((s) => `${s} pr`),
    );
    return fc
      .tuple(sub, fc.option(fc.tuple(fc.constantFrom('and', 'or'), sub), { freq: 2 }))
      .map(([first, more]) => `${attribute}[${first}${more ? ` ${more[0]} ${more[1]}` : ''}]`);
  });
  const { filter } = fc.letrec<{ filter: string }>((tie) => ({
    filter: fc.oneof(
      { depthSize: 'small', maxDepth: 4 },
      leaf,
      element,
      fc
        .tuple(tie('filter'), fc.constantFrom('and', 'or', 'AND', 'Or'), tie('filter'))
        .map(([l, o, r]) => `${l} ${o} ${r}`),
      tie('filter').map((f) => `not (${f})`),
      tie('filter').map((f) => `(${f})`),
    ),
  }));
  return filter;
}

/** A grammar filter, a broken one (a few characters spliced in or cut), or any string at all. */
function anyFilter(resource: Resource, ids: string[]) {
  const grammar = filterGrammar(resource, ids);
  return fc.oneof(
    { weight: 8, arbitrary: grammar },
    {
      weight: 2,
      arbitrary: fc
        .tuple(grammar, fc.nat(), fc.nat({ max: 3 }), fc.string({ unit: 'binary', maxLength: 3 }))
        .map(([f, at, cut, insert]) => {
          const i = at % (f.length + 1);
          return f.slice(0, i) + insert + f.slice(i + cut);
        }),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  );
}

/** Attribute names for sortBy, attributes and excludedAttributes: mostly the resource's own. */
function attributeName(resource: Resource) {
  const { text, id, boolean, date } = ATTRIBUTES[resource];
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...text, ...id, ...boolean, ...date, 'schemas', 'meta') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...ODD_PATHS, ...ATTRIBUTES[resource === 'Users' ? 'Groups' : 'Users'].text),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  );
}

const attributeList = (resource: Resource) =>
  fc.array(attributeName(resource), { maxLength: 4 }).map((names) => names.join(','));

const numberText = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: -5, max: 2000 }).map(String) },
  { weight: 1, arbitrary: fc.bigInt().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      ' 3 ',
      '+5',
      '-0',
      '0x10',
      '1.5',
      '1e309',
      'NaN',
      '9'.repeat(100),
      '１',
      '٣',
    ),
  },
);

/** Each list parameter, present half of the time, once in a while given twice (ambiguous). */
function listQuery(resource: Resource, ids: string[]) {
  const param = (name: string, value: fc.Arbitrary<string>, freq = 2) =>
    fc.option(
      fc
        .tuple(fc.constantFrom(name, name, name.toLowerCase(), name.toUpperCase()), queryText(value), rarely)
        .map(([key, v, twice]) => (twice ? `${key}=${v}&${key}=${v}` : `${key}=${v}`)),
      { freq },
    );
  return fc
    .tuple(
      param('filter', anyFilter(resource, ids), 8),
      param('attributes', attributeList(resource)),
      param('excludedAttributes', attributeList(resource)),
      param('sortBy', attributeName(resource)),
      param('sortOrder', fc.constantFrom('ascending', 'descending', 'DESCENDING', 'Ascending', 'sideways')),
      param('startIndex', numberText),
      param('count', numberText),
    )
    .map((parts) => parts.filter((p): p is string => p !== null).join('&'));
}

// --- Bodies -----------------------------------------------------------------------------------

/** Any JSON value, including the shapes that trip coercion: huge and negative numbers, nesting, nulls. */
const anyJson = fc.jsonValue({ maxDepth: 4 });

/** A value of a random type, for "wrong type for every attribute". */
const anyValue = fc.oneof(
  anyJson,
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.constantFrom(
    '',
    '   ',
    'True',
    'FALSE',
    '2024-01-31T12:00:00Z',
    '\u0000',
    '\ud800',
    '9007199254740993',
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    Number.MIN_VALUE,
    -0,
    [],
    {},
    [null],
    [[]],
    { value: null },
    { value: { value: 'x' } },
  ),
);

/** Where in a User or Group body a wrong value goes. */
const BODY_TARGETS: (string | number)[][] = [
  ['userName'],
  ['displayName'],
  ['active'],
  ['title'],
  ['externalId'],
  ['schemas'],
  ['id'],
  ['meta'],
  ['name'],
  ['name', 'givenName'],
  ['emails'],
  ['emails', 0],
  ['emails', 0, 'value'],
  ['emails', 0, 'primary'],
  ['phoneNumbers'],
  ['addresses', 0, 'primary'],
  ['roles'],
  ['roles', 0, 'value'],
  ['groups'],
  ['members'],
  ['members', 0],
  ['members', 0, 'value'],
  ['members', 0, 'display'],
  [ENTERPRISE],
  [ENTERPRISE, 'manager'],
  [ENTERPRISE, 'manager', 'value'],
  [ENTERPRISE, 'department'],
  ['x509Certificates', 0, 'value'],
];

function setPath(body: Record<string, unknown>, path: (string | number)[], value: unknown) {
  let node: Record<string | number, unknown> = body;
  path.forEach((key, i) => {
    if (i === path.length - 1) {
      node[key] = value;
      return;
    }
    const next = node[key];
    const fresh = typeof path[i + 1] === 'number' ? [] : {};
    node[key] = typeof next === 'object' && next !== null ? next : fresh;
    node = node[key] as Record<string | number, unknown>;
  });
  return body;
}

/** A valid User-and-Group-shaped body with one or two attributes given a wrong (or odd) value. */
function wrongTypes(memberIds: string[]) {
  return fc
    .array(fc.tuple(fc.constantFrom(...BODY_TARGETS), anyValue), { minLength: 1, maxLength: 2 })
    .map((changes) => {
      const body: Record<string, unknown> = {
        schemas: [USER_SCHEMA, GROUP_SCHEMA, ENTERPRISE],
        userName: upn('prop'),
        displayName: `Prop ${rand()}`,
        emails: [{ type: 'work', value: upn('mail'), primary: true }],
        members: memberIds.map((value) => ({ value })),
        [ENTERPRISE]: { department: 'R&D' },
      };
      for (const [path, value] of changes) setPath(body, path, value);
      return JSON.stringify(body);
    });
}

const PATCH_PATHS = [
  'title',
  'active',
  'userName',
  'displayName',
  'emails',
  'emails[type eq "work"].value',
  'emails[type eq "work"]',
  'name.givenName',
  'members',
  'members[value eq "x"]',
  `${ENTERPRISE}:manager`,
  `${ENTERPRISE}:department`,
  'id',
  'meta.version',
  'groups',
  'roles[primary eq true].value',
];

function patchOps(ids: string[]) {
  const operation = fc.record(
    {
      op: fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom('add', 'replace', 'remove', 'Add', 'REPLACE', 'Remove') },
        { weight: 1, arbitrary: fc.constantFrom('upsert', '', 'copy') },
        { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
      ),
      path: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...PATCH_PATHS) },
        {
          weight: 2,
          arbitrary: fc
            .constantFrom<Resource>('Users', 'Groups')
            .chain((resource) => filterGrammar(resource, ids)),
        },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 16 }) },
        { weight: 1, arbitrary: anyJson },
      ),
      value: fc.oneof(
        anyValue,
        fc.constantFrom(...ids).map((value) => [{ value }]),
        fc.dictionary(
          fc.constantFrom(
            'title',
            'active',
            'displayName',
            'userName',
            'members',
            'emails',
            'name.givenName',
            ENTERPRISE,
          ),
          anyValue,
          {
            maxKeys: 3,
          },
        ),
      ),
    },
    { requiredKeys: ['op'] },
  );
  // Operations that usually apply, so that a later bad one tests that a PATCH is all or nothing.
  const text = fc.string({ minLength: 1, maxLength: 12 });
  const wellTyped = fc.oneof(
    fc.record({
      op: fc.constantFrom('replace', 'add'),
      path: fc.constantFrom('title', 'displayName', 'nickName', 'name.givenName', `${ENTERPRISE}:department`),
      value: text,
    }),
    fc.record({
      op: fc.constant('replace'),
      path: fc.constant('active'),
      value: fc.constantFrom(true, false, 'True', 'False'),
    }),
    fc.record({
      op: fc.constantFrom('add', 'remove'),
      path: fc.constant('members'),
      value: fc.constantFrom(...ids).map((value) => [{ value }]),
    }),
    fc.record({
      op: fc.constant('remove'),
      path: fc.constantFrom('title', 'nickName', 'emails[type eq "home"]', 'members[value eq "x"]'),
    }),
    fc.record({ op: fc.constant('replace'), value: fc.record({ title: text, displayName: text }) }),
  );
  return fc
    .record({
      schemas: fc.oneof({ weight: 8, arbitrary: fc.constant([PATCH_OP]) }, { weight: 1, arbitrary: anyJson }),
      Operations: fc.oneof(
        { weight: 8, arbitrary: fc.array(fc.oneof(wellTyped, operation), { minLength: 1, maxLength: 4 }) },
        { weight: 1, arbitrary: anyJson },
      ),
    })
    .map((body) => JSON.stringify(body));
}

/** Deeply nested JSON, at the top or inside an attribute. */
const deepNesting = fc
  .tuple(fc.integer({ min: 1, max: 200_000 }), fc.constantFrom('[', '{"a":', '{"name":{"givenName":'))
  .map(([depth, open]) => {
    const close = open === '[' ? ']' : '}'.repeat(open.split('{').length - 1);
    const inner = `${open.repeat(depth)}1${close.repeat(depth)}`;
    return open === '['
      ? inner
      : `{"schemas":["${USER_SCHEMA}"],"userName":"${upn('deep')}","title":${inner}}`;
  });

/** Numbers as JSON text that JavaScript reads as Infinity, -0, or rounded. */
const hugeNumbers = fc
  .tuple(
    fc.constantFrom('userName', 'title', 'active', 'displayName', 'emails', 'startIndex', 'count'),
    fc.constantFrom('1e309', '-1e309', '9007199254740993', '9'.repeat(100), '-0', '1e-400', '0.1e1'),
  )
  .map(
    ([name, number]) =>
      `{"schemas":["${USER_SCHEMA}","${GROUP_SCHEMA}"],"userName":"${upn('num')}","displayName":"N ${rand()}","${name}":${number}}`,
  );

/** A valid body's bytes with random bytes spliced into a string value: mostly invalid UTF-8. */
const badBytes = fc
  .tuple(fc.uint8Array({ minLength: 1, maxLength: 6 }), fc.boolean())
  .map(([bytes, atStart]) => {
    const json = `{"schemas":["${USER_SCHEMA}","${GROUP_SCHEMA}"],"userName":"${atStart ? '@@' : ''}${upn('bytes')}${atStart ? '' : '@@'}","displayName":"B ${rand()}"}`;
    const [before, after] = json.split('@@');
    return Buffer.concat([Buffer.from(before ?? ''), Buffer.from(bytes), Buffer.from(after ?? '')]);
  });

/** A body for a resource write (POST, PUT) or a PATCH: mostly of the expected kind, then anything. */
function anyBody(
  ids: string[],
  memberIds: string[],
  kind: 'resource' | 'patch' = 'resource',
): fc.Arbitrary<string | Uint8Array> {
  return fc.oneof(
    { weight: kind === 'resource' ? 8 : 1, arbitrary: wrongTypes(memberIds) },
    { weight: kind === 'patch' ? 8 : 1, arbitrary: patchOps(ids) },
    { weight: 1, arbitrary: anyJson.map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: deepNesting },
    { weight: 1, arbitrary: hugeNumbers },
    { weight: 1, arbitrary: badBytes },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  );
}

const CONTENT_TYPES = [
  'application/scim+json',
  'application/scim+json; charset=utf-8',
  'application/json',
  'application/vnd.example+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/json; charset=latin1',
  undefined,
];

// --- Assertions ---------------------------------------------------------------------------------

/** An RFC 7644 §3.12 error body with the response's own status. */
function expectScimErrorBody(res: ScimResponse, context: string) {
  expect(res.headers.get('content-type'), context).toMatch(/^application\/scim\+json/);
  expect(res.body?.schemas, `${context}: ${res.text}`).toEqual([ERROR_SCHEMA]);
  expect(res.body.status, context).toBe(String(res.status));
  expect(typeof res.body.detail, context).toBe('string');
  expect(res.body.detail.length, context).toBeGreaterThan(0);
}

/** A ListResponse whose resources all belong to the organization. */
function expectOwnList(res: ScimResponse, ownIds: Set<string>, context: string) {
  expect(res.headers.get('content-type'), context).toMatch(/^application\/scim\+json/);
  expect(res.body.schemas, context).toEqual([LIST_RESPONSE]);
  expect(res.body.itemsPerPage, context).toBe(res.body.Resources.length);
  expect(res.body.totalResults, context).toBeGreaterThanOrEqual(res.body.Resources.length);
  expect(res.body.startIndex, context).toBeGreaterThanOrEqual(1);
  for (const resource of res.body.Resources as { id: string }[])
    expect(ownIds.has(resource.id), context).toBe(true);
}

/** What any list request gets: a list of own resources, or a SCIM 4xx (never a 5xx). */
function expectOwnListOrRefusal(res: ScimResponse, ownIds: Set<string>, context: string) {
  expect(res.status, `${context}: ${res.text}`).toBeLessThan(500);
  if (res.status === 200) expectOwnList(res, ownIds, context);
  else {
    expect(res.status, context).toBeGreaterThanOrEqual(400);
    expectScimErrorBody(res, context);
  }
}

describe('SCIM over HTTP, properties (postgres)', () => {
  const harness = useHarness('postgres');
  let org: Org;
  let other: Org;
  let ids: { user: string; bystander: string; group: string; otherUser: string; otherGroup: string };

  const state = () => orgState(harness().db, org.id);
  const ownIds = (s: OrgState) => new Set([...s.members.map((m) => m.id), ...s.groups.map((g) => g.id)]);
  const send = (method: string, path: string, body?: string | Uint8Array, contentType?: string) =>
    rawRequest(
      harness().origin,
      method,
      `/scim/v2/${org.slug}${path}`,
      { Authorization: `Bearer ${org.token}`, ...(contentType ? { 'Content-Type': contentType } : {}) },
      typeof body === 'string' ? Buffer.from(body) : body,
    );

  beforeAll(async () => {
    org = await harness().newOrg();
    other = await harness().newOrg();
    const create = async (target: Org, path: string, body: Record<string, unknown>) => {
      const res = await target.request('POST', path, body);
      expect(res.status, res.text).toBe(201);
      return res.body.id as string;
    };
    const user = await create(org, '/Users', {
      schemas: [USER_SCHEMA, ENTERPRISE],
      userName: upn('victim'),
      name: { givenName: 'Vic', familyName: 'Tim' },
      emails: [{ type: 'work', value: upn('victim'), primary: true }],
      [ENTERPRISE]: { department: 'Safety' },
    });
    const bystander = await create(org, '/Users', { schemas: [USER_SCHEMA], userName: upn('bystander') });
    const group = await create(org, '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: `Victims ${rand()}`,
      members: [{ value: user }, { value: bystander }],
    });
    // Another organization with look-alike data: a list on ours must never show it.
    const otherUser = await create(other, '/Users', { schemas: [USER_SCHEMA], userName: upn('victim') });
    const otherGroup = await create(other, '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: `Victims ${rand()}`,
      members: [{ value: otherUser }],
    });
    ids = { user, bystander, group, otherUser, otherGroup };
  });

  const allIds = () => Object.values(ids);

  it('GET /Users and /Groups with random filter, attributes, excludedAttributes, sortBy, sortOrder, startIndex and count: a list of own resources or a SCIM 4xx', async () => {
    const before = await state();
    const own = ownIds(before);
    const request = fc
      .constantFrom<Resource>('Users', 'Groups')
      .chain((resource) => fc.tuple(fc.constant(resource), listQuery(resource, allIds())));
    await fc.assert(
      fc.asyncProperty(request, async ([resource, query]) => {
        const res = await send('GET', `/${resource}?${query}`);
        const context = `GET /${resource}?${query} → ${res.status}`;
        expectOwnListOrRefusal(res, own, context);
      }),
      { numRuns: RUNS.query },
    );
    // Reads change nothing.
    expect(await state()).toEqual(before);
  });

  it('POST /.search with random parameters of random JSON types: a list of own resources or a SCIM 4xx', async () => {
    const before = await state();
    const own = ownIds(before);
    const field = (text: fc.Arbitrary<string>) =>
      fc.oneof(
        { weight: 20, arbitrary: text },
        { weight: 1, arbitrary: anyJson },
        { weight: 1, arbitrary: fc.array(text, { maxLength: 3 }) },
      );
    // JSON numbers as well as strings: small ones mostly, then huge, negative and fractional ones.
    const number = fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: -5, max: 2000 }) },
      { weight: 2, arbitrary: field(numberText) },
      { weight: 1, arbitrary: fc.integer() },
      { weight: 1, arbitrary: fc.double() },
    );
    const search = (resource: Resource) =>
      fc.record(
        {
          schemas: fc.oneof(
            { weight: 4, arbitrary: fc.constant([SEARCH_REQUEST]) },
            { weight: 1, arbitrary: anyJson },
          ),
          filter: field(anyFilter(resource, allIds())),
          attributes: field(attributeList(resource)),
          excludedAttributes: field(attributeList(resource)),
          sortBy: field(attributeName(resource)),
          sortOrder: field(fc.constantFrom('ascending', 'descending', 'Descending', 'sideways')),
          startIndex: number,
          count: number,
        },
        { requiredKeys: [] },
      );
    const request = fc
      .constantFrom<Resource>('Users', 'Groups')
      .chain((resource) => fc.tuple(fc.constant(resource), search(resource)));
    await fc.assert(
      fc.asyncProperty(request, async ([resource, body]) => {
        const text = JSON.stringify(body);
        const res = await send('POST', `/${resource}/.search`, text, 'application/scim+json');
        const context = `POST /${resource}/.search ${text} → ${res.status}`;
        expectOwnListOrRefusal(res, own, context);
      }),
      { numRuns: RUNS.search },
    );
    expect(await state()).toEqual(before);
  });

  it('random methods on random paths under /scim/v2/{org}/ (dot segments, encoded slashes, NUL, huge and foreign ids): no 5xx, SCIM errors, refusals change nothing', async () => {
    let before = await state();
    const segment = fc.oneof(
      {
        weight: 6,
        arbitrary: fc.constantFrom(
          'Users',
          'Groups',
          '.search',
          'Schemas',
          'ServiceProviderConfig',
          'ResourceTypes',
          'Bulk',
          'Me',
          'users',
          'GROUPS',
        ),
      },
      { weight: 4, arbitrary: fc.constantFrom(...allIds()) },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          '..',
          '.',
          '%2e%2e',
          '%2E',
          '%2F',
          '..%2F..',
          '%00',
          '%FF',
          '%C3%28',
          '',
          USER_SCHEMA,
          'User',
        ),
      },
      { weight: 1, arbitrary: fc.uuid() },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 16 }).map(pctUtf8) },
      { weight: 1, arbitrary: fc.stringMatching(/^[0-9]{1,400}$/) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 8 }).map(pctBytes) },
    );
    // Every method Node's parser accepts except CONNECT, which Node answers itself (a tunnel, not a request).
    const method = fc.constantFrom(
      'GET',
      'GET',
      'HEAD',
      'POST',
      'PUT',
      'PATCH',
      'DELETE',
      'OPTIONS',
      'TRACE',
      'PROPFIND',
      'SEARCH',
      'QUERY',
      'LOCK',
    );
    const request = fc.record({
      method,
      segments: fc.array(segment, { maxLength: 4 }),
      query: fc.option(
        fc.constantFrom<Resource>('Users', 'Groups').chain((resource) => listQuery(resource, allIds())),
      ),
      body: fc.option(anyBody(allIds(), [ids.user, ids.otherUser])),
      contentType: fc.constantFrom(...CONTENT_TYPES),
    });
    await fc.assert(
      fc.asyncProperty(request, async ({ method, segments, query, body, contentType }) => {
        const path = `/${segments.join('/')}${query !== null ? `?${query}` : ''}`;
        const res = await send(method, path, body ?? undefined, body !== null ? contentType : undefined);
        const context = `${method} ${path} → ${res.status}`;
        expect(res.status, `${context}: ${res.text}`).toBeLessThan(500);
        expect(res.status, context).toBeGreaterThanOrEqual(200);
        const after = await state();
        if (res.status >= 400) {
          // A HEAD answer has no body to check.
          if (method !== 'HEAD') expectScimErrorBody(res, context);
          expect(after, context).toEqual(before);
        } else {
          // Whatever it found or made is the organization's own.
          // (Discovery resources have URNs for ids; users and groups have UUIDs.)
          const own = ownIds(after);
          const found = [
            res.body?.id,
            ...((res.body?.Resources ?? []) as { id?: unknown }[]).map((r) => r.id),
          ];
          for (const id of found)
            if (typeof id === 'string' && UUID.test(id)) expect(own.has(id), context).toBe(true);
          before = after;
        }
      }),
      { numRuns: RUNS.paths },
    );
  });

  it('random bodies on POST, PUT and PATCH of Users and Groups (wrong types, PatchOps, deep nesting, huge numbers, bad bytes): no 5xx, SCIM errors, refusals change nothing', async () => {
    let before = await state();
    const memberIds = [ids.user, ids.bystander, ids.otherUser];
    const target = fc
      .constantFrom(
        ['POST', '/Users'],
        ['PUT', `/Users/${ids.user}`],
        ['PATCH', `/Users/${ids.user}`],
        ['PATCH', `/Users/${ids.bystander}`],
        ['POST', '/Groups'],
        ['PUT', `/Groups/${ids.group}`],
        ['PATCH', `/Groups/${ids.group}`],
      )
      .chain(([method, path]) =>
        fc.tuple(
          fc.constant([method, path] as const),
          anyBody(allIds(), memberIds, method === 'PATCH' ? 'patch' : 'resource'),
        ),
      );
    const contentType = fc.oneof(
      { weight: 8, arbitrary: fc.constant('application/scim+json') },
      { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
    );
    await fc.assert(
      fc.asyncProperty(target, contentType, async ([[method, path], body], type) => {
        const res = await send(method as string, path as string, body, type);
        const shown =
          typeof body === 'string'
            ? body.slice(0, 300)
            : `bytes ${Buffer.from(body).toString('hex').slice(0, 300)}`;
        const context = `${method} ${path} (${type}) ${shown} → ${res.status}`;
        expect(res.status, `${context}: ${res.text}`).toBeLessThan(500);
        const after = await state();
        if (res.status >= 400) {
          expectScimErrorBody(res, context);
          expect(after, context).toEqual(before);
          return;
        }
        expect([200, 201, 204], context).toContain(res.status);
        if (res.status === 201) {
          expect(res.headers.get('location'), context).toContain(`/scim/v2/${org.slug}/`);
          expect(after.members.length + after.groups.length, context).toBe(
            before.members.length + before.groups.length + 1,
          );
        }
        // Another organization's user is never made a member here.
        expect(
          after.memberships.some((m) => m.member_id === ids.otherUser),
          context,
        ).toBe(false);
        before = after;
      }),
      { numRuns: RUNS.bodies },
    );
    // The server is still up and answering after all of it.
    expect((await send('GET', `/Users/${ids.bystander}`)).status).toBeLessThan(500);
    expect((await fetch(`${harness().origin}/healthz`)).status).toBe(200);
  });
});
