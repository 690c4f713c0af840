/** The canonical stored form of a POST/PUT body, and the leniencies listed in normalize.ts. */
import { describe, expect, it } from 'vitest';
import { findAttribute, groupResourceType as Group, userResourceType as User } from '../schema/index.js';
import type { AttributeDefinition } from '../schema/types.js';
import { scimErrorOf } from '../testing/scim-error-of.js';
import { normalizeAttributeValue, normalizeResource } from './normalize.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const invalid = (fn: () => unknown, scimType: 'invalidValue' | 'invalidSyntax' = 'invalidValue') => {
  const error = scimErrorOf(fn);
  expect(error.status).toBe(400);
  expect(error.scimType).toBe(scimType);
  return error.detail;
};

describe('normalizeResource', () => {
  it('stores known attributes under their schema names, whatever case the client used, and ignores unknown ones', () => {
    expect(
      normalizeResource(User, {
        USERNAME: 'alice',
        Name: { GivenName: 'Alice', nope: 'x' },
        favouriteColour: 'blue',
        [ENTERPRISE.toUpperCase()]: { Department: 'R&D', unknown: 1 },
      }),
    ).toStrictEqual({ userName: 'alice', name: { givenName: 'Alice' }, [ENTERPRISE]: { department: 'R&D' } });
  });

  it('drops id, meta, schemas, read-only attributes and password', () => {
    expect(
      normalizeResource(User, {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        id: 'abc',
        meta: { resourceType: 'User' },
        userName: 'alice',
        password: 'secret',
        groups: [{ value: 'g1' }],
        [ENTERPRISE]: { manager: { value: 'm1', displayName: 'Boss' } },
      }),
    ).toStrictEqual({ userName: 'alice', [ENTERPRISE]: { manager: { value: 'm1' } } });
  });

  it('treats null, [] and {} as no value, at any level (Entra sends explicit nulls)', () => {
    expect(
      normalizeResource(User, {
        userName: 'alice',
        displayName: null,
        emails: [],
        phoneNumbers: [null, { value: null }],
        name: { givenName: null },
        [ENTERPRISE]: {},
      }),
    ).toStrictEqual({ userName: 'alice' });
  });

  it('reads "True"/"False" in any case as booleans and refuses other values', () => {
    expect(normalizeResource(User, { userName: 'a', active: ' FALSE ' }).active).toBe(false);
    expect(
      normalizeResource(User, { userName: 'a', emails: [{ value: 'x', primary: 'True' }] }).emails,
    ).toEqual([{ value: 'x', primary: true }]);
    expect(invalid(() => normalizeResource(User, { userName: 'a', active: 'yes' }))).toBe(
      'active must be a boolean (true or false), got "yes".',
    );
  });

  it('accepts a single object for a multi-valued attribute and a bare string for an element with a value', () => {
    expect(
      normalizeResource(User, { userName: 'a', emails: { value: 'a@example.com', type: 'work' } }).emails,
    ).toStrictEqual([{ value: 'a@example.com', type: 'work' }]);
    expect(normalizeResource(Group, { displayName: 'Team', members: ['u1', 2, ''] }).members).toStrictEqual([
      { value: 'u1' },
      { value: '2' },
    ]);
    expect(
      normalizeResource(User, { userName: 'a', [ENTERPRISE]: { manager: 'm1' } })[ENTERPRISE],
    ).toStrictEqual({ manager: { value: 'm1' } });
  });

  it('keeps strings exactly as sent, and numbers and booleans sent for strings as their text', () => {
    expect(
      normalizeResource(User, { userName: ' Alice ', title: 42, nickName: true, externalId: 1.5 }),
    ).toStrictEqual({ userName: ' Alice ', title: '42', nickName: 'true', externalId: '1.5' });
    expect(invalid(() => normalizeResource(User, { userName: 'a', title: { text: 'x' } }))).toBe(
      'title must be a string, got {"text":"x"}.',
    );
    expect(
      invalid(() => normalizeResource(User, { userName: 'a', emails: [{ value: 'x', type: ['work'] }] })),
    ).toBe('emails[0].type must be a string, got ["work"].');
  });

  it('requires userName for a User and displayName for a Group, not blank', () => {
    expect(invalid(() => normalizeResource(User, { displayName: 'Alice' }))).toBe(
      '"userName" is required for a User.',
    );
    expect(invalid(() => normalizeResource(User, { userName: '  ' }))).toBe('"userName" must not be blank.');
    expect(invalid(() => normalizeResource(Group, { displayName: null }))).toBe(
      '"displayName" is required for a Group.',
    );
    expect(invalid(() => normalizeResource(Group, { displayName: ' ' }))).toBe(
      '"displayName" must not be blank.',
    );
  });

  it('refuses a body that is not an object (invalidSyntax) and an extension that is not one (invalidValue)', () => {
    for (const body of [null, [], 'alice', 42]) {
      expect(invalid(() => normalizeResource(User, body), 'invalidSyntax')).toContain(
        'must be a JSON object',
      );
    }
    expect(invalid(() => normalizeResource(User, { userName: 'a', [ENTERPRISE]: 'R&D' }))).toBe(
      `"${ENTERPRISE}" must be an object.`,
    );
    expect(invalid(() => normalizeResource(User, { userName: 'a', name: 'Alice' }))).toBe(
      'name must be an object.',
    );
  });
});

describe('normalizeAttributeValue', () => {
  const def = (type: AttributeDefinition['type']): AttributeDefinition => ({
    name: 'n',
    type,
    multiValued: false,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    description: '',
  });

  it('coerces numbers, from text too, and refuses non-numbers and fractions for integers', () => {
    expect(normalizeAttributeValue(def('integer'), '42')).toBe(42);
    expect(normalizeAttributeValue(def('decimal'), 1.5)).toBe(1.5);
    expect(invalid(() => normalizeAttributeValue(def('integer'), 1.5))).toBe('n must be an integer.');
    expect(invalid(() => normalizeAttributeValue(def('decimal'), ' '))).toBe('n must be a number.');
    expect(invalid(() => normalizeAttributeValue(def('decimal'), Number.POSITIVE_INFINITY))).toBe(
      'n must be a number.',
    );
  });

  it('keeps a dateTime as sent and refuses text that is no date', () => {
    expect(normalizeAttributeValue(def('dateTime'), '2026-01-02T03:04:05+01:00')).toBe(
      '2026-01-02T03:04:05+01:00',
    );
    expect(invalid(() => normalizeAttributeValue(def('dateTime'), 'yesterday'))).toBe(
      'n must be an ISO 8601 date-time string.',
    );
  });

  it('drops read-only sub-attributes unless asked to keep them (re-reading stored data)', () => {
    const groupsDef = findAttribute(User.schema.attributes, 'groups') as AttributeDefinition;
    const groups = [{ value: 'g1', display: 'Team' }];
    expect(normalizeAttributeValue(groupsDef, groups)).toBeUndefined();
    expect(normalizeAttributeValue(groupsDef, groups, 'groups', { keepReadOnly: true })).toStrictEqual(
      groups,
    );
  });
});
