/**
 * Bad input: every malformed, hostile or unauthorised request gets a 4xx with an RFC 7644 §3.12
 * body (`schemas` = Error URN, `status` = the HTTP status as a string, a non-empty `detail`,
 * `application/scim+json`), never a 5xx, and changes nothing. PostgreSQL only.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Org, type ScimResponse, send } from './harness.js';
import {
  createGroup,
  createUser,
  ENTERPRISE,
  expectList,
  expectScimError,
  GROUP_SCHEMA,
  getOk,
  patchBody,
  pctEncoded,
  rand,
  USER_SCHEMA,
  upn,
  useHarness,
} from './helpers.js';

describe('bad input (postgres)', () => {
  const harness = useHarness('postgres');
  let org: Org;
  // biome-ignore lint/suspicious/noExplicitAny: SCIM JSON
  let user: any;
  // biome-ignore lint/suspicious/noExplicitAny: SCIM JSON
  let group: any;
  // biome-ignore lint/suspicious/noExplicitAny: SCIM JSON
  let baseline: any;

  /** Everything observable about the organization, to compare before and after. */
  async function snapshot() {
    return {
      user: await getOk(org, `/Users/${user.id}`),
      group: await getOk(org, `/Groups/${group.id}`),
      users: (await getOk(org, '/Users?count=1000')).Resources,
      groups: (await getOk(org, '/Groups?count=1000')).Resources,
    };
  }

  beforeAll(async () => {
    org = await harness().newOrg();
    user = await createUser(org, {
      userName: upn('victim'),
      name: { givenName: 'Vic', familyName: 'Tim' },
      emails: [{ type: 'work', value: `victim.${rand()}@contoso.com`, primary: true }],
      [ENTERPRISE]: { department: 'Safety' },
    });
    const other = await createUser(org, { userName: upn('bystander') });
    group = await createGroup(org, `Victims ${rand()}`, [user.id, other.id]);
    baseline = await snapshot();
  });

  /** Asserts the SCIM error and that the organization is exactly as it was. */
  async function rejected(res: ScimResponse, status: number, scimType?: string) {
    expectScimError(res, status, scimType);
    expect(await snapshot()).toEqual(baseline);
  }

  it('malformed JSON → 400 invalidSyntax on POST, PUT and PATCH', async () => {
    const broken = ['{"userName": ', '{"userName": "x",}', "{'userName': 'x'}", '{"userName": "x"} trailing'];
    for (const text of broken) {
      await rejected(await org.request('POST', '/Users', text), 400, 'invalidSyntax');
      await rejected(await org.request('PUT', `/Users/${user.id}`, text), 400, 'invalidSyntax');
      await rejected(await org.request('PATCH', `/Users/${user.id}`, text), 400, 'invalidSyntax');
      await rejected(await org.request('PATCH', `/Groups/${group.id}`, text), 400, 'invalidSyntax');
    }
  });

  it('JSON nested deeper than any SCIM request (40 levels, or a million) → 400 invalidSyntax', async () => {
    const nested = (depth: number) =>
      `{"schemas":["${USER_SCHEMA}"],"userName":"deep@x.example","x":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    for (const text of [nested(40), nested(1_000_000)]) {
      await rejected(await org.request('POST', '/Users', text), 400, 'invalidSyntax');
      await rejected(await org.request('PUT', `/Users/${user.id}`, text), 400, 'invalidSyntax');
      await rejected(await org.request('PATCH', `/Groups/${group.id}`, text), 400, 'invalidSyntax');
    }
  });

  it('JSON that is not an object → 400 invalidSyntax', async () => {
    for (const text of ['[]', '[{"userName":"x"}]', '"userName"', '42', 'null', 'true']) {
      await rejected(await org.request('POST', '/Users', text), 400, 'invalidSyntax');
      await rejected(await org.request('POST', '/Groups', text), 400, 'invalidSyntax');
      await rejected(await org.request('PUT', `/Users/${user.id}`, text), 400, 'invalidSyntax');
      await rejected(await org.request('PATCH', `/Users/${user.id}`, text), 400, 'invalidSyntax');
    }
    // No body at all.
    for (const [method, path] of [
      ['POST', '/Users'],
      ['PUT', `/Users/${user.id}`],
      ['PATCH', `/Users/${user.id}`],
      ['POST', '/Groups'],
      ['PATCH', `/Groups/${group.id}`],
    ] as const) {
      const res = await send(`${org.base}${path}`, method, org.token, undefined, {
        'Content-Type': 'application/scim+json',
      });
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(400);
      await rejected(res, 400);
    }
    // Well-formed objects of the wrong shape.
    await rejected(await org.request('POST', '/Users', { schemas: [USER_SCHEMA] }), 400, 'invalidValue');
    await rejected(await org.request('POST', '/Users', { userName: { nested: true } }), 400, 'invalidValue');
    await rejected(await org.request('POST', '/Users', { userName: '   ' }), 400, 'invalidValue');
    await rejected(
      await org.request('POST', '/Users', { userName: upn(), active: 'maybe' }),
      400,
      'invalidValue',
    );
    await rejected(await org.request('POST', '/Groups', { schemas: [GROUP_SCHEMA] }), 400, 'invalidValue');
    await rejected(
      await org.request('POST', '/Groups', {
        displayName: `G ${rand()}`,
        members: [{ display: 'no value' }],
      }),
      400,
      'invalidValue',
    );
    await rejected(
      await org.request('PATCH', `/Users/${user.id}`, { Operations: 'replace' }),
      400,
      'invalidSyntax',
    );
    await rejected(await org.request('PATCH', `/Users/${user.id}`, patchBody()), 400, 'invalidSyntax');
    await rejected(
      await org.request('PATCH', `/Users/${user.id}`, patchBody({ op: 'upsert', path: 'title', value: 'x' })),
      400,
      'invalidSyntax',
    );
  });

  it('invalid filters (unbalanced, unknown operator, unknown attribute, huge nesting) → 400 invalidFilter', async () => {
    const filters = [
      '(userName eq "a"',
      'userName eq "a")',
      'emails[type eq "work"',
      'userName eq "unterminated',
      'userName xx "a"',
      'userName equals "a"',
      'userName eq',
      'eq "a"',
      'userName eq "a" and',
      'userName eq "a" nand active eq true',
      'foo eq "a"',
      'name.nickName eq "a"',
      'urn:example:unknown:2.0:User:foo eq "a"',
      'active gt "yes"',
      'meta.created gt "not a date"',
      `${'('.repeat(2000)}userName eq "a"${')'.repeat(2000)}`,
      `${'not ('.repeat(60)}userName eq "a"${')'.repeat(60)}`,
    ];
    for (const filter of filters) {
      const res = await org.request('GET', `/Users?filter=${pctEncoded(filter)}`);
      expectScimError(res, 400, 'invalidFilter');
    }
    for (const filter of ['displayName xx "a"', 'members[value eq "x"', 'owner eq "a"']) {
      expectScimError(await org.request('GET', `/Groups?filter=${pctEncoded(filter)}`), 400, 'invalidFilter');
    }
    // The same through .search, where the body allows far larger filters than a URL does.
    for (const filter of [
      '(userName eq "a"',
      `${'('.repeat(50_000)}userName eq "a"${')'.repeat(50_000)}`,
      `${'emails[type eq "a" and '.repeat(5000)}value eq "x"${']'.repeat(5000)}`,
      `userName eq "${'x'.repeat(20_000)}"`,
    ]) {
      const search = await org.request('POST', '/Users/.search', { filter });
      expectScimError(search, 400, 'invalidFilter');
    }
    expect(await snapshot()).toEqual(baseline);
  });

  it('long but valid filters (a flat chain of 250 `or`s) answer 200, not a 5xx', async () => {
    const chain = Array.from({ length: 250 }, (_, i) => `userName eq "u${i}"`).join(' or ');
    const res = await org.request(
      'GET',
      `/Users?filter=${pctEncoded(`${chain} or userName eq "${user.userName}"`)}`,
    );
    expect(expectList(res, 1).Resources[0].id).toBe(user.id);
    const nested = `${'('.repeat(45)}userName eq "${user.userName}"${')'.repeat(45)}`;
    expect(
      expectList(await org.request('GET', `/Users?filter=${pctEncoded(nested)}`), 1).Resources,
    ).toHaveLength(1);
  });

  it('unknown PATCH paths → 400 invalidPath, and nothing of the request is applied', async () => {
    const paths = [
      'foo',
      'name.nickName',
      'emails[foo eq "x"].value',
      'emails[type eq "work"',
      'emails[type eq "work"].nope',
      'urn:example:unknown:2.0:User:foo',
      `${ENTERPRISE}:favouriteColour`,
      'title[value eq "x"]',
      '"quoted"',
    ];
    for (const path of paths) {
      // A valid first operation proves the request is atomic.
      const res = await org.request(
        'PATCH',
        `/Users/${user.id}`,
        patchBody(
          { op: 'replace', path: 'displayName', value: 'changed' },
          { op: 'replace', path, value: 'x' },
        ),
      );
      await rejected(res, 400, 'invalidPath');
      expect(res.body.detail).toMatch(/^Operation 2/);
    }
    const groupPaths = ['owners', 'members.nope', 'members[foo eq "x"]'];
    for (const path of groupPaths) {
      await rejected(
        await org.request('PATCH', `/Groups/${group.id}`, patchBody({ op: 'remove', path })),
        400,
        'invalidPath',
      );
    }
    // remove with no path and no value has no target.
    await rejected(
      await org.request('PATCH', `/Users/${user.id}`, patchBody({ op: 'remove' })),
      400,
      'noTarget',
    );
  });

  it('read-only and immutable attributes (id, meta, groups, members.value) → 400 mutability in PATCH', async () => {
    const userOps = [
      { op: 'replace', path: 'id', value: randomUUID() },
      { op: 'replace', path: 'meta', value: { version: 'W/"99"' } },
      { op: 'replace', path: 'meta.created', value: '2001-01-01T00:00:00Z' },
      { op: 'add', path: 'groups', value: [{ value: group.id }] },
      { op: 'remove', path: 'groups' },
      { op: 'replace', path: `${ENTERPRISE}:manager.displayName`, value: 'Boss' },
    ];
    for (const operation of userOps) {
      await rejected(
        await org.request('PATCH', `/Users/${user.id}`, patchBody(operation)),
        400,
        'mutability',
      );
    }
    const groupOps = [
      { op: 'replace', path: 'id', value: randomUUID() },
      { op: 'replace', path: 'members.value', value: randomUUID() },
      { op: 'replace', path: 'meta.lastModified', value: '2001-01-01T00:00:00Z' },
    ];
    for (const operation of groupOps) {
      await rejected(
        await org.request('PATCH', `/Groups/${group.id}`, patchBody(operation)),
        400,
        'mutability',
      );
    }
    // In a POST or PUT body they are ignored (RFC 7644 §3.5.1), never obeyed.
    const put = await org.request('PUT', `/Users/${user.id}`, {
      ...baseline.user,
      id: randomUUID(),
      meta: { version: 'W/"99"', created: '2001-01-01T00:00:00Z' },
      groups: [],
    });
    expect(put.status, put.text).toBe(200);
    expect(put.body.id).toBe(user.id);
    expect(put.body.meta.created).toBe(baseline.user.meta.created);
    expect(put.body.groups).toEqual(baseline.user.groups);
    expect(await snapshot()).toEqual(baseline);
  });

  it('a 5 MB body → 413', async () => {
    const big = JSON.stringify({
      schemas: [USER_SCHEMA],
      userName: upn('huge'),
      displayName: 'x'.repeat(5 * 1024 * 1024),
    });
    await rejected(await org.request('POST', '/Users', big), 413);
    await rejected(await org.request('PUT', `/Users/${user.id}`, big), 413);
    const members = Array.from({ length: 120_000 }, () => ({ value: randomUUID() }));
    await rejected(
      await org.request(
        'PATCH',
        `/Groups/${group.id}`,
        patchBody({ op: 'add', path: 'members', value: members }),
      ),
      413,
    );
  });

  it('absurd paging values: RFC clamping where it applies, 400 invalidValue otherwise, never a 5xx', async () => {
    // RFC 7644 §3.4.2.4: startIndex < 1 is 1, a negative count is 0, a large count is capped.
    const negativeStart = expectList(await org.request('GET', '/Users?startIndex=-5&count=1'));
    expect(negativeStart).toMatchObject({ startIndex: 1, itemsPerPage: 1, totalResults: 2 });
    const negativeCount = expectList(await org.request('GET', '/Users?count=-3'));
    expect(negativeCount).toMatchObject({ itemsPerPage: 0, totalResults: 2 });
    const huge = expectList(await org.request('GET', '/Users?count=1000000000'));
    expect(huge).toMatchObject({ itemsPerPage: 2, totalResults: 2 });
    const farAway = expectList(await org.request('GET', '/Groups?startIndex=999999999999999'));
    expect(farAway).toMatchObject({ itemsPerPage: 0, totalResults: 1 });
    // Not whole numbers (or not representable): refused.
    for (const query of [
      'count=1e9',
      'count=abc',
      'count=1.5',
      'count=',
      'startIndex=99999999999999999999',
      'startIndex=0x10',
      'startIndex=1&startIndex=2',
      'sortOrder=sideways',
    ]) {
      const res = await org.request('GET', `/Users?${query}`);
      if (query === 'count=') {
        // An empty parameter is the same as no parameter.
        expectList(res, 2);
        continue;
      }
      expectScimError(res, 400, 'invalidValue');
    }
    expectScimError(await org.request('POST', '/Users/.search', { count: 'abc' }), 400, 'invalidValue');
    expectScimError(await org.request('POST', '/Users/.search', { startIndex: 1e30 }), 400, 'invalidValue');
    expect(await snapshot()).toEqual(baseline);
  });

  it('non-UUID and unknown ids → 404 SCIM errors on every method', async () => {
    const ids = ['not-a-uuid', '123', `${user.id}x`, randomUUID(), "1' or '1'='1", 'x'.repeat(500), '%00'];
    for (const id of ids) {
      for (const resource of ['Users', 'Groups']) {
        const path = `/${resource}/${encodeURIComponent(id)}`;
        await rejected(await org.request('GET', path), 404);
        await rejected(
          await org.request('PUT', path, {
            schemas: [USER_SCHEMA, GROUP_SCHEMA],
            userName: upn(),
            displayName: 'x',
          }),
          404,
        );
        await rejected(
          await org.request('PATCH', path, patchBody({ op: 'replace', path: 'displayName', value: 'x' })),
          404,
        );
        await rejected(await org.request('DELETE', path), 404);
      }
    }
  });

  it('wrong content type → 415', async () => {
    const body = JSON.stringify({ schemas: [USER_SCHEMA], userName: upn('ct') });
    for (const contentType of [
      'text/plain',
      'application/xml',
      'application/x-www-form-urlencoded',
      'text/html',
    ]) {
      const headers = { 'Content-Type': contentType };
      await rejected(await org.request('POST', '/Users', body, headers), 415);
      await rejected(await org.request('PUT', `/Users/${user.id}`, body, headers), 415);
      await rejected(
        await org.request(
          'PATCH',
          `/Groups/${group.id}`,
          JSON.stringify(patchBody({ op: 'remove', path: 'members' })),
          headers,
        ),
        415,
      );
    }
  });

  it('missing, invalid and other-scheme Authorization → 401 with WWW-Authenticate', async () => {
    const [prefix, secret] = [org.token.slice(0, -4), org.token.slice(-4)];
    const tampered = `${prefix}${secret === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    const headerSets: (Record<string, string> | undefined)[] = [
      undefined,
      { Authorization: '' },
      { Authorization: 'Bearer' },
      { Authorization: 'Bearer ' },
      { Authorization: 'Bearer not-a-key' },
      { Authorization: `Bearer ${tampered}` },
      { Authorization: `Basic ${Buffer.from(`user:${org.token}`).toString('base64')}` },
      { Authorization: `Token ${org.token}` },
      { Authorization: org.token },
      { Authorization: `Bearer ${org.token} extra` },
    ];
    for (const headers of headerSets) {
      for (const [method, path, body] of [
        ['GET', '/Users'],
        ['POST', '/Users', { schemas: [USER_SCHEMA], userName: upn('anon') }],
        ['DELETE', `/Users/${user.id}`],
        ['PATCH', `/Groups/${group.id}`, patchBody({ op: 'remove', path: 'members' })],
        ['GET', '/ServiceProviderConfig'],
      ] as [string, string, unknown?][]) {
        const res = await send(`${org.base}${path}`, method, undefined, body, headers ?? {});
        expectScimError(res, 401);
        expect(res.headers.get('www-authenticate'), JSON.stringify(headers)).toMatch(/^Bearer realm=/);
      }
    }
    // The scheme word is case-insensitive (RFC 7235): `bearer` works.
    const lower = await send(`${org.base}/Users`, 'GET', undefined, undefined, {
      Authorization: `bearer ${org.token}`,
    });
    expect(lower.status).toBe(200);
    expect(await snapshot()).toEqual(baseline);
  });

  it('unknown endpoints → 404 with a SCIM body', async () => {
    for (const path of [
      '/Foo',
      '/Bulk',
      '/Me',
      '/users/x/y',
      `/Users/${user.id}/groups`,
      '/Schemas/x/y',
      '/',
    ]) {
      await rejected(await org.request('GET', path), 404);
    }
    await rejected(
      await org.request('POST', '/Bulk', { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'] }),
      404,
    );
    expectScimError(await org.request('GET', '/ResourceTypes/Device'), 404);
  });

  it('wrong method → 405 SCIM error naming the supported methods (Allow), never a 5xx', async () => {
    const attempts: [string, string, string | undefined, unknown?][] = [
      ['DELETE', '/Users', 'GET, POST'],
      ['PUT', '/Users', 'GET, POST', { schemas: [USER_SCHEMA], userName: upn() }],
      ['PATCH', '/Users', 'GET, POST', patchBody({ op: 'replace', path: 'active', value: false })],
      ['POST', `/Users/${user.id}`, 'GET, PUT, PATCH, DELETE', { schemas: [USER_SCHEMA], userName: upn() }],
      ['DELETE', '/Groups', 'GET, POST'],
      ['PATCH', '/Groups', 'GET, POST', patchBody({ op: 'remove', path: 'members' })],
      ['POST', `/Groups/${group.id}`, 'GET, PUT, PATCH, DELETE', { displayName: 'x' }],
      ['DELETE', '/Schemas', 'GET'],
      ['POST', '/ServiceProviderConfig', 'GET', {}],
      ['PUT', '/ResourceTypes/User', 'GET', {}],
      // `.search` is read as an id by GET /Users/:id: a plain "no such user".
      ['GET', '/Users/.search', undefined],
    ];
    for (const [method, path, allow, body] of attempts) {
      const res = await org.request(method, path, body);
      await rejected(res, allow ? 405 : 404);
      expect(res.headers.get('allow'), `${method} ${path}`).toBe(allow ?? null);
      if (allow) expect(res.body.detail).toContain(`${method} is not supported`);
    }
  });
});
