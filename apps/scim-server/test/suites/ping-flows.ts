/**
 * Ping Identity flows (docs/reference/ping.md#users, #groups, #scripted-tests): filter casing and encodings,
 * PUT-based user updates, disable and re-enable, group paging, PUT and PATCH membership, content
 * types, the double-slash base URL, replay after a full resync, discovery.
 * ping-conformance.test.ts runs it against PostgreSQL and PGlite.
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { type Harness, type Org, send } from '../harness.js';
import {
  createGroup,
  createUser,
  createUsers,
  ENTERPRISE,
  expectList,
  expectScimError,
  GROUP_SCHEMA,
  getOk,
  memberIds,
  patchBody,
  pctEncoded,
  plusEncoded,
  rand,
  USER_SCHEMA,
} from '../helpers.js';

/** The create body of docs/reference/ping.md#user-create (default mappings). */
function pingUser(userName: string, extra: Record<string, unknown> = {}) {
  return {
    schemas: [USER_SCHEMA],
    userName,
    name: { givenName: 'Janet', familyName: 'Smith' },
    emails: [{ value: userName, type: 'work', primary: true }],
    phoneNumbers: [{ value: '+1 555 0100', type: 'work', primary: true }],
    active: true,
    ...extra,
  };
}

const jsmith = () => `jsmith.${rand()}@example.com`;

async function filterUsers(org: Org, encodedFilter: string) {
  return expectList(await org.request('GET', `/Users?filter=${encodedFilter}`));
}

export function pingFlows(harness: () => Harness): void {
  let org: Org;
  const newOrg = async () => {
    org = await harness().newOrg();
    return org;
  };

  it('T04 filter casing: `username Eq`, `USERNAME EQ` and `userName eq` give the same result', async () => {
    await newOrg();
    const userName = jsmith();
    const user = await createUser(org, pingUser(userName));
    for (const filter of [
      `username Eq "${userName}"`,
      `USERNAME EQ "${userName}"`,
      `userName eq "${userName}"`,
      `UserName eQ "${userName.toUpperCase()}"`,
    ]) {
      const list = await filterUsers(org, pctEncoded(filter));
      expect(list.totalResults, filter).toBe(1);
      expect(list.Resources[0].id).toBe(user.id);
    }
    // Operator keywords in any case elsewhere too.
    const list = await filterUsers(
      org,
      pctEncoded(`USERNAME SW "jsmith." AND Active EQ True AND NOT (userName Eq "x")`),
    );
    expect(list.Resources.map((r) => r.id)).toEqual([user.id]);
  });

  it('T05 filter encodings: %20 vs +, UTF-8 values, escaped quotes → correct match, never 500', async () => {
    await newOrg();
    const plain = await createUser(org, pingUser(jsmith()));
    const unicodeName = `jürgen.müller.${rand()}@bücher.example`;
    const unicode = await createUser(org, pingUser(unicodeName, { displayName: '山田 太郎' }));
    const quotedName = `o"brien\\${rand()}@example.com`;
    const quoted = await createUser(org, pingUser(quotedName));

    for (const encode of [pctEncoded, plusEncoded]) {
      const a = await filterUsers(org, encode(`userName eq "${plain.userName}"`));
      expect(a.Resources.map((r) => r.id)).toEqual([plain.id]);
      const b = await filterUsers(org, encode(`userName eq "${unicodeName}"`));
      expect(b.Resources.map((r) => r.id)).toEqual([unicode.id]);
      const c = await filterUsers(org, encode('displayName eq "山田 太郎"'));
      expect(c.Resources.map((r) => r.id)).toEqual([unicode.id]);
      // Inside a filter string, `"` and `\` are JSON-escaped.
      const d = await filterUsers(org, encode(`userName eq ${JSON.stringify(quotedName)}`));
      expect(d.Resources.map((r) => r.id)).toEqual([quoted.id]);
      expect(d.Resources[0].userName).toBe(quotedName);
    }
    // ASCII letters fold; non-ASCII case folding follows the database collation (lower()), which
    // the uniqueness index uses as well, so lookups and uniqueness always agree.
    const folded = await filterUsers(org, pctEncoded(`userName eq "${unicodeName.replace('j', 'J')}"`));
    expect(folded.Resources.map((r) => r.id)).toEqual([unicode.id]);
    // An unescaped quote is a syntax error: 400 invalidFilter, not a 500.
    const broken = await org.request('GET', `/Users?filter=${pctEncoded('userName eq "o"brien"')}`);
    expectScimError(broken, 400, 'invalidFilter');
  });

  it('T06 lookup miss → 200, totalResults 0, Resources []', async () => {
    await newOrg();
    await createUser(org, pingUser(jsmith()));
    const list = await filterUsers(org, pctEncoded(`username Eq "nobody.${rand()}@example.com"`));
    expect(list).toMatchObject({ totalResults: 0, Resources: [], startIndex: 1, itemsPerPage: 0 });
  });

  it('T07 lookup hit, case-insensitive userName: stored JSmith@x, filter jsmith@x → 1 result', async () => {
    await newOrg();
    const userName = `JSmith.${rand()}@Example.com`;
    const user = await createUser(org, pingUser(userName));
    const list = await filterUsers(org, pctEncoded(`username Eq "${userName.toLowerCase()}"`));
    expect(list.totalResults).toBe(1);
    // The full resource, with id, active, and multi-valued attributes with type and primary.
    expect(list.Resources[0]).toMatchObject({
      id: user.id,
      userName,
      active: true,
      emails: [{ value: userName, type: 'work', primary: true }],
      phoneNumbers: [{ value: '+1 555 0100', type: 'work', primary: true }],
    });
  });

  it('T08 emails filter: `emails eq "a@x"` matches on emails.value', async () => {
    await newOrg();
    const email = `a.${rand()}@x.example`;
    const user = await createUser(
      org,
      pingUser(jsmith(), {
        emails: [
          { value: `home.${rand()}@example.net`, type: 'home' },
          { value: email, type: 'work', primary: true },
        ],
      }),
    );
    await createUser(org, pingUser(jsmith()));
    for (const filter of [`emails eq "${email}"`, `emails eq "${email.toUpperCase()}"`]) {
      const list = await filterUsers(org, pctEncoded(filter));
      expect(list.Resources.map((r) => r.id)).toEqual([user.id]);
    }
    const subAttribute = await filterUsers(org, pctEncoded(`emails.value eq "${email}"`));
    expect(subAttribute.Resources.map((r) => r.id)).toEqual([user.id]);
    // Ping's unquoted pf default, `emails eq <value>`.
    const unquoted = await filterUsers(org, pctEncoded(`emails eq ${email}`));
    expect(unquoted.Resources.map((r) => r.id)).toEqual([user.id]);
  });

  it('T09–T11 create (type/primary kept), create disabled, create duplicate → 201, 201, 409', async () => {
    await newOrg();
    const userName = jsmith();
    const res = await org.request('POST', '/Users', pingUser(userName, { password: 'S3cret!' }));
    expect(res.status, res.text).toBe(201);
    expect(res.body.id).toEqual(expect.any(String));
    expect(res.body.emails).toEqual([{ value: userName, type: 'work', primary: true }]);
    expect(res.body.phoneNumbers).toEqual([{ value: '+1 555 0100', type: 'work', primary: true }]);
    expect(res.body).not.toHaveProperty('password');

    const disabledName = jsmith();
    const disabled = await org.request('POST', '/Users', pingUser(disabledName, { active: false }));
    expect(disabled.status, disabled.text).toBe(201);
    expect(disabled.body.active).toBe(false);
    expect((await getOk(org, `/Users/${disabled.body.id}`)).active).toBe(false);

    expectScimError(await org.request('POST', '/Users', pingUser(userName)), 409, 'uniqueness');
  });

  it('T12–T14 PUT: full body with a changed name → 200 full resource; id/meta echoed are ignored; no password needed', async () => {
    await newOrg();
    const userName = jsmith();
    const created = await createUser(org, pingUser(userName, { password: 'S3cret!', title: 'Clerk' }));
    const before = await getOk(org, `/Users/${created.id}`);
    // T12: GET then PUT the full body.
    const put = await org.request('PUT', `/Users/${created.id}`, {
      ...pingUser(userName),
      id: created.id,
      name: { givenName: 'Janet', familyName: 'Smith-Jones' },
    });
    expect(put.status, put.text).toBe(200);
    expect(put.body.id).toBe(created.id);
    expect(put.body.name).toEqual({ givenName: 'Janet', familyName: 'Smith-Jones' });
    expect(put.body.meta.version).not.toBe(before.meta.version);
    // PUT replaces: an attribute left out of the body is gone (RFC 7644 §3.5.1).
    expect(put.body).not.toHaveProperty('title');
    expect((await getOk(org, `/Users/${created.id}`)).name.familyName).toBe('Smith-Jones');

    // T13: the body echoes `id` and `meta` (even stale or foreign ones): ignored.
    const echoed = await org.request('PUT', `/Users/${created.id}`, {
      ...put.body,
      id: randomUUID(),
      meta: { resourceType: 'Group', created: '2001-01-01T00:00:00Z', version: 'W/"999"' },
      displayName: 'Janet Smith-Jones',
    });
    expect(echoed.status, echoed.text).toBe(200);
    expect(echoed.body.id).toBe(created.id);
    expect(echoed.body.displayName).toBe('Janet Smith-Jones');
    expect(echoed.body.meta.resourceType).toBe('User');
    expect(echoed.body.meta.created).toBe(before.meta.created);

    // T14: PUT without password: accepted, and a password is never returned.
    const withoutPassword = await org.request('PUT', `/Users/${created.id}`, pingUser(userName));
    expect(withoutPassword.status, withoutPassword.text).toBe(200);
    expect(withoutPassword.body).not.toHaveProperty('password');
    expect(await getOk(org, `/Users/${created.id}`)).not.toHaveProperty('password');
  });

  it('T15–T18 disable by PUT (still found by GET and filter), re-enable, delete, delete again', async () => {
    await newOrg();
    const userName = jsmith();
    const user = await createUser(org, pingUser(userName));
    const off = await org.request('PUT', `/Users/${user.id}`, pingUser(userName, { active: false }));
    expect(off.status, off.text).toBe(200);
    expect(off.body.active).toBe(false);
    expect((await getOk(org, `/Users/${user.id}`)).active).toBe(false);
    const found = await filterUsers(org, pctEncoded(`username Eq "${userName}"`));
    expect(found.Resources).toEqual([expect.objectContaining({ id: user.id, active: false })]);
    const activeOnly = await filterUsers(org, pctEncoded(`userName eq "${userName}" and active eq true`));
    expect(activeOnly.totalResults).toBe(0);

    const on = await org.request('PUT', `/Users/${user.id}`, pingUser(userName, { active: true }));
    expect(on.status, on.text).toBe(200);
    expect((await getOk(org, `/Users/${user.id}`)).active).toBe(true);

    expect((await org.request('DELETE', `/Users/${user.id}`)).status).toBe(204);
    expectScimError(await org.request('GET', `/Users/${user.id}`), 404);
    expectScimError(await org.request('DELETE', `/Users/${user.id}`), 404);
    expectScimError(await org.request('PUT', `/Users/${user.id}`, pingUser(userName)), 404);
  });

  it('T19 PATCH (PingDataSync): lower-case replace of name.familyName and active → 200/204', async () => {
    await newOrg();
    const user = await createUser(org, pingUser(jsmith()));
    const res = await org.request(
      'PATCH',
      `/Users/${user.id}`,
      patchBody(
        { op: 'replace', path: 'name.familyName', value: 'Smith-Jones' },
        { op: 'replace', path: 'active', value: false },
      ),
    );
    expect([200, 204], res.text).toContain(res.status);
    const after = await getOk(org, `/Users/${user.id}`);
    expect(after.name).toEqual({ givenName: 'Janet', familyName: 'Smith-Jones' });
    expect(after.active).toBe(false);
  });

  it('T20 group list paging: startIndex/count pages → correct paging, displayName present', async () => {
    await newOrg();
    const names = Array.from({ length: 7 }, (_, i) => `Group ${i} ${rand()}`);
    for (const name of names) await createGroup(org, name);
    const all = expectList(await org.request('GET', '/Groups?startIndex=1&count=1000'), 7);
    expect(all).toMatchObject({ startIndex: 1, itemsPerPage: 7 });
    expect(all.Resources.map((g) => g.displayName).sort()).toEqual([...names].sort());
    // A smaller page size, walked until everything is seen.
    const seen: string[] = [];
    for (let startIndex = 1; ; startIndex += 3) {
      const page = expectList(await org.request('GET', `/Groups?startIndex=${startIndex}&count=3`), 7);
      expect(page.startIndex).toBe(startIndex);
      if (page.Resources.length === 0) break;
      expect(page.itemsPerPage).toBe(Math.min(3, 7 - startIndex + 1));
      for (const group of page.Resources) expect(group.displayName).toEqual(expect.any(String));
      seen.push(...page.Resources.map((g) => g.displayName));
    }
    expect(seen).toEqual(all.Resources.map((g) => g.displayName));
  });

  it('T21 group filter: displayName eq "Accounting" and a non-ASCII "Zürich Büro" → correct match', async () => {
    await newOrg();
    const accounting = await createGroup(org, 'Accounting');
    const zurich = await createGroup(org, 'Zürich Büro');
    await createGroup(org, 'Zurich Buro');
    for (const encode of [pctEncoded, plusEncoded]) {
      const a = expectList(
        await org.request('GET', `/Groups?filter=${encode('displayName eq "Accounting"')}`),
      );
      expect(a.Resources.map((g) => g.id)).toEqual([accounting.id]);
      const z = expectList(
        await org.request('GET', `/Groups?filter=${encode('displayName eq "Zürich Büro"')}`),
      );
      expect(z.Resources.map((g) => g.id)).toEqual([zurich.id]);
      expect(z.Resources[0].displayName).toBe('Zürich Büro');
    }
    // displayName compares case-insensitively (ASCII letters; see T05 for non-ASCII).
    const upper = expectList(
      await org.request('GET', `/Groups?filter=${pctEncoded('displayName eq "ZüRICH BüRO"')}`),
    );
    expect(upper.Resources.map((g) => g.id)).toEqual([zurich.id]);
  });

  it('T22–T23 group create with members and no externalId → 201 with id, members stored', async () => {
    await newOrg();
    const ids = await createUsers(org, 2);
    const res = await org.request('POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: `Accounting ${rand()}`,
      members: ids.map((value) => ({ value })),
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.id).toEqual(expect.any(String));
    expect(res.body).not.toHaveProperty('externalId');
    expect(res.body.members.map((m: { value: string }) => m.value).sort()).toEqual([...ids].sort());
    expect(await memberIds(org, res.body.id)).toEqual([...ids].sort());
  });

  it('T24 group PUT with a shorter members list → absent members removed', async () => {
    await newOrg();
    const ids = await createUsers(org, 3);
    const group = await createGroup(org, `Overwrite ${rand()}`, ids);
    const kept = ids[0] as string;
    const put = await org.request('PUT', `/Groups/${group.id}`, {
      schemas: [GROUP_SCHEMA],
      displayName: group.displayName,
      members: [{ value: kept }],
    });
    expect(put.status, put.text).toBe(200);
    expect(put.body.members.map((m: { value: string }) => m.value)).toEqual([kept]);
    expect(await memberIds(org, group.id)).toEqual([kept]);
    // The removed users still exist.
    for (const id of ids) await getOk(org, `/Users/${id}`);
  });

  it('T25–T26 group PATCH add/remove, filtered remove, capitalised ops → correct membership', async () => {
    await newOrg();
    const [a, b, c, d] = (await createUsers(org, 4)) as [string, string, string, string];
    const group = await createGroup(org, `Patched ${rand()}`, [a]);
    const patch = async (...ops: Record<string, unknown>[]) => {
      const res = await org.request('PATCH', `/Groups/${group.id}`, patchBody(...ops));
      expect([200, 204], res.text).toContain(res.status);
    };
    // ping.md#group-membership simulator default: add with a value array plus a filtered remove, in one
    // request.
    await patch(
      { op: 'add', path: 'members', value: [{ value: b }, { value: c }] },
      { op: 'remove', path: `members[value eq "${a}"]` },
    );
    expect(await memberIds(org, group.id)).toEqual([b, c].sort());
    // remove with path "members" plus a value array.
    await patch({ op: 'remove', path: 'members', value: [{ value: b }] });
    expect(await memberIds(org, group.id)).toEqual([c]);
    // Capitalised ops (T26).
    await patch({ op: 'Add', path: 'members', value: [{ value: d }, { value: a }] });
    expect(await memberIds(org, group.id)).toEqual([a, c, d].sort());
    await patch({ op: 'Remove', path: `members[value eq "${c}"]` });
    expect(await memberIds(org, group.id)).toEqual([a, d].sort());
    // replace of members.
    await patch({ op: 'replace', path: 'members', value: [{ value: b }] });
    expect(await memberIds(org, group.id)).toEqual([b]);
    // remove of everything.
    await patch({ op: 'remove', path: 'members' });
    expect(await memberIds(org, group.id)).toEqual([]);
  });

  it('T27 group rename via PUT and via PATCH', async () => {
    await newOrg();
    const [member] = (await createUsers(org, 1)) as [string];
    const group = await createGroup(org, `Before ${rand()}`, [member]);
    const viaPut = `After PUT ${rand()}`;
    const put = await org.request('PUT', `/Groups/${group.id}`, {
      schemas: [GROUP_SCHEMA],
      displayName: viaPut,
      members: [{ value: member }],
    });
    expect(put.status, put.text).toBe(200);
    expect(put.body.displayName).toBe(viaPut);
    const viaPatch = `After PATCH ${rand()}`;
    const patch = await org.request(
      'PATCH',
      `/Groups/${group.id}`,
      patchBody({ op: 'replace', path: 'displayName', value: viaPatch }),
    );
    expect([200, 204], patch.text).toContain(patch.status);
    const after = await getOk(org, `/Groups/${group.id}`);
    expect(after.displayName).toBe(viaPatch);
    expect(after.members.map((m: { value: string }) => m.value)).toEqual([member]);
    // The user's groups show the new name.
    expect((await getOk(org, `/Users/${member}`)).groups[0].display).toBe(viaPatch);
  });

  it('T28 group delete → 204', async () => {
    await newOrg();
    const group = await createGroup(org, `Delete me ${rand()}`);
    expect((await org.request('DELETE', `/Groups/${group.id}`)).status).toBe(204);
    expectScimError(await org.request('GET', `/Groups/${group.id}`), 404);
  });

  it('T29 content types: application/json and application/scim+json both accepted', async () => {
    await newOrg();
    for (const contentType of [
      'application/json',
      'application/scim+json',
      'application/json; charset=utf-8',
    ]) {
      const headers = { 'Content-Type': contentType };
      const userName = jsmith();
      const created = await org.request('POST', '/Users', pingUser(userName), headers);
      expect(created.status, `${contentType}: ${created.text}`).toBe(201);
      const put = await org.request(
        'PUT',
        `/Users/${created.body.id}`,
        pingUser(userName, { title: contentType }),
        headers,
      );
      expect(put.status, put.text).toBe(200);
      const patch = await org.request(
        'PATCH',
        `/Users/${created.body.id}`,
        patchBody({ op: 'replace', path: 'nickName', value: 'J' }),
        headers,
      );
      expect([200, 204], patch.text).toContain(patch.status);
      const after = await getOk(org, `/Users/${created.body.id}`);
      expect(after).toMatchObject({ title: contentType, nickName: 'J' });
      const group = await org.request('POST', '/Groups', { displayName: `CT ${rand()}` }, headers);
      expect(group.status, group.text).toBe(201);
      // The answer is always SCIM's media type.
      expect(created.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    }
  });

  it('T30 base URL with a trailing slash: GET {base}//Users works', async () => {
    await newOrg();
    const userName = jsmith();
    const user = await createUser(org, pingUser(userName));
    const res = await send(
      `${org.base}//Users?filter=${pctEncoded(`username Eq "${userName}"`)}`,
      'GET',
      org.token,
    );
    expect(expectList(res, 1).Resources[0].id).toBe(user.id);
    const byId = await send(`${org.base}//Users/${user.id}`, 'GET', org.token);
    expect(byId.status, byId.text).toBe(200);
    const created = await send(`${org.base}//Groups`, 'POST', org.token, { displayName: `Slash ${rand()}` });
    expect(created.status, created.text).toBe(201);
    // Locations are canonical, without the double slash.
    expect(created.body.meta.location).toBe(`${org.base}/Groups/${created.body.id}`);
  });

  it('T31 full resync replay: the T09–T16 sequence twice is idempotent (no 409 on unchanged users)', async () => {
    await newOrg();
    const people = [jsmith(), jsmith(), jsmith()];
    const memberIdsByRun: string[][] = [];
    const groupName = `Resync ${rand()}`;
    for (let run = 0; run < 2; run++) {
      const ids: string[] = [];
      for (const userName of people) {
        // Ping looks up first; only a miss is created.
        const lookup = await filterUsers(org, pctEncoded(`username Eq "${userName}"`));
        let id: string;
        if (lookup.totalResults === 0) {
          expect(run).toBe(0);
          id = (await createUser(org, pingUser(userName))).id;
        } else {
          expect(lookup.totalResults).toBe(1);
          id = lookup.Resources[0].id;
        }
        // Full PUT of the same content, disable and re-enable: each succeeds on every run.
        const before = await getOk(org, `/Users/${id}`);
        const same = await org.request('PUT', `/Users/${id}`, pingUser(userName));
        expect(same.status, same.text).toBe(200);
        // An identical PUT changes nothing, so the version stays (no spurious change for the IdP).
        expect(same.body.meta.version).toBe(before.meta.version);
        expect(same.headers.get('etag')).toBe(before.meta.version);
        const again = await org.request('PUT', `/Users/${id}`, pingUser(userName));
        expect(again.status, again.text).toBe(200);
        expect(again.body).toEqual(same.body);
        expect((await org.request('PUT', `/Users/${id}`, pingUser(userName, { active: false }))).status).toBe(
          200,
        );
        expect((await org.request('PUT', `/Users/${id}`, pingUser(userName, { active: true }))).status).toBe(
          200,
        );
        // A create replayed by mistake is a clean 409, never a second user.
        expectScimError(await org.request('POST', '/Users', pingUser(userName)), 409, 'uniqueness');
        ids.push(id);
      }
      // Groups: looked up by name, then overwritten with the same members by PUT.
      const groups = expectList(
        await org.request('GET', `/Groups?filter=${pctEncoded(`displayName eq "${groupName}"`)}`),
      );
      const groupId =
        groups.totalResults === 0
          ? (await createGroup(org, groupName)).id
          : (groups.Resources[0].id as string);
      for (let i = 0; i < 2; i++) {
        const put = await org.request('PUT', `/Groups/${groupId}`, {
          schemas: [GROUP_SCHEMA],
          displayName: groupName,
          members: ids.map((value) => ({ value })),
        });
        expect(put.status, put.text).toBe(200);
      }
      memberIdsByRun.push(await memberIds(org, groupId));
    }
    expect(memberIdsByRun[1]).toEqual(memberIdsByRun[0]);
    expect(memberIdsByRun[0]).toHaveLength(3);
    expect(expectList(await org.request('GET', '/Users')).totalResults).toBe(3);
    expect(expectList(await org.request('GET', '/Groups')).totalResults).toBe(1);
  });

  it('T33 schema discovery: /Schemas, /ResourceTypes, /ServiceProviderConfig are valid, with extension URNs', async () => {
    await newOrg();
    const spc = await getOk(org, '/ServiceProviderConfig');
    expect(spc.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig']);
    expect(spc.patch.supported).toBe(true);
    expect(spc.filter).toMatchObject({ supported: true, maxResults: expect.any(Number) });
    expect(spc.bulk.supported).toBe(false);
    expect(spc.authenticationSchemes.length).toBeGreaterThan(0);
    expect(spc.authenticationSchemes[0]).toMatchObject({ type: 'oauthbearertoken' });

    const types = expectList(await org.request('GET', '/ResourceTypes'));
    expect(types.totalResults).toBe(2);
    // biome-ignore lint/suspicious/noExplicitAny: SCIM JSON
    const user = types.Resources.find((t: any) => t.id === 'User');
    expect(user).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
      name: 'User',
      endpoint: '/Users',
      schema: USER_SCHEMA,
      schemaExtensions: [{ schema: ENTERPRISE, required: false }],
    });
    // biome-ignore lint/suspicious/noExplicitAny: SCIM JSON
    expect(types.Resources.find((t: any) => t.id === 'Group')).toMatchObject({
      endpoint: '/Groups',
      schema: GROUP_SCHEMA,
    });
    expect((await getOk(org, '/ResourceTypes/User')).endpoint).toBe('/Users');

    const schemas = expectList(await org.request('GET', '/Schemas'));
    // biome-ignore lint/suspicious/noExplicitAny: SCIM JSON
    expect(schemas.Resources.map((s: any) => s.id).sort()).toEqual(
      [ENTERPRISE, GROUP_SCHEMA, USER_SCHEMA].sort(),
    );
    const enterprise = await getOk(org, `/Schemas/${ENTERPRISE}`);
    // biome-ignore lint/suspicious/noExplicitAny: SCIM JSON
    const attributeNames = enterprise.attributes.map((a: any) => a.name);
    expect(attributeNames).toEqual(
      expect.arrayContaining([
        'employeeNumber',
        'costCenter',
        'organization',
        'division',
        'department',
        'manager',
      ]),
    );
    // Every attribute carries the RFC 7643 §7 characteristics a client reads.
    const userSchema = await getOk(org, `/Schemas/${USER_SCHEMA}`);
    for (const attribute of userSchema.attributes) {
      expect(attribute).toMatchObject({
        name: expect.any(String),
        type: expect.any(String),
        multiValued: expect.any(Boolean),
        required: expect.any(Boolean),
        mutability: expect.any(String),
        returned: expect.any(String),
      });
    }
    expectScimError(await org.request('GET', '/Schemas/urn:example:unknown'), 404);
  });
}
