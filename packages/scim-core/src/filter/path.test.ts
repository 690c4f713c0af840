import { describe, expect, it } from 'vitest';
import { ScimError } from '../errors.js';
import type { AttributePath, PatchPath } from './ast.js';
import { parseAttributePath, parsePatchPath } from './parser.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function pathError(parse: () => unknown): ScimError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError);
    const scim = error as ScimError;
    expect(scim.status).toBe(400);
    expect(scim.scimType).toBe('invalidPath');
    return scim;
  }
  throw new Error('expected the path to be rejected');
}

describe('parsePatchPath', () => {
  it.each<[string, PatchPath]>([
    ['members', { kind: 'attribute', path: { attr: 'members' } }],
    ['name.givenName', { kind: 'attribute', path: { attr: 'name', sub: 'givenName' } }],
    [`${ENTERPRISE}:manager`, { kind: 'attribute', path: { uri: ENTERPRISE, attr: 'manager' } }],
    [
      `${ENTERPRISE}:employeeNumber`,
      { kind: 'attribute', path: { uri: ENTERPRISE, attr: 'employeeNumber' } },
    ],
    [
      `${ENTERPRISE}:manager.value`,
      { kind: 'attribute', path: { uri: ENTERPRISE, attr: 'manager', sub: 'value' } },
    ],
    // The bare extension URN: the consumer recognises uri + attr as the extension schema id.
    [
      ENTERPRISE,
      {
        kind: 'attribute',
        path: { uri: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0', attr: 'User' },
      },
    ],
    [
      'emails[type eq "work"].value',
      {
        kind: 'valuePath',
        path: { attr: 'emails' },
        filter: { kind: 'compare', path: { attr: 'type' }, op: 'eq', value: 'work' },
        sub: 'value',
      },
    ],
    [
      'members[value eq "2819c223"]',
      {
        kind: 'valuePath',
        path: { attr: 'members' },
        filter: { kind: 'compare', path: { attr: 'value' }, op: 'eq', value: '2819c223' },
      },
    ],
    [
      'addresses[type eq "work"].streetAddress',
      {
        kind: 'valuePath',
        path: { attr: 'addresses' },
        filter: { kind: 'compare', path: { attr: 'type' }, op: 'eq', value: 'work' },
        sub: 'streetAddress',
      },
    ],
    [
      'emails[type eq "work" and not (primary eq true)]',
      {
        kind: 'valuePath',
        path: { attr: 'emails' },
        filter: {
          kind: 'and',
          left: { kind: 'compare', path: { attr: 'type' }, op: 'eq', value: 'work' },
          right: {
            kind: 'not',
            filter: { kind: 'compare', path: { attr: 'primary' }, op: 'eq', value: true },
          },
        },
      },
    ],
    [
      `${ENTERPRISE}:manager[value eq "m"]`,
      {
        kind: 'valuePath',
        path: { uri: ENTERPRISE, attr: 'manager' },
        filter: { kind: 'compare', path: { attr: 'value' }, op: 'eq', value: 'm' },
      },
    ],
    ['  members  ', { kind: 'attribute', path: { attr: 'members' } }],
  ])('parses %s', (text, expected) => {
    expect(parsePatchPath(text)).toStrictEqual(expected);
  });

  it.each([
    ['', /path is empty/],
    ['1members', /Invalid attribute path "1members" at position 0/],
    ['name.givenName.x', /only one level of sub-attribute/],
    ['emails[type eq "work"', /Missing "]" to close the "\[" at position 6/],
    ['emails[type eq]', /Expected a value after "type eq" at position 14 but found "]"/],
    ['emails[type zz "work"]', /Unknown operator "zz"/],
    ['emails[]', /Empty value filter/],
    ['emails[type eq "work"].value.x', /Invalid sub-attribute "\.value\.x"/],
    ['emails[type eq "work"]x', /Unexpected "x" at position 22 in the path/],
    ['emails[type eq "work"][primary eq true]', /Unexpected "\[" at position 22/],
    ['members value', /Unexpected "value" at position 8/],
    ['"members"', /Expected an attribute name at position 0 but found the string "members"/],
    ['emails[value eq "x"] and title pr', /Unexpected "and"/],
    ['name.givenName[value pr]', /cannot take a value filter/],
    ['emails[addresses[type pr]]', /cannot contain another value filter/],
    [`members[value eq "${'x'.repeat(10_000)}"]`, /too long/],
  ])('rejects %j with invalidPath', (text, detail) => {
    expect(pathError(() => parsePatchPath(text)).detail).toMatch(detail);
  });
});

describe('parseAttributePath', () => {
  it.each<[string, AttributePath]>([
    ['userName', { attr: 'userName' }],
    ['name.familyName', { attr: 'name', sub: 'familyName' }],
    ['meta.lastModified', { attr: 'meta', sub: 'lastModified' }],
    ['members.$ref', { attr: 'members', sub: '$ref' }],
    [' emails ', { attr: 'emails' }],
    [
      'urn:ietf:params:scim:schemas:core:2.0:User:name.givenName',
      { uri: 'urn:ietf:params:scim:schemas:core:2.0:User', attr: 'name', sub: 'givenName' },
    ],
    [`${ENTERPRISE}:department`, { uri: ENTERPRISE, attr: 'department' }],
    [ENTERPRISE, { uri: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0', attr: 'User' }],
  ])('parses %s', (text, expected) => {
    expect(parseAttributePath(text)).toStrictEqual(expected);
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['a.b.c', /only one level of sub-attribute/],
    ['emails[type eq "work"]', /not a valid attribute name/],
    ['user name', /not a valid attribute name/],
    ['9lives', /not a valid attribute name/],
    ['name.', /"" is not a valid attribute name/],
    ['.name', /"" is not a valid attribute name/],
    ['urn:ietf:params:scim:schemas:core:2.0:User:', /no attribute name follows/],
    ['urn:', /not a valid schema URN/],
    ['urn:a b:c:name', /not a valid schema URN/],
    ['urn:foo::name', /not a valid schema URN/],
  ])('rejects %j with invalidPath', (text, detail) => {
    expect(pathError(() => parseAttributePath(text)).detail).toMatch(detail);
  });
});
