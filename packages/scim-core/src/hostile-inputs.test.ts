/**
 * A corpus of hostile inputs for the filter parser, the evaluator and the PATCH engine, kept as
 * regression tests (issue #7, "Bad input"). Each entry pins its exact outcome: the AST or value it
 * becomes, or the status and scimType it is rejected with. The property tests beside the parser and
 * the engine explore at random; this file keeps the cases that matter, and the ones they found.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ScimError, ScimType } from './errors.js';
import type { Filter, FilterValue, PatchPath } from './filter/ast.js';
import { matchesFilter } from './filter/evaluate.js';
import { MAX_FILTER_LENGTH, parseFilter, parsePatchPath } from './filter/parser.js';
import { applyPatch } from './patch/apply.js';
import { MAX_OPERATIONS, PATCH_OP_SCHEMA, parsePatchRequest } from './patch/request.js';
import { normalizeResource, type ResourceData } from './resource/normalize.js';
import { commonAttributes, groupResourceType, userResourceType, userSchema } from './schema/index.js';
import { ENTERPRISE } from './testing/filter-arbitraries.js';
import { deepArray, ownObject } from './testing/patch-arbitraries.js';
import { scimErrorOf } from './testing/scim-error-of.js';

const OBJECT_PROTOTYPE = Object.getOwnPropertyNames(Object.prototype);

afterEach(() => {
  // Every test here feeds prototype-shaped keys to the code somewhere; none may reach Object.prototype.
  expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(OBJECT_PROTOTYPE);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

const compare = (attr: string, op: 'eq' | 'gt', value: FilterValue): Filter => ({
  kind: 'compare',
  path: { attr },
  op,
  value,
});

/** A test title for an input that may be thousands of characters long. */
const label = (text: string) =>
  text.length > 40
    ? `${JSON.stringify(text.slice(0, 12))}… (${text.length} characters)`
    : JSON.stringify(text);

/** Puts a short label for the first column (the input) in front of each row, for `it.each('%s')`. */
function labelled<T extends unknown[]>(rows: [string, ...T][]): [string, string, ...T][] {
  return rows.map(([text, ...rest]) => [label(text), text, ...rest]);
}

/** The 400 ScimError `fn` throws, after checking its scimType. */
function rejected(fn: () => unknown, scimType: ScimType): ScimError {
  const error = scimErrorOf(fn);
  expect(error.status).toBe(400);
  expect(error.scimType).toBe(scimType);
  return error;
}

const userAttributes = [...commonAttributes, ...userSchema.attributes];
const matches = (filter: string, resource: unknown) =>
  matchesFilter(parseFilter(filter), resource, userAttributes);

const alice: ResourceData = Object.freeze({
  userName: 'alice',
  displayName: 'Alice',
  emails: [{ value: 'alice@example.com', type: 'work', primary: true }],
});

/** Parses `body` and applies it to `data` as the server does. */
const patch = (data: ResourceData, ...operations: unknown[]) =>
  applyPatch(
    userResourceType,
    data,
    parsePatchRequest({ schemas: [PATCH_OP_SCHEMA], Operations: operations }),
  );

describe('filters: injection attempts stay values or are rejected', () => {
  it.each<[string, FilterValue]>([
    [`userName eq "x' or 1=1 --"`, "x' or 1=1 --"],
    ['userName eq "\\"); drop table members; --"', '"); drop table members; --'],
    [`userName eq "' UNION SELECT password FROM users --"`, "' UNION SELECT password FROM users --"],
    ['userName eq "a\\" or \\"1\\" eq \\"1"', 'a" or "1" eq "1'],
    ['userName eq "%27%20or%201%3D1"', '%27%20or%201%3D1'],
    ['userName eq $1', '$1'],
    [`userName eq 'x'`, "'x'"],
    ['userName eq "\\u0000"', '\u0000'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Log4Shell-style lookup, meant literally.
    ['userName eq "${jndi:ldap://x}"', '${jndi:ldap://x}'],
  ])('%s → the value %j, nothing more', (text, value) => {
    expect(parseFilter(text)).toStrictEqual(compare('userName', 'eq', value));
  });

  it.each([
    [`userName eq x' or 1=1 --`, '"1=1" at position 18: "1=1" is not a valid attribute name'],
    ['userName eq "a" or 1 eq 1', 'Invalid attribute path "1"'],
    ['userName eq "a"; drop table members', 'found ";"'],
    ['userName eq "a" -- comment', 'found "--"'],
    ['userName eq "a" /* */', 'found "/*"'],
    ['userName eq "a" pr', 'found "pr"'],
    ['userName eq "a\u0000b"', 'unescaped control character'],
    ['userName eq "a\nb"', 'unescaped control character'],
    ['userName eq "\\x41"', 'bad escape sequence'],
    ['userName eq "abc', 'Unterminated string'],
    ['userName eq "abc\\"', 'Unterminated string'],
  ])('rejects %j as invalidFilter (%s)', (text, detail) => {
    expect(rejected(() => parseFilter(text), 'invalidFilter').detail).toContain(detail);
  });
});

describe('filters: operators smuggled into attribute names', () => {
  it.each([
    ['userName[eq] eq "x"', 'Expected a comparison operator'],
    ['user.Name.eq eq "x"', 'only one level of sub-attribute'],
    ['userName)or(1 eq 1', 'Expected a comparison operator'],
    ['"userName" eq "x"', 'Expected an attribute name'],
    ['userNameeq"x"', 'Expected a comparison operator'],
    ['userName eqx "a"', 'Unknown operator "eqx"'],
    ['userName=="a"', 'Invalid attribute path "userName=="'],
    ['emails[type eq "work" or 1 eq 1]', 'Invalid attribute path "1"'],
    ['emails[type eq "work"]]', 'no matching "["'],
    ['emails[emails[type eq "work"]]', 'cannot contain another value filter'],
    ['not userName eq "x"', 'Expected "(" after "not"'],
    ['__proto__ pr', 'Invalid attribute path "__proto__"'],
  ])('rejects %j as invalidFilter', (text, detail) => {
    expect(rejected(() => parseFilter(text), 'invalidFilter').detail).toContain(detail);
  });

  it('reads a keyword-named sub-attribute as a name, by its position', () => {
    expect(parseFilter('userName.eq pr')).toStrictEqual({
      kind: 'present',
      path: { attr: 'userName', sub: 'eq' },
    });
    expect(parseFilter('not eq "x"')).toStrictEqual(compare('not', 'eq', 'x'));
  });

  it('finds nothing on the prototype: constructor, toString and hasOwnProperty are absent attributes', () => {
    expect(matches('constructor pr', {})).toBe(false);
    expect(matches('toString eq "x"', {})).toBe(false);
    expect(matches('constructor.name eq "Object"', {})).toBe(false);
    expect(matches('hasOwnProperty ne "x"', {})).toBe(true);
  });
});

describe('filters: numbers', () => {
  it.each(
    labelled<[FilterValue]>([
      ['9007199254740993', '9007199254740993'], // beyond 2^53: digits kept, as a string
      ['-9007199254740993', '-9007199254740993'],
      ['9'.repeat(400), '9'.repeat(400)],
      ['9007199254740991', 9007199254740991],
      ['1e308', 1e308],
      ['1E+2', 100],
      ['1e-400', 0], // underflows to 0, as JSON.parse reads it
      ['9007199254740993.0', 9007199254740992], // a decimal is a double, as in JSON
      ['NaN', 'NaN'],
      ['Infinity', 'Infinity'],
      ['-Infinity', '-Infinity'],
      ['0x10', '0x10'],
      ['+1', '+1'],
      ['01', '01'],
      ['.5', '.5'],
      ['1.', '1.'],
      ['1_000', '1_000'],
    ]),
  )('x eq %s → %j', (_, number, value) => {
    expect(parseFilter(`x eq ${number}`)).toStrictEqual(compare('x', 'eq', value));
  });

  it('reads -0 as negative zero, which still equals 0', () => {
    const parsed = parseFilter('x eq -0');
    expect(parsed.kind === 'compare' && Object.is(parsed.value, -0)).toBe(true);
    expect(matchesFilter(parsed, { x: 0 })).toBe(true);
  });

  it.each(labelled([['1e309'], ['-1e309'], [`1${'0'.repeat(400)}.5`]]))(
    'rejects x eq %s as out of range',
    (_, number) => {
      expect(rejected(() => parseFilter(`x eq ${number}`), 'invalidFilter').detail).toContain('out of range');
    },
  );

  it('compares an integer beyond 2^53 by its digits, so its neighbour does not match', () => {
    expect(matches('externalId eq 9007199254740993', { externalId: '9007199254740993' })).toBe(true);
    expect(matches('externalId eq 9007199254740993', { externalId: '9007199254740992' })).toBe(false);
  });
});

describe('filters: unicode confusables in userName stay distinct from their look-alikes', () => {
  // userName is caseExact=false: RFC 7643 asks for case-insensitive comparison, and nothing more.
  it.each([
    ['Cyrillic а', 'аlice', 'alice'],
    ['fullwidth', 'ａｌｉｃｅ', 'alice'],
    ['zero width space', 'al\u200Bice', 'alice'],
    ['byte order mark', '\uFEFFalice', 'alice'],
    ['combining acute vs precomposed', 'a\u0301lice', 'álice'],
    ['Turkish dotless ı', 'alıce', 'alice'],
    ['Turkish dotted İ', 'alİce', 'alice'],
    ['sharp s', 'straße', 'strasse'],
    ['sharp s, upper', 'straße', 'STRASSE'],
    ['lone surrogate', 'alice\uD800', 'alice'],
  ])('%s: %j does not match %j', (_, sent, stored) => {
    const filter = `userName eq ${JSON.stringify(sent)}`;
    expect(parseFilter(filter)).toStrictEqual(compare('userName', 'eq', sent));
    expect(matches(filter, { userName: stored })).toBe(false);
    expect(matches(filter, { userName: sent })).toBe(true);
  });

  it.each([
    ['ASCII', 'ALICE', 'alice'],
    ['Cyrillic', 'АЛИСА', 'алиса'],
    ['fullwidth', 'ＡＬＩＣＥ', 'ａｌｉｃｅ'],
    ['dotted İ and its lower case i + U+0307', 'alİce', 'ali\u0307ce'],
    ['dotless ı and its upper case I', 'alIce', 'alıce'.toUpperCase()],
  ])('%s: %j matches %j, its own case variant', (_, sent, stored) => {
    expect(matches(`userName eq ${JSON.stringify(sent)}`, { userName: stored })).toBe(true);
  });

  it('folds the KELVIN SIGN to "k": Unicode itself maps its lower case to ASCII k', () => {
    // Not a confusable folded by Roster but a case mapping in UnicodeData.txt (212A → 006B); the
    // ANGSTROM SIGN (212B → 00E5) and OHM SIGN (2126 → 03C9) behave the same.
    expect(matches('userName eq "\u212Aim"', { userName: 'kim' })).toBe(true);
    expect(matches('userName eq "\u212Aim"', { userName: 'Kim' })).toBe(true);
  });

  it('compares caseExact externalId exactly: not even case is folded', () => {
    expect(matches('externalId eq "Alice"', { externalId: 'alice' })).toBe(false);
    expect(matches('externalId eq "аlice"', { externalId: 'аlice' })).toBe(true);
  });

  it('removes only the exact email through a filter, not its Cyrillic look-alike', () => {
    const data = { ...alice, emails: [{ value: 'alice@example.com' }, { value: 'аlice@example.com' }] };
    const result = patch(data, { op: 'remove', path: 'emails[value eq "аlice@example.com"]' });
    expect(result.data.emails).toEqual([{ value: 'alice@example.com' }]);
  });
});

describe('filters and paths: lone surrogates, control characters, invalid UTF-8', () => {
  it('keeps lone surrogates in values, raw or escaped, and refuses them in names', () => {
    expect(parseFilter('userName eq "\uD800"')).toStrictEqual(compare('userName', 'eq', '\uD800'));
    expect(parseFilter('userName eq "\\ud800"')).toStrictEqual(compare('userName', 'eq', '\uD800'));
    expect(parseFilter('userName eq "\\udc00\\ud800"')).toStrictEqual(
      compare('userName', 'eq', '\uDC00\uD800'),
    );
    expect(matches('userName eq "\\ud800"', { userName: '\uD800' })).toBe(true);
    rejected(() => parseFilter('\uD800 pr'), 'invalidFilter');
    rejected(() => parsePatchPath('name.\uDC00'), 'invalidPath');
  });

  it('sees what invalid UTF-8 decodes to (U+FFFD) as an ordinary character', () => {
    // The HTTP layer decodes bytes; 0xFF 0xFE is no UTF-8 and arrives as two replacement characters.
    const decoded = new TextDecoder().decode(Uint8Array.from([0x75, 0xff, 0xfe]));
    expect(parseFilter(`userName eq "${decoded}"`)).toStrictEqual(compare('userName', 'eq', 'u\uFFFD\uFFFD'));
    expect(matches(`userName eq "${decoded}"`, { userName: 'u' })).toBe(false);
    rejected(() => parseFilter(`${decoded} pr`), 'invalidFilter');
  });

  it.each(
    labelled<[string]>([
      ['..', 'only one level of sub-attribute'],
      ['name..givenName', 'only one level of sub-attribute'],
      ['../userName', 'only one level of sub-attribute'],
      ['./userName', 'is not a valid attribute name'],
      ['userName%00', 'is not a valid attribute name'],
      ['userName\u0000', 'is not a valid attribute name'],
      ['user\u0000Name', 'is not a valid attribute name'],
      ['userName\u0007', 'is not a valid attribute name'],
      ['user\u200BName', 'is not a valid attribute name'],
      ['userNаme\u200B', 'is not a valid attribute name'],
      ['emails[type eq "work"]\u0000', 'in the path'],
      ['emails[type eq "wo\u0000rk"]', 'unescaped control character'],
      ['__proto__', 'is not a valid attribute name'],
      ['name.__proto__', 'is not a valid attribute name'],
      [`${'a'.repeat(MAX_FILTER_LENGTH)}b`, 'too long'],
    ]),
  )('parsePatchPath rejects %s as invalidPath', (_, text, detail) => {
    expect(rejected(() => parsePatchPath(text), 'invalidPath').detail).toContain(detail);
  });

  it.each(
    labelled<[PatchPath]>([
      // Whitespace around a path is trimmed; NBSP and the BOM count as whitespace in JavaScript.
      ['\tuserName\n', { kind: 'attribute', path: { attr: 'userName' } }],
      ['\uFEFFuserName\u00A0', { kind: 'attribute', path: { attr: 'userName' } }],
      [
        'emails[type eq "wo\\u0000rk"]',
        { kind: 'valuePath', path: { attr: 'emails' }, filter: compare('type', 'eq', 'wo\u0000rk') },
      ],
      ['a'.repeat(MAX_FILTER_LENGTH), { kind: 'attribute', path: { attr: 'a'.repeat(MAX_FILTER_LENGTH) } }],
    ]),
  )('parsePatchPath reads %s', (_, text, path) => {
    expect(parsePatchPath(text)).toStrictEqual(path);
  });

  it.each(
    labelled<[string]>([
      ['constructor', 'a User has no attribute "constructor"'],
      ['toString', 'a User has no attribute "toString"'],
      ['prototype', 'a User has no attribute "prototype"'],
      ['name.constructor', '"name" has no sub-attribute "constructor"'],
      ['emails[constructor eq "x"]', 'not a sub-attribute of "emails"'],
      ['emails[type eq "work"].__proto__', 'Invalid sub-attribute'],
      [`${ENTERPRISE}:__proto__`, 'is not a valid attribute name'],
      ['userNаme', 'is not a valid attribute name'], // Cyrillic а
      ['ｕserName', 'is not a valid attribute name'],
      ['a'.repeat(MAX_FILTER_LENGTH), 'a User has no attribute'],
    ]),
  )('a PATCH on path %s is invalidPath', (_, path, detail) => {
    const error = rejected(() => patch(alice, { op: 'replace', path, value: 'x' }), 'invalidPath');
    expect(error.detail).toContain(detail);
  });
});

describe('PATCH: prototype pollution attempts', () => {
  const body = (json: string) => JSON.parse(json) as unknown;

  it.each([
    '{"op":"add","value":{"__proto__":{"polluted":"yes"}}}',
    '{"op":"add","value":{"constructor":{"prototype":{"polluted":"yes"}}}}',
    '{"op":"replace","value":{"prototype":{"polluted":"yes"},"displayName":"Al"}}',
    `{"op":"add","value":{"${ENTERPRISE}":{"__proto__":{"polluted":"yes"},"department":"R&D"}}}`,
    '{"op":"add","path":"emails","value":[{"__proto__":{"value":"x@example.com"}}]}',
    '{"op":"replace","path":"name","value":{"__proto__":{"polluted":1},"givenName":"Al"}}',
    '{"op":"add","path":"emails[type eq \\"home\\"]","value":{"__proto__":{"polluted":1},"value":"h@example.com"}}',
    '{"op":"add","path":"displayName","value":"Al","__proto__":{"path":"userName"}}',
  ])('ignores the prototype keys of %s', (operation) => {
    const result = patch(alice, body(operation));
    expect(JSON.stringify(result.data)).not.toMatch(/__proto__|constructor|prototype|polluted/);
    expect(result.data.userName).toBe('alice');
  });

  it('applies only the real keys next to a __proto__ key', () => {
    const result = patch(
      alice,
      body('{"op":"replace","path":"name","value":{"__proto__":{"familyName":"X"},"givenName":"Al"}}'),
    );
    expect(result.data.name).toStrictEqual({ givenName: 'Al' });
  });

  it('refuses a member whose value sits on a __proto__ key, and keeps only own keys of a member', () => {
    const group = { displayName: 'Team' };
    const members = (value: string) =>
      applyPatch(
        groupResourceType,
        group,
        parsePatchRequest(body(`{"Operations":[{"op":"add","path":"members","value":${value}}]}`)),
      );
    rejected(() => members('[{"__proto__":{"value":"u1"}}]'), 'invalidValue');
    expect(members('[{"value":"u1","__proto__":{"type":"Group"}}]').membership).toStrictEqual([
      { kind: 'add', members: [{ value: 'u1' }] },
    ]);
  });

  it('does not read "Operations" from a __proto__ key', () => {
    const detail = rejected(
      () =>
        parsePatchRequest(body('{"__proto__":{"Operations":[{"op":"add","path":"userName","value":"x"}]}}')),
      'invalidSyntax',
    ).detail;
    expect(detail).toContain('no "Operations" array');
  });

  it.each(['__proto__', '__proto__.polluted', 'constructor.prototype'])('rejects the path %j', (path) => {
    rejected(() => patch(alice, { op: 'add', path, value: { polluted: 'yes' } }), 'invalidPath');
  });
});

describe('PATCH: numbers', () => {
  it.each<[string, unknown, unknown]>([
    ['1e308', 1e308, '1e+308'],
    ['-0', -0, '0'],
    [
      '9007199254740993 (which JSON.parse has already rounded)',
      JSON.parse('9007199254740993'),
      '9007199254740992',
    ],
    ['0.1', 0.1, '0.1'],
  ])('stores %s sent for a string attribute as its text', (_, value, stored) => {
    expect(patch(alice, { op: 'replace', path: 'title', value }).data.title).toBe(stored);
  });

  it.each([
    ['Infinity (what JSON.parse makes of 1e309)', 'title', JSON.parse('1e309')],
    ['-Infinity', 'title', JSON.parse('-1e309')],
    ['NaN', 'title', Number.NaN],
    ['a number for a boolean', 'active', 1],
    ['1e308 for a boolean', 'active', 1e308],
  ])('refuses %s as invalidValue', (_, path, value) => {
    rejected(() => patch(alice, { op: 'replace', path, value }), 'invalidValue');
  });
});

describe('PATCH and POST: JSON nested deeper than the stack', () => {
  // JSON.parse reads `[[[…]]]` of any depth from a small body; JSON.stringify, which error details
  // used to render the value with, overflows the stack on it: a RangeError, so a 500, not a 400.
  const deep = deepArray(100_000);
  const operation = (op: unknown) => ({ Operations: [op] });

  it.each<[string, () => unknown, ScimType]>([
    ['as Operations', () => parsePatchRequest({ Operations: deep }), 'invalidSyntax'],
    ['as an operation', () => parsePatchRequest(operation(deep)), 'invalidSyntax'],
    ['as op', () => parsePatchRequest(operation({ op: deep })), 'invalidSyntax'],
    ['as path', () => parsePatchRequest(operation({ op: 'add', path: deep, value: 1 })), 'invalidSyntax'],
    ['as a path-less value', () => parsePatchRequest(operation({ op: 'add', value: deep })), 'invalidSyntax'],
    ['as schemas', () => parsePatchRequest({ schemas: deep, Operations: [] }), 'invalidSyntax'],
    ['for a string', () => patch(alice, { op: 'replace', path: 'displayName', value: deep }), 'invalidValue'],
    ['for a boolean', () => patch(alice, { op: 'replace', path: 'active', value: deep }), 'invalidValue'],
    [
      'for a complex attribute',
      () => patch(alice, { op: 'replace', path: 'name', value: [deep] }),
      'invalidValue',
    ],
    [
      'for a sub-attribute',
      () => patch(alice, { op: 'add', path: 'name.givenName', value: deep }),
      'invalidValue',
    ],
    ['for emails', () => patch(alice, { op: 'add', path: 'emails', value: [deep] }), 'invalidValue'],
    [
      'for the extension',
      () => patch(alice, { op: 'replace', path: ENTERPRISE, value: [deep] }),
      'invalidValue',
    ],
    [
      'for members',
      () =>
        applyPatch(groupResourceType, { displayName: 'Team' }, [
          { op: 'add', path: 'members', value: [deep] },
        ]),
      'invalidValue',
    ],
    ['in a POST body', () => normalizeResource(userResourceType, { userName: deep }), 'invalidValue'],
    [
      'in a POST body, inside an email',
      () => normalizeResource(userResourceType, { userName: 'a', emails: [{ value: deep }] }),
      'invalidValue',
    ],
  ])('rejects it %s with a 400', (_, fn, scimType) => {
    const error = rejected(fn, scimType);
    expect(error.detail).toContain('nested too deeply to show');
  });
});

describe('PATCH: huge but well-formed requests complete', () => {
  // Each of these took minutes before: duplicate checks compared every value with every other one.
  // The test timeout is the guard; the sizes fit in the 2 MB bodies the server accepts.
  const N = 20_000;
  const addresses = Array.from({ length: N }, (_, i) => `user${i}@example.com`);

  it(`adds ${N} distinct emails, skipping only the one already there`, () => {
    const existing = { value: 'alice@example.com', type: 'work', primary: true };
    const result = patch(alice, { op: 'add', path: 'emails', value: [existing, ...addresses] });
    expect(result.data.emails).toHaveLength(N + 1);
  });

  it(`adds ${N} emails that each claim to be primary`, () => {
    const value = addresses.map((value) => ({ value, primary: true }));
    const result = patch(alice, { op: 'add', path: 'emails', value });
    const emails = result.data.emails as { value: string; primary?: boolean }[];
    expect(emails).toHaveLength(N + 1);
    // The new elements demote the one that was primary before.
    expect(emails[0]).toStrictEqual({ value: 'alice@example.com', type: 'work', primary: false });
  });

  it(`removes ${N} given emails from a list of ${N}, by value and by other sub-attributes`, () => {
    const stored = { userName: 'alice', emails: addresses.map((value, i) => ({ value, display: `d${i}` })) };
    const byValue = patch(stored, {
      op: 'remove',
      path: 'emails',
      value: addresses.map((value) => ({ value: value.toUpperCase() })),
    });
    expect(byValue.data.emails).toBeUndefined();
    const byDisplay = patch(stored, {
      op: 'remove',
      path: 'emails',
      value: addresses.slice(1).map((_, i) => ({ display: `d${i + 1}` })),
    });
    expect(byDisplay.data.emails).toStrictEqual([{ value: addresses[0], display: 'd0' }]);
  });

  it('adds 100,000 members to a group as one membership change', () => {
    const value = Array.from({ length: 100_000 }, (_, i) => ({ value: `u${i}` }));
    const result = applyPatch(groupResourceType, { displayName: 'Team' }, [
      { op: 'add', path: 'members', value },
    ]);
    expect(result.membership).toHaveLength(1);
    expect(result.membership[0]?.kind === 'add' && result.membership[0].members).toHaveLength(100_000);
  });

  it(`accepts ${MAX_OPERATIONS} operations and refuses one more`, () => {
    const ops = Array.from({ length: MAX_OPERATIONS }, (_, i) => ({
      op: 'replace',
      path: 'title',
      value: `t${i}`,
    }));
    expect(patch(alice, ...ops).data.title).toBe(`t${MAX_OPERATIONS - 1}`);
    rejected(() => patch(alice, ...ops, ops[0]), 'invalidSyntax');
  });
});

describe('filters: long stored values', () => {
  it('compares a 50,000-digit string with a number without quadratic backtracking', () => {
    // The numeric test on stored strings backtracked quadratically on a long run of digits with no
    // valid ending; `attributes=emails[value gt 1]` reaches it with a value any client can store.
    const stored = { code: `${'1'.repeat(50_000)}x` };
    expect(matchesFilter(parseFilter('code gt 1'), stored)).toBe(false);
    expect(matchesFilter(parseFilter('code ne 1'), stored)).toBe(true);
    expect(matchesFilter(parseFilter('code gt 1'), { code: '1'.repeat(50_000) })).toBe(true);
  });
});

describe('wrong types where text is expected', () => {
  it.each([undefined, null, 42, ['userName pr'], { filter: 'userName pr' }])(
    'parseFilter(%j) is invalidFilter',
    (value) => {
      expect(rejected(() => parseFilter(value as unknown as string), 'invalidFilter').detail).toContain(
        'must be a string',
      );
    },
  );

  it.each([null, [], 'Operations', 42, { Operations: {} }, { Operations: [null] }, { Operations: [[]] }])(
    'parsePatchRequest(%j) is invalidSyntax',
    (value) => {
      rejected(() => parsePatchRequest(value), 'invalidSyntax');
    },
  );

  it('keeps an own "constructor" key of a body as an ordinary, ignored key', () => {
    const operations = parsePatchRequest(
      ownObject([
        ['constructor', { prototype: { polluted: 1 } }],
        ['Operations', [{ op: 'add', path: 'title', value: 'x' }]],
      ]),
    );
    expect(operations).toStrictEqual([{ op: 'add', path: 'title', value: 'x' }]);
  });
});
