/** RFC 7644 §3.5.2 semantics of add, replace and remove, and the errors the engine raises. */
import { describe, expect, it } from 'vitest';
import { ScimError } from '../errors.js';
import type { ResourceData } from '../resource/normalize.js';
import { userResourceType as User } from '../schema/index.js';
import { scimErrorOf } from '../testing/scim-error-of.js';
import { applyPatch, type PatchResult } from './apply.js';
import type { PatchOperation } from './request.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const base: ResourceData = {
  userName: 'alice',
  name: { givenName: 'Alice', familyName: 'Liddell' },
  emails: [
    { value: 'alice@work.example', type: 'work', primary: true },
    { value: 'alice@home.example', type: 'home' },
  ],
};

const apply = (...operations: PatchOperation[]): PatchResult => applyPatch(User, base, operations);

describe('add', () => {
  it('appends elements to a multi-valued attribute, skipping ones already there', () => {
    const { data } = apply({
      op: 'add',
      path: 'emails',
      value: [
        { value: 'alice@home.example', type: 'home' },
        { value: 'a@other.example', type: 'other' },
      ],
    });
    expect(data.emails).toEqual([...(base.emails as unknown[]), { value: 'a@other.example', type: 'other' }]);
  });

  it('demotes the old primary when a new primary element is added', () => {
    const { data } = apply({
      op: 'add',
      path: 'emails',
      value: { value: 'new@work.example', primary: 'True' },
    });
    expect(data.emails).toEqual([
      { value: 'alice@work.example', type: 'work', primary: false },
      { value: 'alice@home.example', type: 'home' },
      { value: 'new@work.example', primary: true },
    ]);
  });

  it('merges sub-attributes into a complex attribute', () => {
    const { data } = apply({ op: 'add', path: 'name', value: { middleName: 'Pleasance' } });
    expect(data.name).toEqual({ givenName: 'Alice', familyName: 'Liddell', middleName: 'Pleasance' });
  });

  it('resolves names case-insensitively and stores canonical names', () => {
    const { data } = apply(
      { op: 'add', path: 'NAME.FamilyName', value: 'Hargreaves' },
      { op: 'add', path: 'urn:ietf:params:scim:schemas:core:2.0:User:NickName', value: 'Al' },
      { op: 'add', path: `${ENTERPRISE.toUpperCase()}:EMPLOYEENUMBER`, value: '7' },
      { op: 'add', value: { Name: { GivenName: 'Alicia' } } },
    );
    expect(data).toEqual({
      ...base,
      name: { givenName: 'Alicia', familyName: 'Hargreaves' },
      nickName: 'Al',
      [ENTERPRISE]: { employeeNumber: '7' },
    });
  });

  it('sets a sub-attribute on every element matching the filter', () => {
    const { data } = apply({ op: 'add', path: 'emails[value co "alice"].display', value: 'Alice' });
    expect(data.emails).toEqual([
      { value: 'alice@work.example', type: 'work', primary: true, display: 'Alice' },
      { value: 'alice@home.example', type: 'home', display: 'Alice' },
    ]);
  });

  it('cannot create an element from a filter that does not describe one', () => {
    const error = scimErrorOf(() =>
      apply({ op: 'add', path: 'emails[type eq "fax" or type eq "x"].value', value: 'v' }),
    );
    expect(error.scimType).toBe('noTarget');
    expect(error.detail).toMatch(/^Operation 1: no "emails" element matches/);
  });

  it('removes a single-valued attribute added with no value', () => {
    const { data } = apply(
      { op: 'add', value: { nickName: 'x' } },
      { op: 'add', path: 'nickName', value: null },
    );
    expect(data).toEqual(base);
  });
});

describe('replace', () => {
  it('replaces a whole multi-valued attribute', () => {
    const { data } = apply({ op: 'replace', path: 'emails', value: [{ value: 'only@example.com' }] });
    expect(data.emails).toEqual([{ value: 'only@example.com' }]);
  });

  it('keeps the unlisted sub-attributes of a complex attribute (RFC 7644 §3.5.2.3)', () => {
    const { data } = apply({ op: 'replace', value: { name: { givenName: 'Alicia' } } });
    expect(data.name).toEqual({ givenName: 'Alicia', familyName: 'Liddell' });
  });

  it('merges a value into the matching elements', () => {
    const { data } = apply({
      op: 'replace',
      path: 'emails[type eq "home"]',
      value: { value: 'new@home.example' },
    });
    expect(data.emails).toEqual([
      { value: 'alice@work.example', type: 'work', primary: true },
      { value: 'new@home.example', type: 'home' },
    ]);
  });

  it('replaces the whole enterprise extension path with a merge of its attributes', () => {
    const before = { ...base, [ENTERPRISE]: { department: 'Sales', division: 'East' } };
    const { data } = applyPatch(User, before, [
      { op: 'replace', path: ENTERPRISE, value: { department: 'R&D', division: null, costCenter: 'C1' } },
    ]);
    expect(data[ENTERPRISE]).toEqual({ department: 'R&D', costCenter: 'C1' });
  });

  it('removes an attribute replaced with an empty value', () => {
    const { data } = apply(
      { op: 'replace', path: 'emails', value: [] },
      { op: 'replace', path: 'name', value: {} },
    );
    expect(data).toEqual({ userName: 'alice' });
  });
});

describe('remove', () => {
  it('deletes an attribute, a sub-attribute, and a complex attribute left empty', () => {
    expect(apply({ op: 'remove', path: 'emails' }).data).toEqual({ userName: 'alice', name: base.name });
    expect(apply({ op: 'remove', path: 'name.givenName' }).data.name).toEqual({ familyName: 'Liddell' });
    const { data } = apply(
      { op: 'remove', path: 'name.givenName' },
      { op: 'remove', path: 'name.familyName' },
    );
    expect(data).not.toHaveProperty('name');
  });

  it('deletes the matching elements and drops the attribute when none is left', () => {
    expect(apply({ op: 'remove', path: 'emails[type eq "home"]' }).data.emails).toEqual([
      { value: 'alice@work.example', type: 'work', primary: true },
    ]);
    expect(apply({ op: 'remove', path: 'emails[value ew ".example"]' }).data).not.toHaveProperty('emails');
  });

  it('deletes a sub-attribute of the matching elements', () => {
    expect(apply({ op: 'remove', path: 'emails[type eq "work"].primary' }).data.emails).toEqual([
      { value: 'alice@work.example', type: 'work' },
      { value: 'alice@home.example', type: 'home' },
    ]);
  });

  it('with a value, removes only the elements with those values', () => {
    const { data } = apply({ op: 'remove', path: 'emails', value: [{ value: 'ALICE@home.example' }] });
    expect(data.emails).toEqual([{ value: 'alice@work.example', type: 'work', primary: true }]);
    expect(apply({ op: 'remove', path: 'emails', value: [] }).data).toEqual(base);
  });

  it('does nothing when the filter matches nothing', () => {
    const result = apply({ op: 'remove', path: 'emails[type eq "fax"]' }, { op: 'remove', path: 'nickName' });
    expect(result).toEqual({ data: base, membership: [], changed: false });
  });

  it('removes the whole extension by its URN', () => {
    const before = { ...base, [ENTERPRISE]: { department: 'Sales' } };
    expect(applyPatch(User, before, [{ op: 'remove', path: ENTERPRISE }]).data).toEqual(base);
  });

  it('treats a password as accepted and never stored', () => {
    const result = apply(
      { op: 'replace', path: 'password', value: 's3cret' },
      { op: 'add', value: { password: 'x' } },
    );
    expect(result.data).toEqual(base);
    expect(result.changed).toBe(false);
  });
});

describe('errors', () => {
  it('names the unknown attribute of an explicit path', () => {
    const error = scimErrorOf(() =>
      apply(
        { op: 'replace', path: 'nickName', value: 'x' },
        { op: 'replace', path: 'favouriteColour', value: 'x' },
      ),
    );
    expect(error.scimType).toBe('invalidPath');
    expect(error.detail).toBe(
      'Operation 2: path "favouriteColour": a User has no attribute "favouriteColour".',
    );
  });

  it('names an unknown sub-attribute and an unknown extension attribute', () => {
    expect(scimErrorOf(() => apply({ op: 'add', path: 'name.nickname', value: 'x' })).detail).toContain(
      '"name" has no sub-attribute "nickname"',
    );
    expect(scimErrorOf(() => apply({ op: 'add', path: `${ENTERPRISE}:shoeSize`, value: 1 })).scimType).toBe(
      'invalidPath',
    );
    expect(
      scimErrorOf(() => apply({ op: 'add', path: 'emails[colour eq "red"].value', value: 1 })).detail,
    ).toContain('not a sub-attribute of "emails"');
    expect(scimErrorOf(() => apply({ op: 'add', path: 'userName[value eq "x"]', value: 'y' })).scimType).toBe(
      'invalidPath',
    );
  });

  it('reports a malformed path with the parser reason', () => {
    const error = scimErrorOf(() =>
      apply(
        { op: 'add', path: 'nickName', value: 'x' },
        { op: 'replace', path: 'emails[type eq "work"', value: 'x' },
      ),
    );
    expect(error.scimType).toBe('invalidPath');
    expect(error.detail).toMatch(
      /^Operation 2: path "emails\[type eq \\"work\\"" is not a valid SCIM path: .+/,
    );
  });

  it.each([
    ['id', { op: 'replace', path: 'id', value: 'x' }],
    ['meta', { op: 'remove', path: 'meta' }],
    ['meta.lastModified', { op: 'replace', path: 'meta.lastModified', value: '2024-01-01T00:00:00Z' }],
    ['groups', { op: 'add', path: 'groups', value: [{ value: 'g1' }] }],
  ] as [string, PatchOperation][])('refuses to modify the read-only %s', (name, operation) => {
    const error = scimErrorOf(() => apply(operation));
    expect(error.scimType).toBe('mutability');
    expect(error.detail).toContain(`"${name}"`);
  });

  it('refuses to remove the required userName, even in a path-less replace', () => {
    expect(scimErrorOf(() => apply({ op: 'remove', path: 'userName' })).scimType).toBe('invalidValue');
    expect(scimErrorOf(() => apply({ op: 'replace', value: { userName: '' } })).detail).toContain('userName');
  });

  it('accepts removing and re-adding userName in one request: the check runs after the last operation', () => {
    const { data } = apply(
      { op: 'remove', path: 'userName' },
      { op: 'add', path: 'userName', value: 'alice2' },
    );
    expect(data.userName).toBe('alice2');
  });

  it.each([
    ['a non-boolean active', { op: 'replace', path: 'active', value: 'maybe' }, 'active'],
    ['an object for a string', { op: 'replace', path: 'nickName', value: { a: 1 } }, 'nickName'],
    ['a string for name', { op: 'replace', path: 'name', value: 'Alice' }, 'name'],
    ['a number for the extension', { op: 'replace', path: ENTERPRISE, value: 5 }, ENTERPRISE],
    [
      'a non-boolean in a filter',
      { op: 'add', path: 'emails[primary eq "yes"].value', value: 'x' },
      'primary',
    ],
  ] as [string, PatchOperation, string][])('rejects %s with invalidValue', (_, operation, name) => {
    const error = scimErrorOf(() => apply(operation));
    expect(error.scimType).toBe('invalidValue');
    expect(error.detail).toMatch(/^Operation 1: /);
    expect(error.detail).toContain(name);
  });

  it('raises only ScimErrors, whatever the values', () => {
    const values: unknown[] = [
      null,
      '',
      'x',
      0,
      1.5,
      true,
      [],
      [null],
      ['x'],
      [[1]],
      {},
      { value: {} },
      { a: [1] },
    ];
    const paths = [
      'nickName',
      'name',
      'name.givenName',
      'emails',
      'emails[type eq "work"].value',
      'active',
      ENTERPRISE,
    ];
    for (const path of [...paths, `${ENTERPRISE}:manager`, 'x509Certificates', 'photos[type eq "photo"]']) {
      for (const op of ['add', 'replace', 'remove'] as const) {
        for (const value of values) {
          try {
            applyPatch(User, base, [{ op, path, value }]);
            applyPatch(User, base, [{ op, value: { [path]: value } }]);
          } catch (error) {
            expect(error, `${op} ${path} ${JSON.stringify(value)}`).toBeInstanceOf(ScimError);
          }
        }
      }
    }
  });
});

describe('changed', () => {
  it('is false when every operation leaves the data as it was', () => {
    const result = apply(
      { op: 'add', path: 'emails', value: [{ type: 'home', value: 'alice@home.example' }] },
      { op: 'replace', value: { name: { givenName: 'Alice' } } },
      { op: 'remove', path: 'emails[type eq "other"]' },
    );
    expect(result.changed).toBe(false);
  });

  it('is false for a change undone within the same request', () => {
    expect(
      apply(
        { op: 'replace', path: 'name.givenName', value: 'X' },
        { op: 'replace', path: 'name.givenName', value: 'Alice' },
      ).changed,
    ).toBe(false);
  });

  it('is true for any difference', () => {
    expect(apply({ op: 'replace', path: 'emails[type eq "home"].type', value: 'other' }).changed).toBe(true);
  });
});
