/**
 * Resource semantics beyond the IdP flows: ETags and If-Match (RFC 7644 §3.14), Location and
 * meta, attribute projection, sorting, paging and its totals, POST .search, and values stored
 * exactly as sent. PostgreSQL only.
 */
import { randomUUID } from 'node:crypto';
import { insertMember } from '@roster/directory/members';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Org } from './harness.js';
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
  rand,
  SEARCH_REQUEST,
  USER_SCHEMA,
  upn,
  useHarness,
} from './helpers.js';

describe('resource semantics (postgres)', () => {
  const harness = useHarness('postgres');

  describe('ETags and If-Match', () => {
    let org: Org;
    beforeAll(async () => {
      org = await harness().newOrg();
    });

    it('meta.version equals the ETag header and changes on every write', async () => {
      const created = await org.request('POST', '/Users', { schemas: [USER_SCHEMA], userName: upn('etag') });
      expect(created.status).toBe(201);
      const id = created.body.id;
      const versions = [created.body.meta.version];
      expect(created.headers.get('etag')).toBe(created.body.meta.version);
      expect(created.body.meta.version).toMatch(/^W\/".+"$/);

      const got = await org.request('GET', `/Users/${id}`);
      expect(got.headers.get('etag')).toBe(got.body.meta.version);
      expect(got.body.meta.version).toBe(versions[0]);

      const patched = await org.request(
        'PATCH',
        `/Users/${id}`,
        patchBody({ op: 'replace', path: 'title', value: 'One' }),
      );
      expect(patched.status).toBe(204);
      const afterPatch = await getOk(org, `/Users/${id}`);
      expect(patched.headers.get('etag')).toBe(afterPatch.meta.version);
      versions.push(afterPatch.meta.version);

      const put = await org.request('PUT', `/Users/${id}`, { ...afterPatch, title: 'Two' });
      expect(put.status).toBe(200);
      expect(put.headers.get('etag')).toBe(put.body.meta.version);
      versions.push(put.body.meta.version);

      // PATCH asking for attributes back answers 200 with the resource and the same tag.
      const withBody = await org.request(
        'PATCH',
        `/Users/${id}?attributes=title,meta.version`,
        patchBody({ op: 'replace', path: 'title', value: 'Three' }),
      );
      expect(withBody.status).toBe(200);
      expect(withBody.body).toEqual({
        schemas: [USER_SCHEMA],
        id,
        title: 'Three',
        meta: { version: expect.any(String) },
      });
      expect(withBody.headers.get('etag')).toBe(withBody.body.meta.version);
      versions.push(withBody.body.meta.version);

      expect(new Set(versions).size).toBe(versions.length);
      // lastModified moves with the version.
      const last = await getOk(org, `/Users/${id}`);
      expect(last.meta.version).toBe(versions.at(-1));
      expect(Date.parse(last.meta.lastModified)).toBeGreaterThanOrEqual(Date.parse(last.meta.created));

      // Groups: membership changes are writes too.
      const group = await createGroup(org, `Tagged ${rand()}`);
      const add = await org.request(
        'PATCH',
        `/Groups/${group.id}`,
        patchBody({ op: 'add', path: 'members', value: [{ value: id }] }),
      );
      expect(add.status).toBe(204);
      expect(add.headers.get('etag')).not.toBe((group.meta as { version: string }).version);
      const readBack = await org.request('GET', `/Groups/${group.id}`);
      expect(readBack.headers.get('etag')).toBe(add.headers.get('etag'));
      expect(readBack.body.meta.version).toBe(add.headers.get('etag'));
    });

    it('If-Match with a stale tag → 412 and no change; with the current tag or * → success', async () => {
      const user = await createUser(org, { userName: upn('precondition'), title: 'Original' });
      const stale = (user.meta as { version: string }).version;
      await org.request(
        'PATCH',
        `/Users/${user.id}`,
        patchBody({ op: 'replace', path: 'title', value: 'Moved on' }),
      );
      const current = await getOk(org, `/Users/${user.id}`);
      expect(current.meta.version).not.toBe(stale);

      const attempts: [string, unknown?][] = [
        ['PATCH', patchBody({ op: 'replace', path: 'title', value: 'Lost update' })],
        ['PUT', { schemas: [USER_SCHEMA], userName: current.userName, title: 'Lost update' }],
        ['DELETE'],
      ];
      for (const [method, body] of attempts) {
        const res = await org.request(method, `/Users/${user.id}`, body, { 'If-Match': stale });
        expectScimError(res, 412);
        expect(await getOk(org, `/Users/${user.id}`)).toEqual(current);
      }
      // The current tag, weak or strong, succeeds.
      const ok = await org.request(
        'PATCH',
        `/Users/${user.id}`,
        patchBody({ op: 'replace', path: 'title', value: 'Checked' }),
        { 'If-Match': current.meta.version },
      );
      expect(ok.status).toBe(204);
      const strong = (ok.headers.get('etag') as string).replace(/^W\//, '');
      const put = await org.request(
        'PUT',
        `/Users/${user.id}`,
        { schemas: [USER_SCHEMA], userName: current.userName, title: 'Strong' },
        { 'If-Match': strong },
      );
      expect(put.status, put.text).toBe(200);
      // One of several listed tags, and the wildcard.
      const listed = await org.request(
        'PATCH',
        `/Users/${user.id}`,
        patchBody({ op: 'replace', path: 'title', value: 'Listed' }),
        { 'If-Match': `${stale}, ${put.body.meta.version}` },
      );
      expect(listed.status).toBe(204);
      expect((await org.request('DELETE', `/Users/${user.id}`, undefined, { 'If-Match': '*' })).status).toBe(
        204,
      );

      // Groups honour it as well.
      const group = await createGroup(org, `Guarded ${rand()}`);
      const groupStale = (group.meta as { version: string }).version;
      await org.request(
        'PATCH',
        `/Groups/${group.id}`,
        patchBody({ op: 'replace', path: 'displayName', value: `G ${rand()}` }),
      );
      const groupNow = await getOk(org, `/Groups/${group.id}`);
      expectScimError(
        await org.request(
          'PATCH',
          `/Groups/${group.id}`,
          patchBody({ op: 'replace', path: 'displayName', value: 'x' }),
          {
            'If-Match': groupStale,
          },
        ),
        412,
      );
      expectScimError(
        await org.request('DELETE', `/Groups/${group.id}`, undefined, { 'If-Match': groupStale }),
        412,
      );
      expect(await getOk(org, `/Groups/${group.id}`)).toEqual(groupNow);
      expect(
        (await org.request('DELETE', `/Groups/${group.id}`, undefined, { 'If-Match': groupNow.meta.version }))
          .status,
      ).toBe(204);
    });
  });

  it('Location on create equals meta.location, which resolves to the resource', async () => {
    const org = await harness().newOrg();
    const user = await org.request('POST', '/Users', { schemas: [USER_SCHEMA], userName: upn('located') });
    const group = await org.request('POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: `Located ${rand()}`,
    });
    for (const [res, type] of [
      [user, 'Users'],
      [group, 'Groups'],
    ] as const) {
      expect(res.status).toBe(201);
      expect(res.headers.get('location')).toBe(res.body.meta.location);
      expect(res.body.meta.location).toBe(`${org.base}/${type}/${res.body.id}`);
      const fetched = await fetch(res.body.meta.location, {
        headers: { Authorization: `Bearer ${org.token}` },
      });
      expect(fetched.status).toBe(200);
      expect(((await fetched.json()) as { id: string }).id).toBe(res.body.id);
    }
    // Every read carries the same location.
    expect((await getOk(org, `/Users/${user.body.id}`)).meta.location).toBe(user.body.meta.location);
  });

  describe('attributes and excludedAttributes', () => {
    let org: Org;
    // biome-ignore lint/suspicious/noExplicitAny: SCIM JSON
    let user: any;
    let groupId: string;
    beforeAll(async () => {
      org = await harness().newOrg();
      user = await createUser(org, {
        userName: upn('projected'),
        displayName: 'Projected Person',
        name: { givenName: 'Pro', familyName: 'Jected' },
        emails: [
          { type: 'work', value: `work.${rand()}@contoso.com`, primary: true },
          { type: 'home', value: `home.${rand()}@example.net` },
        ],
        [ENTERPRISE]: { department: 'Optics', costCenter: 'CC-1' },
      });
      groupId = (await createGroup(org, `Projection ${rand()}`, [user.id])).id;
    });

    it('on GET by id', async () => {
      const only = await getOk(org, `/Users/${user.id}?attributes=userName,emails`);
      expect(Object.keys(only).sort()).toEqual(['emails', 'id', 'schemas', 'userName']);
      expect(only.emails).toHaveLength(2);

      const sub = await getOk(org, `/Users/${user.id}?attributes=name.givenName,${ENTERPRISE}:department`);
      expect(sub.name).toEqual({ givenName: 'Pro' });
      expect(sub[ENTERPRISE]).toEqual({ department: 'Optics' });
      expect(sub.userName).toBeUndefined();

      const filtered = await getOk(
        org,
        `/Users/${user.id}?attributes=${pctEncoded('emails[type eq "work"]')}`,
      );
      expect(filtered.emails).toEqual([user.emails[0]]);

      const excluded = await getOk(
        org,
        `/Users/${user.id}?excludedAttributes=emails,name,groups,${ENTERPRISE}`,
      );
      expect(excluded).not.toHaveProperty('emails');
      expect(excluded).not.toHaveProperty('name');
      expect(excluded).not.toHaveProperty('groups');
      expect(excluded).not.toHaveProperty(ENTERPRISE);
      expect(excluded).toMatchObject({
        id: user.id,
        userName: user.userName,
        displayName: 'Projected Person',
      });
      // id can never be excluded; names are case-insensitive; unknown names are ignored.
      const always = await getOk(org, `/Users/${user.id}?excludedAttributes=ID,DisplayName,noSuchThing`);
      expect(always.id).toBe(user.id);
      expect(always).not.toHaveProperty('displayName');

      const groupOnly = await getOk(org, `/Groups/${groupId}?attributes=displayName`);
      expect(Object.keys(groupOnly).sort()).toEqual(['displayName', 'id', 'schemas']);
      const members = await getOk(org, `/Groups/${groupId}?attributes=members.value`);
      expect(members.members).toEqual([{ value: user.id }]);
      // A user's groups are returned and can be asked for alone.
      const groups = await getOk(org, `/Users/${user.id}?attributes=groups`);
      expect(groups.groups).toEqual([expect.objectContaining({ value: groupId, type: 'direct' })]);
    });

    it('on lists and .search', async () => {
      const filter = pctEncoded(`userName eq "${user.userName}"`);
      const listed = expectList(await org.request('GET', `/Users?filter=${filter}&attributes=userName`), 1);
      expect(Object.keys(listed.Resources[0]).sort()).toEqual(['id', 'schemas', 'userName']);
      const excluded = expectList(
        await org.request('GET', `/Users?filter=${filter}&excludedAttributes=emails,meta`),
        1,
      );
      expect(excluded.Resources[0]).not.toHaveProperty('emails');
      expect(excluded.Resources[0]).not.toHaveProperty('meta');
      expect(excluded.Resources[0].name).toEqual(user.name);
      const groups = expectList(await org.request('GET', '/Groups?attributes=displayName'), 1);
      expect(groups.Resources[0]).not.toHaveProperty('members');
      const search = expectList(
        await org.request('POST', '/Users/.search', {
          schemas: [SEARCH_REQUEST],
          filter: `userName eq "${user.userName}"`,
          attributes: ['displayName'],
        }),
      );
      expect(search.totalResults).toBe(1);
      expect(Object.keys(search.Resources[0]).sort()).toEqual(['displayName', 'id', 'schemas']);
    });
  });

  it('sortBy and sortOrder', async () => {
    const org = await harness().newOrg();
    const people = [
      { userName: `carol.${rand()}@x.example`, name: { familyName: 'beta' }, title: 'B' },
      { userName: `Alice.${rand()}@x.example`, name: { familyName: 'Gamma' }, title: 'C' },
      { userName: `bob.${rand()}@x.example`, name: { familyName: 'alpha' } },
    ];
    for (const person of people) await createUser(org, person);
    const names = async (query: string) =>
      expectList(await org.request('GET', `/Users?${query}`), 3).Resources.map((r) => r.userName);
    const [carol, alice, bob] = people.map((p) => p.userName);
    // userName sorts case-insensitively (caseExact false).
    expect(await names('sortBy=userName')).toEqual([alice, bob, carol]);
    expect(await names('sortBy=userName&sortOrder=ascending')).toEqual([alice, bob, carol]);
    expect(await names('sortBy=userName&sortOrder=descending')).toEqual([carol, bob, alice]);
    expect(await names('sortBy=UserName&sortOrder=DESCENDING')).toEqual([carol, bob, alice]);
    expect(await names('sortBy=name.familyName')).toEqual([bob, carol, alice]);
    // Missing values sort last.
    expect(await names('sortBy=title')).toEqual([carol, alice, bob]);
    expect(await names('sortBy=meta.created')).toEqual([carol, alice, bob]);
    // Sorting and paging compose.
    const page = expectList(await org.request('GET', '/Users?sortBy=userName&startIndex=2&count=1'), 3);
    expect(page.Resources.map((r) => r.userName)).toEqual([bob]);
    expectScimError(await org.request('GET', '/Users?sortBy=noSuchAttribute'), 400, 'invalidPath');
    // Groups sort by displayName.
    for (const name of ['Zeta', 'alpha', 'Mid']) await createGroup(org, `${name} ${rand()}`);
    const groups = expectList(await org.request('GET', '/Groups?sortBy=displayName&sortOrder=descending'), 3);
    expect(groups.Resources.map((g) => g.displayName.split(' ')[0])).toEqual(['Zeta', 'Mid', 'alpha']);
  });

  describe('paging: totals and order on every kind of page', () => {
    let org: Org;
    /** The users the IdP sees, in creation order (each created after the previous one). */
    let visible: string[];
    /** The `pager` users: ids in creation order, and userNames, whose order differs from creation order. */
    let pagerIds: string[];
    let pagerName: (n: number) => string;
    let groupIds: string[];
    const ids = (list: { Resources: { id: string }[] }) => list.Resources.map((r) => r.id);
    const page = async (query: string, totalResults: number) =>
      expectList(await org.request('GET', `/Users?${query}`), totalResults);

    beforeAll(async () => {
      org = await harness().newOrg();
      const tag = rand();
      pagerName = (n) => `pager${n}.${tag}@x.example`;
      pagerIds = [];
      for (const n of [4, 1, 6, 3, 7, 2, 5])
        pagerIds.push((await createUser(org, { userName: pagerName(n) })).id);
      const others = [];
      for (const prefix of ['other-a', 'other-b'])
        others.push((await createUser(org, { userName: upn(prefix) })).id);
      visible = [...pagerIds, ...others];
      // Members made in the portal: not the IdP's (provisioning of existing users is off), so
      // neither listed nor counted, on a short page or a full one.
      await harness()
        .db.transaction()
        .execute(async (trx) => {
          for (const userName of [pagerName(8), upn('portal')]) {
            const data = {
              userName,
              emails: [{ value: userName, type: 'work', primary: true }],
              active: true,
            };
            await insertMember(trx, { orgId: org.id, id: randomUUID(), data, managedBy: 'portal' });
          }
        });
      groupIds = [];
      for (const name of ['one', 'two', 'three'])
        groupIds.push((await createGroup(org, `${name} ${tag}`)).id);
    });

    it('lists every user in creation order on one short page, without portal members', async () => {
      expect(ids(await page('', 9))).toEqual(visible);
      expect(ids(await page('count=100', 9))).toEqual(visible);
    });

    it('counts full pages, the exactly-full last page, a short last page and pages past the end', async () => {
      expect(ids(await page('startIndex=1&count=3', 9))).toEqual(visible.slice(0, 3));
      expect(ids(await page('startIndex=4&count=3', 9))).toEqual(visible.slice(3, 6));
      // Exactly full, and the last: nothing says so but the count.
      expect(ids(await page('startIndex=7&count=3', 9))).toEqual(visible.slice(6, 9));
      expect(ids(await page('startIndex=1&count=9', 9))).toEqual(visible);
      expect(ids(await page('startIndex=8&count=3', 9))).toEqual(visible.slice(7));
      expect(ids(await page('startIndex=9&count=5', 9))).toEqual(visible.slice(8));
      // Past the end: no resources, the right total, and the startIndex asked for.
      for (const startIndex of [10, 11, 500]) {
        const past = await page(`startIndex=${startIndex}&count=3`, 9);
        expect(past).toMatchObject({ startIndex, itemsPerPage: 0, Resources: [] });
      }
      // Pages of every size put together give the whole list, in order.
      for (const size of [1, 2, 4]) {
        const pages: string[] = [];
        for (let start = 1; start <= 9; start += size)
          pages.push(...ids(await page(`startIndex=${start}&count=${size}`, 9)));
        expect(pages).toEqual(visible);
      }
    });

    it('count=0 returns only the total, wherever it starts and whatever the filter', async () => {
      for (const query of ['count=0', 'startIndex=5&count=0', 'startIndex=500&count=0']) {
        expect(await page(query, 9)).toMatchObject({ itemsPerPage: 0, Resources: [] });
      }
      const filter = pctEncoded('userName sw "pager"');
      expect(await page(`filter=${filter}&count=0`, 7)).toMatchObject({ itemsPerPage: 0 });
      const none = pctEncoded('userName eq "nobody@x.example"');
      expect(await page(`filter=${none}&count=0`, 0)).toMatchObject({ itemsPerPage: 0 });
    });

    it('counts what the filter matches, on every kind of page', async () => {
      const filter = `filter=${pctEncoded('userName sw "pager"')}`;
      expect(ids(await page(filter, 7))).toEqual(pagerIds);
      expect(ids(await page(`${filter}&startIndex=1&count=3`, 7))).toEqual(pagerIds.slice(0, 3));
      expect(ids(await page(`${filter}&startIndex=4&count=4`, 7))).toEqual(pagerIds.slice(3));
      expect(ids(await page(`${filter}&startIndex=6&count=4`, 7))).toEqual(pagerIds.slice(5));
      expect(await page(`${filter}&startIndex=8&count=4`, 7)).toMatchObject({ itemsPerPage: 0 });
      // A lookup, as IdPs make them.
      const lookup = await page(`filter=${pctEncoded(`userName eq "${pagerName(3)}"`)}`, 1);
      expect(ids(lookup)).toEqual([pagerIds[3]]);
      expect(await page(`filter=${pctEncoded('userName eq "nobody@x.example"')}`, 0)).toMatchObject({
        itemsPerPage: 0,
      });
      // The portal's pager8 matches the filter but is not the IdP's.
      expect(await page(`filter=${pctEncoded(`userName eq "${pagerName(8)}"`)}`, 0)).toMatchObject({
        itemsPerPage: 0,
      });
    });

    it('pages in sortBy order, ascending and descending, with the total of the filter', async () => {
      const filter = `filter=${pctEncoded('userName sw "pager"')}`;
      const names = (list: { Resources: { userName: string }[] }) => list.Resources.map((r) => r.userName);
      const ascending = `${filter}&sortBy=userName`;
      const descending = `${ascending}&sortOrder=descending`;
      expect(names(await page(ascending, 7))).toEqual([1, 2, 3, 4, 5, 6, 7].map(pagerName));
      expect(names(await page(`${ascending}&startIndex=5&count=3`, 7))).toEqual([5, 6, 7].map(pagerName));
      expect(names(await page(descending, 7))).toEqual([7, 6, 5, 4, 3, 2, 1].map(pagerName));
      expect(names(await page(`${descending}&startIndex=2&count=3`, 7))).toEqual([6, 5, 4].map(pagerName));
      expect(names(await page(`${descending}&startIndex=5&count=3`, 7))).toEqual([3, 2, 1].map(pagerName));
      expect(names(await page(`${descending}&startIndex=7&count=3`, 7))).toEqual([pagerName(1)]);
      expect(await page(`${descending}&startIndex=8&count=3`, 7)).toMatchObject({ itemsPerPage: 0 });
      // Without sortBy, descending is newest first.
      expect(ids(await page('sortOrder=descending&startIndex=2&count=4', 9))).toEqual(
        [...visible].reverse().slice(1, 5),
      );
      expect(ids(await page('sortBy=meta.created&sortOrder=descending&count=3', 9))).toEqual(
        [...visible].reverse().slice(0, 3),
      );
    });

    it('pages groups the same way', async () => {
      const groups = async (query: string) =>
        ids(expectList(await org.request('GET', `/Groups?${query}`), 3));
      expect(await groups('excludedAttributes=members')).toEqual(groupIds);
      expect(await groups('startIndex=1&count=2')).toEqual(groupIds.slice(0, 2));
      expect(await groups('startIndex=2&count=2')).toEqual(groupIds.slice(1));
      expect(await groups('startIndex=4&count=2')).toEqual([]);
      expect(await groups('count=0')).toEqual([]);
      expect(await groups('sortBy=displayName&sortOrder=descending&startIndex=2&count=1')).toEqual([
        groupIds[2],
      ]);
    });
  });

  it('POST /Users/.search and /Groups/.search take filter, paging and sorting in the body', async () => {
    const org = await harness().newOrg();
    const ids = await createUsers(org, 5, 'searcher');
    await createUser(org, { userName: upn('outsider') });
    const search = await org.request('POST', '/Users/.search', {
      schemas: [SEARCH_REQUEST],
      filter: 'userName sw "searcher"',
      sortBy: 'userName',
      sortOrder: 'descending',
      startIndex: 2,
      count: 2,
    });
    const list = expectList(search, 5);
    expect(list).toMatchObject({ startIndex: 2, itemsPerPage: 2 });
    const all = expectList(
      await org.request('POST', '/Users/.search', {
        filter: 'userName sw "searcher"',
        sortBy: 'userName',
        sortOrder: 'descending',
      }),
      5,
    );
    expect(all.Resources.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(list.Resources).toEqual(all.Resources.slice(1, 3));
    // An empty search lists everything.
    expectList(await org.request('POST', '/Users/.search', { schemas: [SEARCH_REQUEST] }), 6);
    const group = await createGroup(org, `Searchable ${rand()}`, ids.slice(0, 2));
    const groups = await org.request('POST', '/Groups/.search', {
      schemas: [SEARCH_REQUEST],
      filter: `members eq "${ids[0]}"`,
      excludedAttributes: 'members',
    });
    const groupList = expectList(groups, 1);
    expect(groupList.Resources[0].id).toBe(group.id);
    expect(groupList.Resources[0]).not.toHaveProperty('members');
  });

  it('stores values exactly as sent (phone numbers, casing, whitespace, unicode)', async () => {
    const org = await harness().newOrg();
    const sent = {
      schemas: [USER_SCHEMA, ENTERPRISE],
      userName: `MiXeD.CaSe.${rand()}@Contoso.COM`,
      externalId: `AbC-${rand()}`,
      displayName: '  Ødegård, Åse  ',
      nickName: 'ÅSE',
      title: 'VP, R&D <Ops>',
      emails: [{ type: 'Work', value: `Ase.Odegard.${rand()}@Contoso.COM`, primary: true }],
      phoneNumbers: [
        { type: 'work', value: '+1 (425) 555-0100' },
        { type: 'mobile', value: 'tel:+47-22-00-00-00;ext=12' },
        { type: 'fax', value: '0044 20 7946 0000' },
      ],
      addresses: [{ type: 'work', streetAddress: '1 Way\nSuite 200', postalCode: '01234', country: 'no' }],
      [ENTERPRISE]: { employeeNumber: '000701984', department: 'r&d' },
    };
    const created = await createUser(org, sent);
    for (const body of [created, await getOk(org, `/Users/${created.id}`)]) {
      for (const key of [
        'userName',
        'externalId',
        'displayName',
        'nickName',
        'title',
        'emails',
        'phoneNumbers',
        'addresses',
        ENTERPRISE,
      ]) {
        expect(body[key], key).toEqual(sent[key as keyof typeof sent]);
      }
    }
    // PATCH values are kept as sent too.
    await org.request(
      'PATCH',
      `/Users/${created.id}`,
      patchBody({ op: 'Replace', path: 'phoneNumbers[type eq "work"].value', value: '425.555.0199 x7' }),
    );
    const after = await getOk(org, `/Users/${created.id}`);
    expect(after.phoneNumbers[0]).toEqual({ type: 'work', value: '425.555.0199 x7' });
    // Numbers and booleans sent for strings are kept as their text.
    const coerced = await createUser(org, {
      userName: upn('coerced'),
      [ENTERPRISE]: { employeeNumber: 701984 },
    });
    expect(coerced[ENTERPRISE]).toEqual({ employeeNumber: '701984' });
  });

  it('PATCH member adds keep the display label sent as display or displayName', async () => {
    const org = await harness().newOrg();
    const [a, b, c] = (await createUsers(org, 3)) as [string, string, string];
    const group = await createGroup(org, `Labelled ${rand()}`);
    const res = await org.request(
      'PATCH',
      `/Groups/${group.id}`,
      patchBody({
        op: 'add',
        path: 'members',
        value: [{ value: a, display: 'Ann Example' }, { value: b, displayName: 'Bob Example' }, { value: c }],
      }),
    );
    expect(res.status, res.text).toBe(204);
    const members = (await getOk(org, `/Groups/${group.id}`)).members as {
      value: string;
      display?: string;
    }[];
    const byId = new Map(members.map((m) => [m.value, m]));
    expect(byId.get(a)?.display).toBe('Ann Example');
    expect(byId.get(b)?.display).toBe('Bob Example');
    expect(byId.get(c)).not.toHaveProperty('display');
    // replace keeps labels as well; the member filter can use them.
    await org.request(
      'PATCH',
      `/Groups/${group.id}`,
      patchBody({ op: 'replace', path: 'members', value: [{ value: c, display: 'Cyd Example' }] }),
    );
    expect((await getOk(org, `/Groups/${group.id}`)).members).toEqual([
      expect.objectContaining({ value: c, display: 'Cyd Example' }),
    ]);
    await org.request(
      'PATCH',
      `/Groups/${group.id}`,
      patchBody({ op: 'remove', path: 'members[display eq "Cyd Example"]' }),
    );
    expect(await memberIds(org, group.id)).toEqual([]);
  });

  describe('regressions', () => {
    let org: Org;
    beforeAll(async () => {
      org = await harness().newOrg();
    });

    it('honours a repeated attributes parameter on a single resource (joined, not a 500)', async () => {
      const user = await createUser(org, {
        schemas: [USER_SCHEMA],
        userName: upn('repeat'),
        title: 'Engineer',
      });
      const res = await org.request('GET', `/Users/${user.id}?attributes=userName&attributes=title`);
      expect(res.status, res.text).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['id', 'schemas', 'title', 'userName']);
    });

    it('keeps a deactivated user deactivated when a PUT leaves active out', async () => {
      const userName = upn('put-active');
      const user = await createUser(org, { schemas: [USER_SCHEMA], userName, active: false });
      const put = await org.request('PUT', `/Users/${user.id}`, {
        schemas: [USER_SCHEMA],
        userName,
        title: 'x',
      });
      expect(put.status, put.text).toBe(200);
      expect(put.body.active).toBe(false);
      const reenabled = await org.request('PUT', `/Users/${user.id}`, {
        schemas: [USER_SCHEMA],
        userName,
        active: true,
      });
      expect(reenabled.body.active).toBe(true);
    });

    it('accepts a bare-string manager in POST as {"value": id}', async () => {
      const manager = await createUser(org, { schemas: [USER_SCHEMA], userName: upn('mgr') });
      const user = await createUser(org, {
        schemas: [USER_SCHEMA, ENTERPRISE],
        userName: upn('report'),
        [ENTERPRISE]: { manager: manager.id },
      });
      expect(user[ENTERPRISE]).toEqual({ manager: { value: manager.id } });
    });

    it('answers email filters on sub-attributes the index table lacks from the document', async () => {
      const userName = upn('primary');
      await createUser(org, {
        schemas: [USER_SCHEMA],
        userName,
        emails: [{ value: userName, type: 'work', primary: true }],
      });
      const filter = pctEncoded(`emails[primary eq true and value eq "${userName}"]`);
      expectList(await org.request('GET', `/Users?filter=${filter}`), 1);
    });

    it('filters group members by type, and refuses filters on derived meta attributes', async () => {
      const [member] = await createUsers(org, 1, 'typed');
      const group = await createGroup(org, `typed-${rand()}`, member ? [member] : []);
      const typed = pctEncoded(`displayName eq "${group.displayName}" and members[type eq "User"]`);
      expectList(await org.request('GET', `/Groups?filter=${typed}&excludedAttributes=members`), 1);
      const meta = pctEncoded('meta.version eq "W/\\"1\\""');
      expectScimError(await org.request('GET', `/Users?filter=${meta}`), 400, 'invalidFilter');
    });

    it('compares userName case-insensitively beyond ASCII, in lookups and in uniqueness', async () => {
      const tag = rand();
      await createUser(org, { schemas: [USER_SCHEMA], userName: `jürgen.ärger.${tag}@example.com` });
      const filter = pctEncoded(`userName eq "JÜRGEN.Ärger.${tag}@EXAMPLE.com"`);
      expectList(await org.request('GET', `/Users?filter=${filter}`), 1);
      const duplicate = await org.request('POST', '/Users', {
        schemas: [USER_SCHEMA],
        userName: `JÜRGEN.ÄRGER.${tag}@example.com`,
      });
      expectScimError(duplicate, 409, 'uniqueness');
    });
  });
});
