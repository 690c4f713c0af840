import { describe, expect, it } from 'vitest';
import { commonAttributes, enterpriseUserSchema, findAttribute, userSchema } from '../schema/index.js';
import type { AttributeDefinition } from '../schema/types.js';
import type { Filter } from './ast.js';
import { matchesFilter } from './evaluate.js';
import { parseFilter } from './parser.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const userAttributes = [...commonAttributes, ...userSchema.attributes, ...enterpriseUserSchema.attributes];

function definition(
  name: string,
  type: AttributeDefinition['type'],
  extra: Partial<AttributeDefinition> = {},
) {
  return {
    name,
    type,
    multiValued: false,
    description: name,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...extra,
  } satisfies AttributeDefinition;
}

const emailSubAttributes = findAttribute(userSchema.attributes, 'emails')?.subAttributes ?? [];

const user = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  id: 'Abc-123',
  externalId: 'JYoung',
  userName: 'Barbara.Jensen@Example.com',
  name: { familyName: 'Jensen', givenName: 'Barbara' },
  displayName: 'Zürich Büro',
  title: '',
  nickName: null,
  active: true,
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  ims: [],
  meta: { created: '2015-10-10T14:38:21.861Z', lastModified: '2024-06-01T00:00:00Z', version: 'W/"A1"' },
  [ENTERPRISE]: { employeeNumber: '701984', manager: { value: 'mgr-1', displayName: 'Boss' } },
};

/** Parses `text` and evaluates it against `element`; keeps the tests readable. */
const matches = (
  text: string,
  element: unknown = user,
  attributes: readonly AttributeDefinition[] = userAttributes,
) => matchesFilter(parseFilter(text), element, attributes);

describe('matchesFilter: string operators', () => {
  it.each([
    ['userName eq "barbara.jensen@example.com"', true],
    ['userName eq "someone@example.com"', false],
    ['userName ne "someone@example.com"', true],
    ['userName ne "BARBARA.JENSEN@EXAMPLE.COM"', false],
    ['userName co "JENSEN@"', true],
    ['userName co "smith"', false],
    ['userName sw "barbara"', true],
    ['userName sw "jensen"', false],
    ['userName ew "EXAMPLE.COM"', true],
    ['userName ew "example"', false],
    ['userName gt "a"', true],
    ['userName gt "c"', false],
    ['userName ge "barbara.jensen@example.com"', true],
    ['userName lt "c"', true],
    ['userName lt "barbara"', false],
    ['userName le "BARBARA.JENSEN@EXAMPLE.COM"', true],
    ['displayName eq "zürich büro"', true],
  ])('%s → %s', (text, expected) => {
    expect(matches(text)).toBe(expected);
  });

  it('matches attribute names case-insensitively', () => {
    expect(matches('USERNAME EQ "barbara.jensen@example.com"')).toBe(true);
    expect(matches('Name.FamilyName eq jensen')).toBe(true);
  });

  it('honours caseExact from the attribute definitions', () => {
    // id and externalId are caseExact in commonAttributes.
    expect(matches('id eq "Abc-123"')).toBe(true);
    expect(matches('id eq "abc-123"')).toBe(false);
    expect(matches('externalId eq JYoung')).toBe(true);
    expect(matches('externalId eq jyoung')).toBe(false);
    expect(matches('externalId sw "jy"')).toBe(false);
    expect(matches('meta.version eq "w/\\"a1\\""')).toBe(false);
    // Without definitions, everything compares case-insensitively.
    expect(matches('id eq "abc-123"', user, [])).toBe(true);
    expect(matches('externalId eq jyoung', user, [])).toBe(true);
  });

  it('compares strings lexicographically by code unit, not numerically', () => {
    const attrs = [definition('code', 'string')];
    expect(matches('code gt "9"', { code: '10' }, attrs)).toBe(false);
    expect(matches('code lt "9"', { code: '10' }, attrs)).toBe(true);
  });
});

describe('matchesFilter: presence', () => {
  it.each([
    ['userName pr', true],
    ['title pr', false], // empty string
    ['nickName pr', false], // null
    ['ims pr', false], // empty array
    ['emails pr', true],
    ['name pr', true],
    ['name.middleName pr', false],
    ['phoneNumbers pr', false], // missing
    ['emails.type pr', true],
    ['active pr', true],
  ])('%s → %s', (text, expected) => {
    expect(matches(text)).toBe(expected);
  });

  it('treats a complex value with only empty sub-attributes as absent', () => {
    expect(matches('name pr', { name: { givenName: '', familyName: null } })).toBe(false);
    expect(matches('emails pr', { emails: [{ value: '' }, null] })).toBe(false);
    expect(matches('name pr', { name: { tags: [], other: [null, ''] } })).toBe(false);
    expect(matches('name pr', { name: { tags: [null, 'x'] } })).toBe(true);
    expect(matches('active pr', { active: false })).toBe(true);
    expect(matches('count pr', { count: 0 })).toBe(true);
  });
});

describe('matchesFilter: multi-valued attributes', () => {
  it('matches when any element matches, comparing the value sub-attribute of complex elements', () => {
    expect(matches('emails eq "babs@jensen.org"')).toBe(true);
    expect(matches('emails co "@example.com"')).toBe(true);
    expect(matches('emails eq "nobody@x"')).toBe(false);
    expect(matches('emails.value ew ".org"')).toBe(true);
    expect(matches('emails.type eq "home"')).toBe(true);
    expect(matches('emails.type eq "other"')).toBe(false);
  });

  it('compares a single complex value by its value sub-attribute (Entra: manager eq "id")', () => {
    expect(matches('manager eq "mgr-1"')).toBe(false); // lives in the extension, which needs the URN
    expect(matches(`${ENTERPRISE}:manager eq "MGR-1"`)).toBe(true);
    expect(
      matches('id eq "Abc-123" and manager eq "mgr"', { id: 'Abc-123', manager: { value: 'mgr' } }),
    ).toBe(true);
    expect(
      matches('id eq "gid" and members eq "uid"', { id: 'gid', members: [{ value: 'x' }, { value: 'uid' }] }),
    ).toBe(true);
  });

  it('matches arrays of primitives element by element', () => {
    expect(matches('tags eq "b"', { tags: ['a', 'b'] }, [])).toBe(true);
    expect(matches('tags eq "c"', { tags: ['a', 'b'] }, [])).toBe(false);
    expect(matches('schemas eq "urn:ietf:params:scim:schemas:core:2.0:user"')).toBe(true);
  });

  it('uses "any element" semantics for ne, and counts an absent attribute as not equal', () => {
    expect(matches('emails.type ne "work"')).toBe(true); // the home address differs
    expect(matches('emails.type ne "work"', { emails: [{ type: 'work' }] })).toBe(false);
    expect(matches('phoneNumbers ne "1"')).toBe(true);
    expect(matches('nickName ne "x"')).toBe(true);
  });
});

describe('matchesFilter: value paths', () => {
  it('evaluates a bracket filter against each element', () => {
    expect(matches('emails[type eq "work" and value co "@example.com"]')).toBe(true);
    expect(matches('emails[type eq "home" and value co "@example.com"]')).toBe(false);
    expect(matches('emails[primary eq true]')).toBe(true);
    expect(matches('emails[not (type eq "work")]')).toBe(true);
    expect(matches('ims[type eq "xmpp"]')).toBe(false);
    expect(matches('phoneNumbers[type pr]')).toBe(false);
  });

  it('evaluates the Entra form attr[filter].sub op value on the same element', () => {
    expect(matches('emails[type eq "work"].value eq "bjensen@example.com"')).toBe(true);
    // babs@jensen.org exists, but not on the work element.
    expect(matches('emails[type eq "work"].value eq "babs@jensen.org"')).toBe(false);
  });

  it('combines value paths with or', () => {
    expect(
      matches(
        'emails[type eq "other" and value co "@example.com"] or emails[type eq "home" and value co "jensen"]',
      ),
    ).toBe(true);
  });

  it('applies the sub-attribute definitions inside brackets', () => {
    const attrs = [
      definition('keys', 'complex', {
        multiValued: true,
        subAttributes: [definition('value', 'string', { caseExact: true }), definition('type', 'string')],
      }),
    ];
    const element = { keys: [{ value: 'AbC', type: 'ssh' }] };
    expect(matches('keys[type eq "SSH" and value eq "AbC"]', element, attrs)).toBe(true);
    expect(matches('keys[value eq "abc"]', element, attrs)).toBe(false);
    expect(matches('keys[value eq "abc"]', element, [])).toBe(true);
  });

  it('lets value name the element itself in a multi-valued simple attribute', () => {
    const attrs = [definition('tags', 'string', { multiValued: true, caseExact: true })];
    expect(matches('tags[value eq "b"]', { tags: ['a', 'b'] }, attrs)).toBe(true);
    expect(matches('tags[value eq "B"]', { tags: ['a', 'b'] }, attrs)).toBe(false);
    expect(matches('tags[value sw "b"]', { tags: ['a'] }, attrs)).toBe(false);
  });

  it('works on one element directly, as the PATCH engine calls it', () => {
    const work = { value: 'bjensen@example.com', type: 'Work' };
    expect(matches('type eq "work"', work, emailSubAttributes)).toBe(true);
    expect(matches('type eq "home"', work, emailSubAttributes)).toBe(false);
    expect(matches('value ew "EXAMPLE.COM" and not (primary eq true)', work, emailSubAttributes)).toBe(true);
    expect(matches('value eq "bjensen@example.com"', 'bjensen@example.com', [])).toBe(true);
    expect(matches('type eq "work"', null, emailSubAttributes)).toBe(false);
  });
});

describe('matchesFilter: URN-qualified paths', () => {
  it('reads extension attributes from the extension object', () => {
    expect(matches(`${ENTERPRISE}:employeeNumber eq "701984"`)).toBe(true);
    expect(matches(`${ENTERPRISE.toUpperCase()}:EMPLOYEENUMBER eq "701984"`)).toBe(true);
    expect(matches(`${ENTERPRISE}:manager.displayName eq "boss"`)).toBe(true);
    expect(matches(`${ENTERPRISE}:department pr`)).toBe(false);
  });

  it('reads core-schema-qualified attributes from the top level', () => {
    expect(matches('urn:ietf:params:scim:schemas:core:2.0:User:userName sw "barbara"')).toBe(true);
    expect(matches('urn:ietf:params:scim:schemas:core:2.0:User:name.givenName eq "barbara"')).toBe(true);
  });
});

describe('matchesFilter: numbers, booleans, null and dates', () => {
  const attrs = [
    definition('count', 'integer'),
    definition('ratio', 'decimal'),
    definition('flag', 'boolean'),
    definition('code', 'string'),
    definition('when', 'dateTime'),
  ];
  const element = { count: 10, ratio: 0.5, flag: 'True', code: '0042', when: '2015-10-10T21:38:21.861Z' };

  it.each([
    ['count eq 10', true],
    ['count ne 10', false],
    ['count gt 9', true],
    ['count gt 10', false],
    ['count ge 10', true],
    ['count lt 10', false],
    ['count le 10', true],
    ['count eq "10"', true], // numeric string against a number
    ['count eq "ten"', false],
    ['count ne "ten"', true],
    ['count co 1', false], // co/sw/ew have no numeric meaning
    ['ratio lt 1e0', true],
    ['ratio eq 0.5', true],
  ])('numbers: %s → %s', (text, expected) => {
    expect(matches(text, element, attrs)).toBe(expected);
  });

  it('compares a number filter against a string attribute as text', () => {
    expect(matches('code eq 42', element, attrs)).toBe(false); // "0042" is not "42"
    expect(matches('code ew 42', element, attrs)).toBe(true);
    expect(matches('code eq 42', { code: '42' }, attrs)).toBe(true);
    // Without a definition a numeric string compares numerically.
    expect(matches('code eq 42', element, [])).toBe(true);
  });

  it.each([
    ['flag eq true', true], // "True" string in the element (Entra)
    ['flag eq false', false],
    ['flag ne false', true],
    ['flag eq "TRUE"', true],
    ['flag gt false', false], // booleans support eq/ne only
    ['active eq true', true],
    ['active eq "True"', true],
    ['active eq "yes"', false],
    ['active ne "yes"', true],
  ])('booleans: %s → %s', (text, expected) => {
    expect(matches(text, { ...element, active: true }, attrs)).toBe(expected);
  });

  it('does not treat a non-boolean string as a boolean', () => {
    expect(matches('code eq true', element, attrs)).toBe(false);
    expect(matches('code ne true', element, attrs)).toBe(true);
  });

  it('treats eq null as absent and ne null as present', () => {
    expect(matches('nickName eq null')).toBe(true);
    expect(matches('title eq null')).toBe(true);
    expect(matches('missing eq null')).toBe(true);
    expect(matches('userName eq null')).toBe(false);
    expect(matches('userName ne null')).toBe(true);
    expect(matches('nickName ne null')).toBe(false);
    expect(matches('userName gt null')).toBe(false);
  });

  it.each([
    ['when eq "2015-10-10T14:38:21.861-07:00"', true], // same instant, other offset
    ['when gt 2015-10-10T14:38:21.8617979-07:00', false],
    ['when ge 2015-10-10T14:38:21.8617979-07:00', true],
    ['when gt 2015-10-10T14:38:21.8-07:00', true],
    ['when gt "2015-10-10"', true],
    ['when lt "2015-10-11"', true],
    ['when gt "0001-01-03T00:00:00.0000000Z"', true],
    ['when le "2026-01-01T00:00:00Z"', true],
    ['when lt "2015-10-10T21:38:21"', false], // no offset: UTC
    ['when sw "2015-10-10"', true], // co/sw/ew stay string operators
    ['when gt "not a date"', false], // falls back to string order: "2" < "n"
  ])('dateTime: %s → %s', (text, expected) => {
    expect(matches(text, element, attrs)).toBe(expected);
  });

  it('compares dateTime timestamps for meta attributes from the schema', () => {
    expect(
      matches(
        'active eq true and (meta.lastModified ge "0001-01-03T00:00:00.0000000Z" and meta.lastModified le "2026-01-01T00:00:00Z")',
      ),
    ).toBe(true);
    expect(matches('meta.Created gt 2015-10-10T14:38:21.8617979-07:00')).toBe(false);
    expect(matches('meta.created lt 2015-10-10T14:38:21.9-07:00')).toBe(true);
  });

  it('compares dateTime strings as text when the attribute type is unknown', () => {
    // "2015-10-10T21..." vs "2015-10-10T14...": lexicographic order, offsets ignored.
    expect(matches('when gt "2015-10-10T14:38:21.861-07:00"', element, [])).toBe(true);
    expect(matches('when eq "2015-10-10T14:38:21.861-07:00"', element, [])).toBe(false);
  });
});

describe('matchesFilter: logic', () => {
  it('combines and, or and not', () => {
    expect(matches('userName sw "barbara" and active eq true')).toBe(true);
    expect(matches('userName sw "barbara" and active eq false')).toBe(false);
    expect(matches('userName sw "nobody" or active eq true')).toBe(true);
    expect(matches('not (userName sw "barbara")')).toBe(false);
    expect(matches('not (title pr) and not (nickName pr)')).toBe(true);
    expect(matches('a eq 1 or userName pr and title pr', { userName: 'u' })).toBe(false);
    expect(matches('(a eq 1 or userName pr) and title pr', { userName: 'u' })).toBe(false);
    expect(matches('a eq 1 or userName pr and not (title pr)', { userName: 'u' })).toBe(true);
  });

  it('evaluates very long and/or chains without deep recursion', () => {
    const terms = 20_000;
    let chain: Filter = { kind: 'present', path: { attr: 'a0' } };
    for (let i = 1; i < terms; i++) {
      chain = { kind: 'or', left: chain, right: { kind: 'present', path: { attr: `a${i}` } } };
    }
    expect(matchesFilter(chain, { [`a${terms - 1}`]: 'x' })).toBe(true);
    expect(matchesFilter(chain, {})).toBe(false);
  });

  it('returns false for non-object elements rather than throwing', () => {
    expect(matches('userName eq "x"', undefined)).toBe(false);
    expect(matches('userName eq "x"', 42)).toBe(false);
    expect(matches('userName eq "x"', ['x'])).toBe(false);
    expect(matches('userName pr', { userName: { nested: { deep: [1] } } })).toBe(true);
    expect(matches('userName eq "x"', { userName: { nested: 'x' } })).toBe(false);
  });
});
