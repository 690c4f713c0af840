/**
 * Concurrent writers, as a multi-threaded IdP (PingDataSync) or Entra's batching produce them: no
 * lost membership, one winner per userName, no lost update of one user. PostgreSQL only.
 */
import { describe, expect, it } from 'vitest';
import {
  createGroup,
  createUser,
  createUsers,
  ENTERPRISE,
  expectList,
  expectScimError,
  getOk,
  memberIds,
  patchBody,
  pctEncoded,
  rand,
  USER_SCHEMA,
  upn,
  useHarness,
} from './helpers.js';

describe('concurrency (postgres)', () => {
  const harness = useHarness('postgres');

  it('40 parallel member adds (40 distinct users) to one group all land', async () => {
    const org = await harness().newOrg();
    const ids = await createUsers(org, 40);
    const group = await createGroup(org, `Busy ${rand()}`);
    const results = await Promise.all(
      ids.map((value) =>
        org.request(
          'PATCH',
          `/Groups/${group.id}`,
          patchBody({ op: 'Add', path: 'members', value: [{ value }] }),
        ),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(ids.map(() => 204));
    expect(await memberIds(org, group.id)).toEqual([...ids].sort());
    // Every write bumped the version once: 1 at creation + 40.
    expect((await getOk(org, `/Groups/${group.id}`)).meta.version).toBe('W/"41"');
  });

  it('parallel adds and removes of different members of one group do not interfere', async () => {
    const org = await harness().newOrg();
    const ids = await createUsers(org, 20);
    const [stay, leave] = [ids.slice(0, 10), ids.slice(10)];
    const group = await createGroup(org, `Churn ${rand()}`, leave);
    const results = await Promise.all([
      ...stay.map((value) =>
        org.request(
          'PATCH',
          `/Groups/${group.id}`,
          patchBody({ op: 'add', path: 'members', value: [{ value }] }),
        ),
      ),
      ...leave.map((value) =>
        org.request(
          'PATCH',
          `/Groups/${group.id}`,
          patchBody({ op: 'remove', path: `members[value eq "${value}"]` }),
        ),
      ),
    ]);
    expect(results.every((r) => r.status === 204)).toBe(true);
    expect(await memberIds(org, group.id)).toEqual([...stay].sort());
  });

  it('10 parallel creates of one userName give exactly one 201 and nine 409 uniqueness', async () => {
    const org = await harness().newOrg();
    const userName = upn('racer');
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        org.request('POST', '/Users', {
          schemas: [USER_SCHEMA],
          // The same userName in different cases: one user, whichever wins.
          userName: i % 2 === 0 ? userName : userName.toUpperCase(),
          displayName: `attempt ${i}`,
        }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    for (const res of results.filter((r) => r.status === 409)) expectScimError(res, 409, 'uniqueness');
    const list = expectList(
      await org.request('GET', `/Users?filter=${pctEncoded(`userName eq "${userName}"`)}`),
      1,
    );
    expect(list.Resources[0].id).toBe(results.find((r) => r.status === 201)?.body.id);
  });

  it('parallel PATCHes of different attributes of one user all land (no lost update)', async () => {
    const org = await harness().newOrg();
    const user = await createUser(org, {
      userName: upn('busy'),
      name: { givenName: 'Old', familyName: 'Old' },
      [ENTERPRISE]: { department: 'Old' },
    });
    const changes: [string, string][] = [
      ['displayName', 'New display'],
      ['title', 'New title'],
      ['nickName', 'New nick'],
      ['name.givenName', 'NewGiven'],
      ['name.familyName', 'NewFamily'],
      ['preferredLanguage', 'de-CH'],
      ['locale', 'de-CH'],
      ['timezone', 'Europe/Zurich'],
      ['userType', 'Employee'],
      ['externalId', `ext-${rand()}`],
      [`${ENTERPRISE}:department`, 'New dept'],
      [`${ENTERPRISE}:costCenter`, 'CC-42'],
      ['emails[type eq "work"].value', `busy.${rand()}@contoso.com`],
      ['phoneNumbers[type eq "mobile"].value', '+41 79 555 01 01'],
    ];
    const results = await Promise.all(
      changes.map(([path, value]) =>
        org.request('PATCH', `/Users/${user.id}`, patchBody({ op: 'Replace', path, value })),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(changes.map(() => 204));
    const after = await getOk(org, `/Users/${user.id}`);
    expect(after).toMatchObject({
      displayName: 'New display',
      title: 'New title',
      nickName: 'New nick',
      name: { givenName: 'NewGiven', familyName: 'NewFamily' },
      preferredLanguage: 'de-CH',
      locale: 'de-CH',
      timezone: 'Europe/Zurich',
      userType: 'Employee',
      externalId: changes[9]?.[1],
      [ENTERPRISE]: { department: 'New dept', costCenter: 'CC-42' },
      emails: [{ type: 'work', value: changes[12]?.[1] }],
      phoneNumbers: [{ type: 'mobile', value: '+41 79 555 01 01' }],
    });
    expect(after.meta.version).toBe(`W/"${1 + changes.length}"`);
    // The indexed copies followed as well.
    const byEmail = expectList(
      await org.request('GET', `/Users?filter=${pctEncoded(`emails eq "${changes[12]?.[1]}"`)}`),
      1,
    );
    expect(byEmail.Resources[0].id).toBe(user.id);
  });
});
