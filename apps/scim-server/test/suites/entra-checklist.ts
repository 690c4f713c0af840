/**
 * The Entra ID conformance checklist (docs/reference/entra.md#conformance-checklist, rows 1–21), one `it` per
 * row, sending the exact request shapes the Entra provisioning service and the SCIM Validator send.
 * entra-conformance.test.ts runs it against PostgreSQL and PGlite.
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Harness, Org } from '../harness.js';
import {
  allEntries,
  createGroup,
  createUser,
  createUsers,
  ENTERPRISE,
  entraUserBody,
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
  upn,
} from '../helpers.js';

const MANAGER = `${ENTERPRISE}:manager`;

/** GET /Users?filter=userName eq "<userName>" as Entra encodes it. */
async function findByUserName(org: Org, userName: string) {
  return expectList(await org.request('GET', `/Users?filter=${plusEncoded(`userName eq "${userName}"`)}`));
}

export function entraChecklist(harness: () => Harness): void {
  let org: Org;
  const newOrg = async () => {
    org = await harness().newOrg();
    return org;
  };

  it('#1 Probe: GET /Users?filter=userName eq "<random guid>" → 200, totalResults 0, Resources []', async () => {
    await newOrg();
    await createUser(org, { userName: upn() });
    const res = await org.request('GET', `/Users?filter=${plusEncoded(`userName eq "${randomUUID()}"`)}`);
    const list = expectList(res, 0);
    expect(list.Resources).toEqual([]);
    expect(list.startIndex).toBe(1);
    expect(list.itemsPerPage).toBe(0);
  });

  it('#2 Group probe: GET /Groups?excludedAttributes=members&filter=displayName eq "<guid>" → 200 empty', async () => {
    await newOrg();
    await createGroup(org, `Engineering ${rand()}`);
    const res = await org.request(
      'GET',
      `/Groups?excludedAttributes=members&filter=${plusEncoded(`displayName eq "${randomUUID()}"`)}`,
    );
    expect(expectList(res, 0).Resources).toEqual([]);
  });

  it('#3 Create: POST entra.md#user-create (with and without the enterprise URN; roles:[], meta, nulls, 2019 URN) → 201 + id', async () => {
    await newOrg();
    // With the enterprise extension, exactly as entra.md#user-create.
    const userName = upn('alice');
    const withExt = await org.request('POST', '/Users', entraUserBody(userName));
    expect(withExt.status, withExt.text).toBe(201);
    const user = withExt.body;
    expect(typeof user.id).toBe('string');
    expect(user.id).not.toBe('');
    expect(user.userName).toBe(userName);
    expect(user.active).toBe(true);
    expect(user.schemas).toEqual([USER_SCHEMA, ENTERPRISE]);
    expect(user[ENTERPRISE]).toEqual({ employeeNumber: '701984', department: 'R&D' });
    expect(user.emails).toEqual([{ primary: true, type: 'work', value: userName }]);
    expect(user.phoneNumbers).toEqual([
      { type: 'work', value: '+1 425 555 0100' },
      { type: 'mobile', value: '+1 425 555 0101' },
    ]);
    expect(user.name).toEqual({ formatted: 'Alice Smith', familyName: 'Smith', givenName: 'Alice' });
    expect(user.addresses[0]).toMatchObject({ type: 'work', formatted: 'B40', postalCode: '98052' });
    // `roles: []` is "no value", the client's meta is replaced by the server's.
    expect(user.roles).toBeUndefined();
    expect(user.meta).toMatchObject({ resourceType: 'User', location: `${org.base}/Users/${user.id}` });
    expect(user.meta.created).toEqual(expect.any(String));
    expect(withExt.headers.get('location')).toBe(user.meta.location);

    // Without the enterprise URN.
    const plainName = upn('bob');
    const plain = await org.request('POST', '/Users', entraUserBody(plainName, { enterprise: false }));
    expect(plain.status, plain.text).toBe(201);
    expect(plain.body.id).toEqual(expect.any(String));
    expect(plain.body.schemas).toEqual([USER_SCHEMA]);
    expect(plain.body[ENTERPRISE]).toBeUndefined();

    // The 2019 documentation body: explicit nulls and the malformed `...enterprise:2.0User` URN.
    const legacyName = `Test_User_${randomUUID()}`;
    const legacy = await org.request('POST', '/Users', {
      schemas: [USER_SCHEMA, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0User'],
      externalId: randomUUID(),
      userName: legacyName,
      active: true,
      addresses: null,
      displayName: legacyName,
      emails: [{ primary: true, type: 'work', value: `${legacyName}@testuser.com` }],
      meta: { resourceType: 'User' },
      name: { familyName: 'familyName', givenName: 'givenName' },
      phoneNumbers: null,
      title: null,
      department: null,
      manager: null,
      roles: [],
    });
    expect(legacy.status, legacy.text).toBe(201);
    expect(legacy.body.id).toEqual(expect.any(String));
    expect(legacy.body.userName).toBe(legacyName);
    for (const key of ['addresses', 'phoneNumbers', 'title', 'department', 'manager', 'roles']) {
      expect(legacy.body, key).not.toHaveProperty(key);
    }
    // Nulls are "no value": none is stored or echoed back.
    expect(allEntries(legacy.body).filter(([, v]) => v === null)).toEqual([]);

    // All three read back by id.
    for (const id of [user.id, plain.body.id, legacy.body.id]) await getOk(org, `/Users/${id}`);
  });

  it('#4 Duplicate: the same POST again → 409 uniqueness', async () => {
    await newOrg();
    const userName = upn('dup');
    const first = await org.request('POST', '/Users', entraUserBody(userName));
    expect(first.status, first.text).toBe(201);
    const again = await org.request('POST', '/Users', entraUserBody(userName));
    expectScimError(again, 409, 'uniqueness');
    // userName is caseExact:false, so a case variant is the same user.
    const upper = await org.request('POST', '/Users', entraUserBody(userName.toUpperCase()));
    expectScimError(upper, 409, 'uniqueness');
    expect((await findByUserName(org, userName)).totalResults).toBe(1);
  });

  it('#5 Case-insensitive lookup: filter with a changed-case userName → 1 result', async () => {
    await newOrg();
    const userName = `Alice.Smith.${rand()}@Contoso.com`;
    const user = await createUser(org, entraUserBody(userName));
    for (const variant of [userName.toUpperCase(), userName.toLowerCase()]) {
      const list = await findByUserName(org, variant);
      expect(list.totalResults).toBe(1);
      expect(list.Resources[0].id).toBe(user.id);
      // Stored exactly as sent, whatever the filter's case.
      expect(list.Resources[0].userName).toBe(userName);
    }
  });

  it('#6 Lookup includes inactive: disable, then filter → 1 result with active:false', async () => {
    await newOrg();
    const userName = upn('leaver');
    const user = await createUser(org, entraUserBody(userName));
    const disabled = await org.request(
      'PATCH',
      `/Users/${user.id}`,
      patchBody({ op: 'Replace', path: 'active', value: 'False' }),
    );
    expect([200, 204]).toContain(disabled.status);
    const list = await findByUserName(org, userName);
    expect(list.totalResults).toBe(1);
    expect(list.Resources[0]).toMatchObject({ id: user.id, active: false });
    expect((await getOk(org, `/Users/${user.id}`)).active).toBe(false);
    // Also found by externalId and by email, Entra's other matching attributes.
    const byExternalId = await org.request(
      'GET',
      `/Users?filter=${plusEncoded(`externalId eq "${user.externalId}"`)}`,
    );
    expect(expectList(byExternalId, 1).Resources[0].active).toBe(false);
    const byEmail = await org.request(
      'GET',
      `/Users?filter=${plusEncoded(`emails[type eq "work"].value eq "${userName}"`)}`,
    );
    expect(expectList(byEmail, 1).Resources[0].id).toBe(user.id);
  });

  it('#7 Default PATCH: entra.md#patch-in-default-mode capitalized multi-op → 200/204; GET reflects every change', async () => {
    await newOrg();
    const oldName = upn('test01');
    const user = await createUser(org, entraUserBody(oldName));
    const newName = upn('test01-renamed');
    const newEmail = `test01.${rand()}@example.com`;
    const res = await org.request(
      'PATCH',
      `/Users/${user.id}`,
      patchBody(
        { op: 'Replace', path: 'displayName', value: 'Test 01' },
        { op: 'Replace', path: 'emails[type eq "work"].value', value: newEmail },
        { op: 'Replace', path: 'userName', value: newName },
        { op: 'Replace', path: 'name.familyName', value: 'Tesst 01' },
        { op: 'Replace', path: 'name.formatted', value: 'Test 01' },
        { op: 'Replace', path: 'externalId', value: 'Eqpj' },
        { op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: 'Eqpj' },
        { op: 'Add', path: 'nickName', value: 'Babs' },
      ),
    );
    expect([200, 204], res.text).toContain(res.status);
    const after = await getOk(org, `/Users/${user.id}`);
    expect(after.displayName).toBe('Test 01');
    expect(after.userName).toBe(newName);
    expect(after.externalId).toBe('Eqpj');
    expect(after.nickName).toBe('Babs');
    expect(after.name).toEqual({ formatted: 'Test 01', familyName: 'Tesst 01', givenName: 'Alice' });
    expect(after.emails).toEqual([{ primary: true, type: 'work', value: newEmail }]);
    expect(after[ENTERPRISE]).toEqual({ employeeNumber: 'Eqpj', department: 'R&D' });
    // Untouched attributes are kept.
    expect(after.title).toBe('Engineer');
    expect(after.phoneNumbers).toHaveLength(2);
    // The indexed lookups follow the change.
    expect((await findByUserName(org, oldName)).totalResults).toBe(0);
    expect((await findByUserName(org, newName)).totalResults).toBe(1);
    const byEmail = await org.request('GET', `/Users?filter=${plusEncoded(`emails eq "${newEmail}"`)}`);
    expect(expectList(byEmail, 1).Resources[0].id).toBe(user.id);
    const byExternalId = await org.request('GET', `/Users?filter=${plusEncoded('externalId eq "Eqpj"')}`);
    expect(expectList(byExternalId, 1).Resources[0].id).toBe(user.id);
  });

  it('#8 Value-path add on a missing element: Add emails[type eq "work"].value creates {type:"work"}', async () => {
    await newOrg();
    // A user with no emails at all.
    const bare = await createUser(org, { userName: upn('noemail') });
    const email = `work.${rand()}@contoso.com`;
    const res = await org.request(
      'PATCH',
      `/Users/${bare.id}`,
      patchBody({ op: 'Add', path: 'emails[type eq "work"].value', value: email }),
    );
    expect([200, 204], res.text).toContain(res.status);
    expect((await getOk(org, `/Users/${bare.id}`)).emails).toEqual([{ type: 'work', value: email }]);

    // A user with a home email and a home phone: adding the work email leaves them alone.
    const home = { type: 'home', value: `home.${rand()}@example.net`, primary: true };
    const homePhone = { type: 'home', value: '(555) 010-0199' };
    const other = await createUser(org, { userName: upn('home'), emails: [home], phoneNumbers: [homePhone] });
    const workEmail = `work.${rand()}@contoso.com`;
    const add = await org.request(
      'PATCH',
      `/Users/${other.id}`,
      patchBody(
        { op: 'Add', path: 'emails[type eq "work"].value', value: workEmail },
        { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 425 555 0101' },
      ),
    );
    expect([200, 204], add.text).toContain(add.status);
    const after = await getOk(org, `/Users/${other.id}`);
    expect(after.emails).toEqual([home, { type: 'work', value: workEmail }]);
    expect(after.phoneNumbers).toEqual([homePhone, { type: 'mobile', value: '+1 425 555 0101' }]);
    // And the new element is found the way Entra matches on email.
    const found = await org.request(
      'GET',
      `/Users?filter=${plusEncoded(`emails[type eq "work"].value eq "${workEmail}"`)}`,
    );
    expect(expectList(found, 1).Resources[0].id).toBe(other.id);
  });

  it('#9 String booleans: Replace active "False" then "True" → active toggles', async () => {
    await newOrg();
    const user = await createUser(org, entraUserBody(upn('toggle')));
    const off = await org.request(
      'PATCH',
      `/Users/${user.id}`,
      patchBody({ op: 'Replace', path: 'active', value: 'False' }),
    );
    expect([200, 204], off.text).toContain(off.status);
    expect((await getOk(org, `/Users/${user.id}`)).active).toBe(false);
    const on = await org.request(
      'PATCH',
      `/Users/${user.id}`,
      patchBody({ op: 'Replace', path: 'active', value: 'True' }),
    );
    expect([200, 204], on.text).toContain(on.status);
    expect((await getOk(org, `/Users/${user.id}`)).active).toBe(true);
    // S1's "Disable User" mix: capitalized op with a real boolean.
    await org.request(
      'PATCH',
      `/Users/${user.id}`,
      patchBody({ op: 'Replace', path: 'active', value: false }),
    );
    expect((await getOk(org, `/Users/${user.id}`)).active).toBe(false);
    // Microsoft's "Post emp1 with string True" expects the string to become a boolean.
    const created = await createUser(org, { userName: upn('emp1'), active: 'True' });
    expect(created.active).toBe(true);
    const createdOff = await createUser(org, { userName: upn('emp2'), active: 'False' });
    expect(createdOff.active).toBe(false);
  });

  it('#10 Flagged PATCH: entra.md#patch-with-aadoptscim062020 path-less dotted/URN map + active:false → nested attributes set', async () => {
    await newOrg();
    const user = await createUser(org, entraUserBody(upn('flagged')));
    const email = `x.${rand()}@test.microsoft.com`;
    const res = await org.request(
      'PATCH',
      `/Users/${user.id}`,
      patchBody(
        { op: 'replace', path: 'emails[type eq "work"].value', value: email },
        {
          op: 'replace',
          value: {
            displayName: 'Bjfe',
            'name.givenName': 'Kkom',
            'name.familyName': 'Unua',
            [`${ENTERPRISE}:employeeNumber`]: 'Aklq',
          },
        },
        { op: 'replace', path: 'active', value: false },
      ),
    );
    expect([200, 204], res.text).toContain(res.status);
    const after = await getOk(org, `/Users/${user.id}`);
    expect(after.displayName).toBe('Bjfe');
    expect(after.name).toEqual({ formatted: 'Alice Smith', givenName: 'Kkom', familyName: 'Unua' });
    expect(after[ENTERPRISE]).toEqual({ employeeNumber: 'Aklq', department: 'R&D' });
    expect(after.active).toBe(false);
    expect(after.emails).toEqual([{ primary: true, type: 'work', value: email }]);
    // The dotted keys were expanded, never stored literally.
    const keys = allEntries(after).map(([k]) => k);
    expect(keys.filter((k) => k !== ENTERPRISE && (k.includes('.') || k.includes(':')))).toEqual([]);

    // The same form with `add` (O S32 #132).
    const add = await org.request(
      'PATCH',
      `/Users/${user.id}`,
      patchBody({
        op: 'add',
        value: { 'name.givenName': 'John', 'name.familyName': 'Doe', 'name.formatted': 'John Doe' },
      }),
    );
    expect([200, 204], add.text).toContain(add.status);
    expect((await getOk(org, `/Users/${user.id}`)).name).toEqual({
      formatted: 'John Doe',
      givenName: 'John',
      familyName: 'Doe',
    });
  });

  it('#11 Manager forms: every row of entra.md#manager → stored as {"value": id} or removed', async () => {
    await newOrg();
    const m1 = await createUser(org, { userName: upn('manager1') });
    const m2 = await createUser(org, { userName: upn('manager2') });
    const user = await createUser(org, entraUserBody(upn('report')));
    const path = `/Users/${user.id}`;
    const managerOf = async () => {
      const body = await getOk(org, path);
      // The rest of the extension is never disturbed by manager changes.
      expect(body[ENTERPRISE]?.department).toBe('R&D');
      return body[ENTERPRISE]?.manager;
    };
    const send = async (operation: Record<string, unknown>) => {
      const res = await org.request('PATCH', path, patchBody(operation));
      expect([200, 204], `${JSON.stringify(operation)} → ${res.text}`).toContain(res.status);
    };

    // Bare id strings: default mode (capitalized), flagged mode, Microsoft validation "change".
    await send({ op: 'Add', path: MANAGER, value: m1.id });
    expect(await managerOf()).toEqual({ value: m1.id });
    await send({ op: 'add', path: MANAGER, value: m2.id });
    expect(await managerOf()).toEqual({ value: m2.id });
    await send({ op: 'replace', path: MANAGER, value: m1.id });
    expect(await managerOf()).toEqual({ value: m1.id });
    // Microsoft validation "remove": "" reads back as absent.
    await send({ op: 'replace', path: MANAGER, value: '' });
    expect(await managerOf()).toBeUndefined();
    // SCIM Validator "Add/Replace Manager": an object.
    await send({ op: 'add', path: MANAGER, value: { value: m2.id } });
    expect(await managerOf()).toEqual({ value: m2.id });
    // SCIM Validator "Remove Manager": {"value":""}.
    await send({ op: 'replace', path: MANAGER, value: { value: '' } });
    expect(await managerOf()).toBeUndefined();
    // SCIM Validator, another run: remove by path.
    await send({ op: 'add', path: MANAGER, value: { value: m1.id } });
    await send({ op: 'remove', path: MANAGER });
    expect(await managerOf()).toBeUndefined();
    // Azure AD 2023: remove manager[value eq "<id>"], unqualified; a non-matching id removes nothing.
    await send({ op: 'add', path: MANAGER, value: m2.id });
    await send({ op: 'remove', path: `manager[value eq "${m1.id}"]` });
    expect(await managerOf()).toEqual({ value: m2.id });
    await send({ op: 'remove', path: `manager[value eq "${m2.id}"]` });
    expect(await managerOf()).toBeUndefined();
    // Legacy doc example: `manager` with a one-element array carrying `$ref`.
    await send({ op: 'Add', path: 'manager', value: [{ $ref: `${org.base}/Users/${m1.id}`, value: m1.id }] });
    const legacy = await managerOf();
    expect(legacy.value).toBe(m1.id);
    expect(Object.keys(legacy).sort()).toEqual(['$ref', 'value']);

    // The legacy reference check (entra.md#manager): `id eq … and manager eq …` with attributes=id.
    const check = await org.request(
      'GET',
      `/Users?filter=${plusEncoded(`id eq "${user.id}" and manager eq "${m1.id}"`)}&attributes=id`,
    );
    const list = expectList(check, 1);
    expect(list.Resources[0].id).toBe(user.id);
    expect(list.Resources[0][ENTERPRISE]).toBeUndefined();
    const miss = await org.request(
      'GET',
      `/Users?filter=${plusEncoded(`id eq "${user.id}" and manager eq "${m2.id}"`)}&attributes=id`,
    );
    expectList(miss, 0);
  });

  it('#12 Hard delete: DELETE /Users/{id} → 204, then GET 404 and DELETE again 404', async () => {
    await newOrg();
    const userName = upn('gone');
    const user = await createUser(org, entraUserBody(userName));
    const res = await org.request('DELETE', `/Users/${user.id}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectScimError(await org.request('GET', `/Users/${user.id}`), 404);
    expectScimError(await org.request('DELETE', `/Users/${user.id}`), 404);
    expect((await findByUserName(org, userName)).totalResults).toBe(0);
    // The userName is free again: a re-assigned user is created anew.
    await createUser(org, entraUserBody(userName));
  });

  it('#13 Group create: entra.md#group-create with the ADSCIM schema URN → 201, no members', async () => {
    await newOrg();
    const externalId = randomUUID();
    const displayName = `Engineering ${rand()}`;
    const res = await org.request('POST', '/Groups', {
      schemas: [GROUP_SCHEMA, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
      externalId,
      displayName,
      meta: { resourceType: 'Group' },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.id).toEqual(expect.any(String));
    expect(res.body).toMatchObject({ schemas: [GROUP_SCHEMA], displayName, externalId });
    expect(res.body.members ?? []).toEqual([]);
    expect(res.body.meta.resourceType).toBe('Group');
    expect(res.headers.get('location')).toBe(res.body.meta.location);
    const found = await org.request(
      'GET',
      `/Groups?excludedAttributes=members&filter=${plusEncoded(`displayName eq "${displayName}"`)}`,
    );
    expect(expectList(found, 1).Resources[0].id).toBe(res.body.id);
  });

  it('#14 Group get: GET /Groups/{id}?excludedAttributes=members → 200, no members key', async () => {
    await newOrg();
    const [u1] = await createUsers(org, 1);
    const group = await createGroup(org, `Sales ${rand()}`, [u1 as string]);
    const full = await getOk(org, `/Groups/${group.id}`);
    expect(full.members).toHaveLength(1);
    const res = await org.request('GET', `/Groups/${group.id}?excludedAttributes=members`);
    expect(res.status, res.text).toBe(200);
    expect(res.body).not.toHaveProperty('members');
    expect(res.body).toMatchObject({ id: group.id, displayName: group.displayName });
    const listed = await org.request(
      'GET',
      `/Groups?excludedAttributes=members&filter=${plusEncoded(`displayName eq "${group.displayName}"`)}`,
    );
    const list = expectList(listed, 1);
    expect(list.Resources[0]).not.toHaveProperty('members');
  });

  it('#15 Member add (batch): Add members with N values → 204/200, all N members present', async () => {
    await newOrg();
    const ids = await createUsers(org, 25);
    const group = await createGroup(org, `Batch ${rand()}`);
    const res = await org.request(
      'PATCH',
      `/Groups/${group.id}`,
      patchBody({ op: 'Add', path: 'members', value: ids.map((value) => ({ $ref: null, value })) }),
    );
    expect([200, 204], res.text).toContain(res.status);
    expect(await memberIds(org, group.id)).toEqual([...ids].sort());
    // Adding existing members again is idempotent.
    const again = await org.request(
      'PATCH',
      `/Groups/${group.id}`,
      patchBody({ op: 'Add', path: 'members', value: ids.slice(0, 3).map((value) => ({ value })) }),
    );
    expect([200, 204], again.text).toContain(again.status);
    expect(await memberIds(org, group.id)).toHaveLength(25);
  });

  it('#16 Member remove (default): Remove members + value array → only the listed members removed', async () => {
    await newOrg();
    const ids = await createUsers(org, 6);
    const group = await createGroup(org, `Remove ${rand()}`, ids);
    const [a, b, ...rest] = ids;
    const res = await org.request(
      'PATCH',
      `/Groups/${group.id}`,
      patchBody({ op: 'Remove', path: 'members', value: [{ value: a }, { value: b }] }),
    );
    expect([200, 204], res.text).toContain(res.status);
    expect(await memberIds(org, group.id)).toEqual([...rest].sort());
    // Removing a non-member succeeds and changes nothing.
    const none = await org.request(
      'PATCH',
      `/Groups/${group.id}`,
      patchBody({ op: 'Remove', path: 'members', value: [{ value: randomUUID() }] }),
    );
    expect([200, 204], none.text).toContain(none.status);
    expect(await memberIds(org, group.id)).toEqual([...rest].sort());
  });

  it('#17 Member remove (flag): remove members[value eq "x"] → only x removed', async () => {
    await newOrg();
    const ids = await createUsers(org, 4);
    const group = await createGroup(org, `Flag ${rand()}`, ids);
    const [x, ...rest] = ids;
    const res = await org.request(
      'PATCH',
      `/Groups/${group.id}`,
      patchBody({ op: 'remove', path: `members[value eq "${x}"]` }),
    );
    expect([200, 204], res.text).toContain(res.status);
    expect(await memberIds(org, group.id)).toEqual([...rest].sort());
    // The user itself is untouched.
    await getOk(org, `/Users/${x}`);
  });

  it('#18 Rename: Replace displayName → 204/200, found under the new name only', async () => {
    await newOrg();
    const group = await createGroup(org, `Old name ${rand()}`);
    const newName = `New name ${rand()}`;
    const res = await org.request(
      'PATCH',
      `/Groups/${group.id}`,
      patchBody({ op: 'Replace', path: 'displayName', value: newName }),
    );
    expect([200, 204], res.text).toContain(res.status);
    expect((await getOk(org, `/Groups/${group.id}`)).displayName).toBe(newName);
    const byNew = await org.request('GET', `/Groups?filter=${plusEncoded(`displayName eq "${newName}"`)}`);
    expect(expectList(byNew, 1).Resources[0].id).toBe(group.id);
    const byOld = await org.request(
      'GET',
      `/Groups?filter=${plusEncoded(`displayName eq "${group.displayName}"`)}`,
    );
    expectList(byOld, 0);
    // The SCIM Validator's path-less form.
    const validatorName = `Validator ${rand()}`;
    const pathless = await org.request(
      'PATCH',
      `/Groups/${group.id}`,
      patchBody({ op: 'replace', value: { displayName: validatorName } }),
    );
    expect([200, 204], pathless.text).toContain(pathless.status);
    expect((await getOk(org, `/Groups/${group.id}`)).displayName).toBe(validatorName);
  });

  it('#19 Group delete: DELETE /Groups/{id} → 204; the group is gone, its users are not', async () => {
    await newOrg();
    const [member] = (await createUsers(org, 1)) as [string];
    const group = await createGroup(org, `Doomed ${rand()}`, [member]);
    expect((await getOk(org, `/Users/${member}`)).groups).toEqual([
      expect.objectContaining({ value: group.id, display: group.displayName }),
    ]);
    const res = await org.request('DELETE', `/Groups/${group.id}`);
    expect(res.status).toBe(204);
    expectScimError(await org.request('GET', `/Groups/${group.id}`), 404);
    expectScimError(await org.request('DELETE', `/Groups/${group.id}`), 404);
    const user = await getOk(org, `/Users/${member}`);
    expect(user.groups).toBeUndefined();
  });

  it('#20 Pagination: GET /Users?startIndex=1&count=5 and following pages → correct startIndex, itemsPerPage, totalResults', async () => {
    await newOrg();
    const ids = await createUsers(org, 12, 'page');
    const seen: string[] = [];
    for (const [startIndex, expected] of [
      [1, 5],
      [6, 5],
      [11, 2],
    ] as const) {
      const page = expectList(await org.request('GET', `/Users?startIndex=${startIndex}&count=5`), 12);
      expect(page.startIndex).toBe(startIndex);
      expect(page.itemsPerPage).toBe(expected);
      seen.push(...page.Resources.map((r) => r.id));
    }
    // Every user exactly once, and the same order on a second pass (pages do not shift).
    expect([...seen].sort()).toEqual([...ids].sort());
    const all = expectList(await org.request('GET', '/Users?startIndex=1&count=12'), 12);
    expect(all.Resources.map((r) => r.id)).toEqual(seen);
    const past = expectList(await org.request('GET', '/Users?startIndex=13&count=5'), 12);
    expect(past).toMatchObject({ startIndex: 13, itemsPerPage: 0, Resources: [] });
    // The Microsoft validation's Test Connection form and a count=0 size probe.
    const one = expectList(await org.request('GET', '/Users?startIndex=1&count=1'), 12);
    expect(one.Resources.map((r) => r.id)).toEqual([seen[0]]);
    expect(expectList(await org.request('GET', '/Users?count=0'), 12).Resources).toEqual([]);
  });

  it('#21 /Schemas: a ListResponse of Schema resources covering every attribute of the entra.md#user-create mapping', async () => {
    await newOrg();
    const list = expectList(await org.request('GET', '/Schemas'));
    expect(list.totalResults).toBe(list.Resources.length);
    for (const schema of list.Resources) {
      expect(schema.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:Schema']);
      expect(schema.meta.resourceType).toBe('Schema');
    }
    // biome-ignore lint/suspicious/noExplicitAny: schema JSON
    const byId = (id: string): any => list.Resources.find((s) => s.id === id);
    // biome-ignore lint/suspicious/noExplicitAny: schema JSON
    const find = (attributes: any[] | undefined, name: string) =>
      attributes?.find((a) => String(a.name).toLowerCase() === name.toLowerCase());
    /** Resolves `name.givenName`, `emails[type eq "work"].value`, `urn:…:User:department` against /Schemas. */
    const discoverable = (path: string) => {
      const inExtension = path.startsWith(`${ENTERPRISE}:`);
      const schema = byId(inExtension ? ENTERPRISE : USER_SCHEMA);
      const [attr = '', sub] = (inExtension ? path.slice(ENTERPRISE.length + 1) : path)
        .replace(/\[.*\]/, '')
        .split('.');
      const def = find(schema?.attributes, attr);
      return sub === undefined ? def !== undefined : find(def?.subAttributes, sub) !== undefined;
    };
    const mapped = [
      'userName',
      'active',
      'displayName',
      'title',
      'emails[type eq "work"].value',
      'emails[type eq "work"].type',
      'preferredLanguage',
      'name.givenName',
      'name.familyName',
      'name.formatted',
      'addresses[type eq "work"].formatted',
      'addresses[type eq "work"].streetAddress',
      'addresses[type eq "work"].locality',
      'addresses[type eq "work"].region',
      'addresses[type eq "work"].postalCode',
      'addresses[type eq "work"].country',
      'phoneNumbers[type eq "work"].value',
      'phoneNumbers[type eq "mobile"].value',
      'phoneNumbers[type eq "fax"].value',
      'externalId',
      `${ENTERPRISE}:employeeNumber`,
      `${ENTERPRISE}:department`,
      `${ENTERPRISE}:manager`,
      // In the template's target list, filled by the SCIM Validator (entra.md#user-create).
      `${ENTERPRISE}:costCenter`,
      `${ENTERPRISE}:division`,
      `${ENTERPRISE}:organization`,
      'roles[primary eq "True"].value',
      'roles[primary eq "True"].display',
      'roles[primary eq "True"].type',
      'nickName',
      'userType',
      'locale',
      'timezone',
      'profileUrl',
    ];
    expect(mapped.filter((path) => !discoverable(path))).toEqual([]);
    // Groups are mandatory for the Microsoft validation: displayName, externalId (objectId) and members.
    const group = byId(GROUP_SCHEMA);
    for (const name of ['displayName', 'externalId', 'members'])
      expect(find(group?.attributes, name), name).toBeDefined();
  });

  it('accepts filters URL-encoded with + for spaces and %22 for quotes, like %20', async () => {
    await newOrg();
    const userName = upn('encoded');
    const user = await createUser(org, entraUserBody(userName));
    for (const encode of [plusEncoded, pctEncoded]) {
      const res = await org.request('GET', `/Users?filter=${encode(`userName eq "${userName}"`)}`);
      expect(expectList(res, 1).Resources[0].id).toBe(user.id);
    }
    // The doc's unquoted `externalId eq jyoung` is tolerated.
    const unquoted = await org.request('GET', `/Users?filter=externalId+eq+${user.externalId}`);
    expect(expectList(unquoted, 1).Resources[0].id).toBe(user.id);
    // Entra's `and`, with + encoding.
    const both = await org.request(
      'GET',
      `/Users?filter=${plusEncoded(`userName eq "${userName}" and externalId eq "${user.externalId}"`)}`,
    );
    expectList(both, 1);
  });

  it('does not depend on query parameter order', async () => {
    await newOrg();
    const [member] = (await createUsers(org, 1)) as [string];
    const group = await createGroup(org, `Order ${rand()}`, [member]);
    const filter = `filter=${plusEncoded(`displayName eq "${group.displayName}"`)}`;
    const a = expectList(await org.request('GET', `/Groups?excludedAttributes=members&${filter}`), 1);
    const b = expectList(await org.request('GET', `/Groups?${filter}&excludedAttributes=members`), 1);
    expect(a.Resources[0]).not.toHaveProperty('members');
    expect(b).toEqual(a);
    const user = await getOk(org, `/Users/${member}`);
    const userFilter = `filter=${plusEncoded(`userName eq "${user.userName}"`)}`;
    const c = expectList(await org.request('GET', `/Users?attributes=userName&${userFilter}&count=5`), 1);
    const d = expectList(await org.request('GET', `/Users?count=5&${userFilter}&attributes=userName`), 1);
    expect(c).toEqual(d);
    expect(Object.keys(c.Resources[0]).sort()).toEqual(['id', 'schemas', 'userName']);
  });

  it('accepts requests sent as application/scim+json; charset=utf-8 (SCIM Validator)', async () => {
    await newOrg();
    const headers = { 'Content-Type': 'application/scim+json; charset=utf-8' };
    const userName = upn('validator');
    const created = await org.request('POST', '/Users', entraUserBody(userName), headers);
    expect(created.status, created.text).toBe(201);
    const patched = await org.request(
      'PATCH',
      `/Users/${created.body.id}`,
      patchBody({ op: 'replace', path: 'displayName', value: 'Zoë Ångström' }),
      headers,
    );
    expect([200, 204], patched.text).toContain(patched.status);
    expect((await getOk(org, `/Users/${created.body.id}`)).displayName).toBe('Zoë Ångström');
    const group = await org.request('POST', '/Groups', { displayName: `Validator ${rand()}` }, headers);
    expect(group.status, group.text).toBe(201);
    // Responses are always application/scim+json.
    expect(created.headers.get('content-type')).toMatch(/^application\/scim\+json/);
  });
}
