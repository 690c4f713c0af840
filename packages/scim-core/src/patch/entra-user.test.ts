/**
 * The user PATCH shapes Microsoft Entra ID and its test tools send (docs/reference/entra.md#user-updates,
 * #what-the-flag-changes, #microsofts-test-tools, #conformance-checklist).
 */
import { describe, expect, it } from 'vitest';
import type { ResourceData } from '../resource/normalize.js';
import { type ResourceTypeDefinition, userResourceType as User } from '../schema/index.js';
import { scimErrorOf } from '../testing/scim-error-of.js';
import { applyPatch, type PatchResult } from './apply.js';
import { PATCH_OP_SCHEMA, parsePatchRequest } from './request.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** Parses a wire body and applies it, as the HTTP layer does. */
function patch(type: ResourceTypeDefinition, data: ResourceData, ...operations: unknown[]): PatchResult {
  return applyPatch(type, data, parsePatchRequest({ schemas: [PATCH_OP_SCHEMA], Operations: operations }));
}

/** A user as POST would have stored it. */
function storedUser(extra: ResourceData = {}): ResourceData {
  return {
    userName: 'bjensen@example.com',
    externalId: 'ext-1',
    name: { givenName: 'Barbara', familyName: 'Jensen', formatted: 'Barbara Jensen' },
    displayName: 'Babs Jensen',
    active: true,
    emails: [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@home.example', type: 'home' },
    ],
    ...extra,
  };
}

/** Freezes a value deeply, so any mutation of the input throws in strict mode. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

describe('Entra default mode (entra.md#patch-in-default-mode, checklist #7)', () => {
  it('applies the capitalized multi-operation body', () => {
    const before = storedUser({ [ENTERPRISE]: { employeeNumber: 'old', department: 'Sales' } });
    const { data, changed } = patch(
      User,
      before,
      { op: 'Replace', path: 'displayName', value: 'Test 01' },
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'test01@example.com' },
      { op: 'Replace', path: 'userName', value: 'test01@example.com' },
      { op: 'Replace', path: 'name.familyName', value: 'Tesst 01' },
      { op: 'Replace', path: 'name.formatted', value: 'Test 01' },
      { op: 'Replace', path: 'externalId', value: 'Eqpj' },
      { op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: 'Eqpj' },
    );
    expect(changed).toBe(true);
    expect(data).toEqual({
      userName: 'test01@example.com',
      externalId: 'Eqpj',
      name: { givenName: 'Barbara', familyName: 'Tesst 01', formatted: 'Test 01' },
      displayName: 'Test 01',
      active: true,
      emails: [
        { value: 'test01@example.com', type: 'work', primary: true },
        { value: 'babs@home.example', type: 'home' },
      ],
      [ENTERPRISE]: { employeeNumber: 'Eqpj', department: 'Sales' },
    });
  });

  it('sets an empty attribute with Add', () => {
    expect(patch(User, storedUser(), { op: 'Add', path: 'nickName', value: 'Babs' }).data.nickName).toBe(
      'Babs',
    );
  });

  it('creates the work email from the filter when the user has no emails (checklist #8)', () => {
    const { emails: _, ...withoutEmails } = storedUser();
    const { data } = patch(User, withoutEmails, {
      op: 'Add',
      path: 'emails[type eq "work"].value',
      value: 'new@example.com',
    });
    expect(data.emails).toEqual([{ type: 'work', value: 'new@example.com' }]);
  });

  it('creates the work element without touching elements of other types', () => {
    const before = storedUser({ emails: [{ value: 'babs@home.example', type: 'home', primary: true }] });
    const add = patch(User, before, {
      op: 'Add',
      path: 'emails[type eq "work"].value',
      value: 'w@example.com',
    });
    expect(add.data.emails).toEqual([
      { value: 'babs@home.example', type: 'home', primary: true },
      { type: 'work', value: 'w@example.com' },
    ]);
    const replace = patch(User, before, {
      op: 'Replace',
      path: 'phoneNumbers[type eq "mobile"].value',
      value: '+1 555 0100',
    });
    expect(replace.data.phoneNumbers).toEqual([{ type: 'mobile', value: '+1 555 0100' }]);
    expect(replace.data.emails).toEqual(before.emails);
  });

  it('sets a sub-attribute on the matching address only', () => {
    const before = storedUser({
      addresses: [
        { type: 'work', streetAddress: '1 Old St', locality: 'Redmond' },
        { type: 'home', streetAddress: '2 Home Rd' },
      ],
    });
    const { data } = patch(User, before, {
      op: 'Replace',
      path: 'addresses[type eq "work"].streetAddress',
      value: '1 Microsoft Way',
    });
    expect(data.addresses).toEqual([
      { type: 'work', streetAddress: '1 Microsoft Way', locality: 'Redmond' },
      { type: 'home', streetAddress: '2 Home Rd' },
    ]);
  });

  it('toggles active with the string booleans "False" and "True" (checklist #9)', () => {
    const disabled = patch(User, storedUser(), { op: 'Replace', path: 'active', value: 'False' });
    expect(disabled.data.active).toBe(false);
    const enabled = patch(User, disabled.data, { op: 'Replace', path: 'active', value: 'True' });
    expect(enabled.data.active).toBe(true);
    // The S1 "Disable User" example mixes a capitalized op with a real boolean.
    expect(patch(User, storedUser(), { op: 'Replace', path: 'active', value: false }).data.active).toBe(
      false,
    );
  });

  it('reports nothing changed when Entra re-sends the stored values', () => {
    const result = patch(
      User,
      storedUser(),
      { op: 'Replace', path: 'active', value: 'True' },
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'bjensen@example.com' },
      { op: 'Replace', path: 'NAME.GIVENNAME', value: 'Barbara' },
    );
    expect(result.changed).toBe(false);
    expect(result.data).toEqual(storedUser());
    expect(result.membership).toEqual([]);
  });

  it('replaces userName, as Microsoft reference tests do', () => {
    const { data } = patch(User, storedUser(), {
      op: 'Replace',
      path: 'userName',
      value: 'omalley@example.com',
    });
    expect(data.userName).toBe('omalley@example.com');
  });
});

describe('Entra with aadOptscim062020 (entra.md#patch-with-aadoptscim062020, checklist #10)', () => {
  it('expands the path-less map of dotted and URN-qualified keys', () => {
    const { data } = patch(
      User,
      storedUser(),
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'x@test.microsoft.com' },
      {
        op: 'replace',
        value: {
          displayName: 'Bjfe',
          'name.givenName': 'Kkom',
          'name.familyName': 'Unua',
          [`${ENTERPRISE}:employeeNumber`]: 'Aklq',
          active: false,
        },
      },
    );
    expect(data).toEqual({
      ...storedUser(),
      displayName: 'Bjfe',
      name: { givenName: 'Kkom', familyName: 'Unua', formatted: 'Barbara Jensen' },
      active: false,
      emails: [
        { value: 'x@test.microsoft.com', type: 'work', primary: true },
        { value: 'babs@home.example', type: 'home' },
      ],
      [ENTERPRISE]: { employeeNumber: 'Aklq' },
    });
    expect(data).not.toHaveProperty(['name.givenName']);
  });

  it('expands dotted keys in a path-less add', () => {
    const { name: _, ...withoutName } = storedUser();
    const { data } = patch(User, withoutName, {
      op: 'add',
      value: { 'name.givenName': 'John', 'name.familyName': 'Doe', 'name.formatted': 'John Doe' },
    });
    expect(data.name).toEqual({ givenName: 'John', familyName: 'Doe', formatted: 'John Doe' });
  });

  it('merges an extension object given under its URN', () => {
    const before = storedUser({ [ENTERPRISE]: { department: 'Sales', costCenter: '42' } });
    const { data } = patch(User, before, {
      op: 'replace',
      value: { [ENTERPRISE]: { department: 'R&D', manager: { value: 'm1' } } },
    });
    expect(data[ENTERPRISE]).toEqual({ department: 'R&D', costCenter: '42', manager: { value: 'm1' } });
  });

  it('uses the Validator path-less replace for userName, displayName and externalId', () => {
    const { data } = patch(User, storedUser(), {
      op: 'replace',
      value: { userName: 'renamed@example.com', externalId: 'ext-2' },
    });
    expect(data.userName).toBe('renamed@example.com');
    expect(data.externalId).toBe('ext-2');
  });

  it('ignores unknown, read-only and schemas keys in a path-less value', () => {
    const { data, changed } = patch(User, storedUser(), {
      op: 'replace',
      value: {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        id: 'other-id',
        meta: { resourceType: 'User' },
        groups: [{ value: 'g1' }],
        favouriteColour: 'blue',
        'name.nonsense': 'x',
        'not a path!': 1,
        nickName: 'Babs',
      },
    });
    expect(changed).toBe(true);
    expect(data).toEqual({ ...storedUser(), nickName: 'Babs' });
  });
});

describe('manager, every form of entra.md#manager (checklist #11)', () => {
  const managerPath = `${ENTERPRISE}:manager`;
  const withManager = (manager: unknown) => storedUser({ [ENTERPRISE]: { department: 'Sales', manager } });

  it.each([
    ['a bare id string (default mode)', { op: 'Add', path: managerPath, value: '271' }, '271'],
    ['a bare id string (flag on)', { op: 'add', path: managerPath, value: '2c2f6fb8' }, '2c2f6fb8'],
    ['replace with a bare id', { op: 'replace', path: managerPath, value: 'new-id' }, 'new-id'],
    ['an object (Validator)', { op: 'add', path: managerPath, value: { value: 'v-id' } }, 'v-id'],
    [
      'an array with $ref (legacy doc example 5)',
      { op: 'Add', path: 'manager', value: [{ $ref: 'http://example.com/Users/26', value: '26' }] },
      '26',
    ],
    ['the pre-2018 dot form', { op: 'Replace', path: `${ENTERPRISE}.manager`, value: 'dot' }, 'dot'],
    ['its value sub-attribute', { op: 'replace', path: `${managerPath}.value`, value: 'sub' }, 'sub'],
  ])('stores %s as {value: id}', (_, operation, id) => {
    const { data } = patch(
      User,
      withManager({ value: 'old', $ref: 'http://example.com/Users/old' }),
      operation,
    );
    expect(data[ENTERPRISE]).toMatchObject({ department: 'Sales', manager: { value: id } });
    // A new manager id must not keep the previous manager's $ref.
    if (operation.path !== `${managerPath}.value` && !Array.isArray(operation.value)) {
      expect(data[ENTERPRISE]).toEqual({ department: 'Sales', manager: { value: id } });
    }
  });

  it('sets the manager on a user without an enterprise extension', () => {
    const { data } = patch(User, storedUser(), { op: 'Add', path: managerPath, value: '271' });
    expect(data[ENTERPRISE]).toEqual({ manager: { value: '271' } });
  });

  it.each([
    ['replace with ""', { op: 'replace', path: managerPath, value: '' }],
    ['replace with {"value":""}', { op: 'replace', path: managerPath, value: { value: '' } }],
    ['replace with null', { op: 'replace', path: managerPath, value: null }],
    ['remove with path', { op: 'remove', path: managerPath }],
    ['remove with a filter (Azure AD 2023)', { op: 'remove', path: 'manager[value eq "m1"]' }],
    ['remove of manager.value', { op: 'remove', path: `${managerPath}.value` }],
  ])('removes the manager on %s', (_, operation) => {
    const { data } = patch(
      User,
      withManager({ value: 'm1', $ref: 'http://example.com/Users/m1' }),
      operation,
    );
    expect(data[ENTERPRISE]).toEqual({ department: 'Sales' });
  });

  it('drops the extension object when removing the manager empties it', () => {
    const { data } = patch(User, storedUser({ [ENTERPRISE]: { manager: { value: 'm1' } } }), {
      op: 'replace',
      path: managerPath,
      value: '',
    });
    expect(data).toEqual(storedUser());
  });

  it('leaves another manager alone when the filter does not match', () => {
    const before = withManager({ value: 'm2' });
    const result = patch(User, before, { op: 'remove', path: 'manager[value eq "m1"]' });
    expect(result.changed).toBe(false);
    expect(result.data).toEqual(before);
  });

  it('ignores the read-only manager.displayName echoed in a value', () => {
    const { data } = patch(User, storedUser(), {
      op: 'add',
      path: managerPath,
      value: { value: 'm1', displayName: 'Boss' },
    });
    expect(data[ENTERPRISE]).toEqual({ manager: { value: 'm1' } });
  });

  it('refuses to set manager.displayName by path', () => {
    const error = scimErrorOf(() =>
      patch(User, withManager({ value: 'm1' }), {
        op: 'replace',
        path: `${managerPath}.displayName`,
        value: 'B',
      }),
    );
    expect(error.scimType).toBe('mutability');
  });
});

describe('the Validator null test (entra.md#null-values)', () => {
  it('ends with the attributes empty after "" and then null', () => {
    const before = storedUser({ nickName: 'Babs', title: 'Boss', [ENTERPRISE]: { department: 'Sales' } });
    const cleared = (value: unknown) =>
      patch(
        User,
        before,
        { op: 'replace', path: 'nickName', value },
        { op: 'replace', path: 'title', value },
        { op: 'replace', path: 'name.formatted', value },
        { op: 'replace', path: 'emails[type eq "home"].value', value },
        { op: 'replace', path: `${ENTERPRISE}:department`, value },
      ).data;
    const expected = {
      ...storedUser(),
      name: { givenName: 'Barbara', familyName: 'Jensen' },
      emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
    };
    expect(cleared('')).toEqual(expected);
    expect(cleared(null)).toEqual(expected);
  });
});

describe('roles (entra.md#roles)', () => {
  it('stores the JSON-string role value as sent', () => {
    const value = '{"id":"06b07648-ecfe-589f-9d2f-6f8f5b7d3c1a","value":"Admin","displayName":"Admin"}';
    const { data } = patch(User, storedUser(), { op: 'Add', path: 'roles', value: [{ value }] });
    expect(data.roles).toEqual([{ value }]);
  });

  it('finds a role stored with primary true through the filter string "True"', () => {
    const before = storedUser({ roles: [{ value: 'basic', primary: true }, { value: 'other' }] });
    const { data } = patch(User, before, {
      op: 'Replace',
      path: 'roles[primary eq "True"].value',
      value: 'manager',
    });
    expect(data.roles).toEqual([{ value: 'manager', primary: true }, { value: 'other' }]);
  });

  it('creates a primary role from the filter, with a real boolean', () => {
    const { data } = patch(User, storedUser(), {
      op: 'add',
      path: 'roles[primary eq "True"].value',
      value: 'basic',
    });
    expect(data.roles).toEqual([{ primary: true, value: 'basic' }]);
  });
});

it('leaves the input untouched', () => {
  const before = deepFreeze(
    storedUser({ [ENTERPRISE]: { manager: { value: 'm1' } }, roles: [{ value: 'a' }] }),
  );
  const copy = structuredClone(before);
  const result = patch(
    User,
    before,
    { op: 'replace', path: 'emails[type eq "work"].value', value: 'changed@example.com' },
    { op: 'remove', path: `${ENTERPRISE}:manager` },
    { op: 'add', path: 'roles', value: [{ value: 'b' }] },
    { op: 'replace', path: 'name.givenName', value: 'B' },
  );
  expect(before).toEqual(copy);
  expect(result.data).not.toBe(before);
  expect(result.data.roles).toEqual([{ value: 'a' }, { value: 'b' }]);
});
