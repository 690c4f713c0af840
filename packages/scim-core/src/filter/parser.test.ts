import { describe, expect, it } from 'vitest';
import { ScimError } from '../errors.js';
import type { AttributePath, CompareOperator, Filter, FilterValue } from './ast.js';
import { MAX_FILTER_LENGTH, MAX_NESTING_DEPTH, parseFilter } from './parser.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const path = (attr: string, sub?: string, uri?: string): AttributePath => ({
  attr,
  ...(sub === undefined ? {} : { sub }),
  ...(uri === undefined ? {} : { uri }),
});
const cmp = (p: AttributePath | string, op: CompareOperator, value: FilterValue): Filter => ({
  kind: 'compare',
  path: typeof p === 'string' ? path(p) : p,
  op,
  value,
});
const pr = (p: AttributePath | string): Filter => ({
  kind: 'present',
  path: typeof p === 'string' ? path(p) : p,
});
const and = (left: Filter, right: Filter): Filter => ({ kind: 'and', left, right });
const or = (left: Filter, right: Filter): Filter => ({ kind: 'or', left, right });
const not = (filter: Filter): Filter => ({ kind: 'not', filter });
const vp = (attr: string, filter: Filter): Filter => ({ kind: 'valuePath', path: path(attr), filter });

/** Parses `text` expecting failure, and returns the ScimError so callers can check the detail. */
function parseError(text: string): ScimError {
  try {
    parseFilter(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError);
    const scim = error as ScimError;
    expect(scim.status).toBe(400);
    expect(scim.scimType).toBe('invalidFilter');
    return scim;
  }
  throw new Error(`expected "${text}" to be rejected`);
}

describe('parseFilter: operators', () => {
  it.each(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'] as const)('parses %s', (op) => {
    expect(parseFilter(`userName ${op} "bjensen"`)).toStrictEqual(cmp('userName', op, 'bjensen'));
  });

  it('parses pr', () => {
    expect(parseFilter('title pr')).toStrictEqual(pr('title'));
  });

  it('lower-cases operators but keeps attribute names as written', () => {
    expect(parseFilter('username Eq "jsmith@example.com"')).toStrictEqual(
      cmp('username', 'eq', 'jsmith@example.com'),
    );
    expect(parseFilter('USERNAME EQ "x"')).toStrictEqual(cmp('USERNAME', 'eq', 'x'));
    expect(parseFilter('email Co "x"')).toStrictEqual(cmp('email', 'co', 'x'));
    expect(parseFilter('title PR')).toStrictEqual(pr('title'));
  });
});

describe('parseFilter: values', () => {
  it('decodes JSON strings with escapes', () => {
    expect(parseFilter('userName eq "a \\"quoted\\" name"')).toStrictEqual(
      cmp('userName', 'eq', 'a "quoted" name'),
    );
    expect(parseFilter('userName eq "\\u00e9t\\u00E9"')).toStrictEqual(cmp('userName', 'eq', 'été'));
    expect(parseFilter('userName eq "back\\\\slash\\/"')).toStrictEqual(
      cmp('userName', 'eq', 'back\\slash/'),
    );
    expect(parseFilter('displayName eq "Zürich Büro"')).toStrictEqual(
      cmp('displayName', 'eq', 'Zürich Büro'),
    );
  });

  it('keeps whitespace and keywords inside strings', () => {
    expect(parseFilter('title eq "  a and b or not (c)  "')).toStrictEqual(
      cmp('title', 'eq', '  a and b or not (c)  '),
    );
    expect(parseFilter('title eq ""')).toStrictEqual(cmp('title', 'eq', ''));
  });

  it.each([
    ['1', 1],
    ['0', 0],
    ['-42', -42],
    ['3.25', 3.25],
    ['-0.5', -0.5],
    ['1e3', 1000],
    ['2.5E-2', 0.025],
  ])('parses the number %s', (text, value) => {
    expect(parseFilter(`count gt ${text}`)).toStrictEqual(cmp('count', 'gt', value));
  });

  it('parses true, false and null in any case', () => {
    expect(parseFilter('active eq true')).toStrictEqual(cmp('active', 'eq', true));
    expect(parseFilter('active eq False')).toStrictEqual(cmp('active', 'eq', false));
    expect(parseFilter('active eq TRUE')).toStrictEqual(cmp('active', 'eq', true));
    expect(parseFilter('title eq null')).toStrictEqual(cmp('title', 'eq', null));
    expect(parseFilter('title ne NULL')).toStrictEqual(cmp('title', 'ne', null));
  });

  it('treats a quoted keyword or number as a string', () => {
    expect(parseFilter('active eq "true"')).toStrictEqual(cmp('active', 'eq', 'true'));
    expect(parseFilter('employeeNumber eq "42"')).toStrictEqual(cmp('employeeNumber', 'eq', '42'));
  });

  it('accepts unquoted bare words as strings', () => {
    expect(parseFilter('externalId eq jyoung')).toStrictEqual(cmp('externalId', 'eq', 'jyoung'));
    expect(parseFilter('userName sw O')).toStrictEqual(cmp('userName', 'sw', 'O'));
    expect(parseFilter('meta.Created gt 2015-10-10T14:38:21.8617979-07:00')).toStrictEqual(
      cmp(path('meta', 'Created'), 'gt', '2015-10-10T14:38:21.8617979-07:00'),
    );
    expect(parseFilter('emails.value co bob.smith@example.com')).toStrictEqual(
      cmp(path('emails', 'value'), 'co', 'bob.smith@example.com'),
    );
  });

  it('keeps number-like bare words that are not JSON numbers as strings', () => {
    expect(parseFilter('employeeNumber eq 007')).toStrictEqual(cmp('employeeNumber', 'eq', '007'));
    expect(parseFilter('version eq 1.0.0')).toStrictEqual(cmp('version', 'eq', '1.0.0'));
  });

  it('keeps integers beyond double precision as their digits', () => {
    expect(parseFilter('employeeNumber eq 12345678901234567890')).toStrictEqual(
      cmp('employeeNumber', 'eq', '12345678901234567890'),
    );
  });
});

describe('parseFilter: attribute paths', () => {
  it('parses sub-attributes', () => {
    expect(parseFilter('name.familyName eq "Jensen"')).toStrictEqual(
      cmp(path('name', 'familyName'), 'eq', 'Jensen'),
    );
  });

  it('splits URN-qualified paths on the last colon', () => {
    expect(parseFilter(`${ENTERPRISE}:employeeNumber eq "701984"`)).toStrictEqual(
      cmp(path('employeeNumber', undefined, ENTERPRISE), 'eq', '701984'),
    );
    expect(
      parseFilter(`${ENTERPRISE}:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`),
    ).toStrictEqual(cmp(path('manager', 'value', ENTERPRISE), 'eq', '26118915-6090-4610-87e4-49d8ca9f808d'));
    expect(parseFilter('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "bjensen"')).toStrictEqual(
      cmp(path('userName', undefined, 'urn:ietf:params:scim:schemas:core:2.0:User'), 'eq', 'bjensen'),
    );
    expect(parseFilter('URN:ietf:params:scim:schemas:core:2.0:User:name.givenName pr')).toStrictEqual(
      pr(path('name', 'givenName', 'URN:ietf:params:scim:schemas:core:2.0:User')),
    );
  });

  it('accepts names with digits, "-", "_" and $ref', () => {
    expect(parseFilter('x-attr_2 eq "y"')).toStrictEqual(cmp('x-attr_2', 'eq', 'y'));
    expect(parseFilter('members.$ref pr')).toStrictEqual(pr(path('members', '$ref')));
  });
});

describe('parseFilter: logic and precedence', () => {
  it('binds and tighter than or', () => {
    expect(parseFilter('a eq 1 or b eq 2 and c eq 3')).toStrictEqual(
      or(cmp('a', 'eq', 1), and(cmp('b', 'eq', 2), cmp('c', 'eq', 3))),
    );
    expect(parseFilter('a eq 1 and b eq 2 or c eq 3')).toStrictEqual(
      or(and(cmp('a', 'eq', 1), cmp('b', 'eq', 2)), cmp('c', 'eq', 3)),
    );
  });

  it('is left-associative', () => {
    expect(parseFilter('a pr and b pr and c pr')).toStrictEqual(and(and(pr('a'), pr('b')), pr('c')));
    expect(parseFilter('a pr or b pr or c pr')).toStrictEqual(or(or(pr('a'), pr('b')), pr('c')));
  });

  it('lets parentheses override precedence', () => {
    expect(parseFilter('(a eq 1 or b eq 2) and c eq 3')).toStrictEqual(
      and(or(cmp('a', 'eq', 1), cmp('b', 'eq', 2)), cmp('c', 'eq', 3)),
    );
    expect(parseFilter('((a pr))')).toStrictEqual(pr('a'));
  });

  it('parses not, which binds tighter than and', () => {
    expect(parseFilter('not (userName eq "x")')).toStrictEqual(not(cmp('userName', 'eq', 'x')));
    expect(parseFilter('NOT(a pr) and b pr')).toStrictEqual(and(not(pr('a')), pr('b')));
    expect(parseFilter('a pr and not (b pr or c pr)')).toStrictEqual(and(pr('a'), not(or(pr('b'), pr('c')))));
    expect(parseFilter('not (not (a pr))')).toStrictEqual(not(not(pr('a'))));
  });

  it('accepts keywords in any case', () => {
    expect(parseFilter('a pr AND b pr Or c pr')).toStrictEqual(or(and(pr('a'), pr('b')), pr('c')));
  });

  it('allows attributes named like keywords where an attribute is expected', () => {
    expect(parseFilter('not eq "x"')).toStrictEqual(cmp('not', 'eq', 'x'));
    expect(parseFilter('a pr and or pr')).toStrictEqual(and(pr('a'), pr('or')));
  });

  it('tolerates any whitespace and missing spaces before ( and "', () => {
    expect(parseFilter('  \tuserName   eq\t"x"  ')).toStrictEqual(cmp('userName', 'eq', 'x'));
    expect(parseFilter('userName eq"x"and(title pr)')).toStrictEqual(
      and(cmp('userName', 'eq', 'x'), pr('title')),
    );
  });
});

describe('parseFilter: value paths', () => {
  it('parses a value filter with relative inner paths', () => {
    expect(parseFilter('emails[type eq "work" and value co "@example.com"]')).toStrictEqual(
      vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com'))),
    );
  });

  it('allows not and parentheses inside brackets', () => {
    expect(parseFilter('emails[not (type eq "work") and (primary eq true or value pr)]')).toStrictEqual(
      vp('emails', and(not(cmp('type', 'eq', 'work')), or(cmp('primary', 'eq', true), pr('value')))),
    );
  });

  it('parses URN-qualified value paths', () => {
    expect(parseFilter(`${ENTERPRISE}:manager[value eq "m1"]`)).toStrictEqual({
      kind: 'valuePath',
      path: path('manager', undefined, ENTERPRISE),
      filter: cmp('value', 'eq', 'm1'),
    });
  });

  it('folds the Entra form attr[filter].sub op value into the value filter', () => {
    expect(parseFilter('emails[type eq "work"].value eq "x"')).toStrictEqual(
      vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'eq', 'x'))),
    );
    expect(parseFilter('emails[type eq "work"].value pr')).toStrictEqual(
      vp('emails', and(cmp('type', 'eq', 'work'), pr('value'))),
    );
    expect(parseFilter('emails[type eq "work"].value eq "x" and active eq true')).toStrictEqual(
      and(vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'eq', 'x'))), cmp('active', 'eq', true)),
    );
  });

  it('keeps an or inside brackets grouped under the sub-condition', () => {
    expect(parseFilter('emails[type eq "work" or type eq "home"].value co "x"')).toStrictEqual(
      vp('emails', and(or(cmp('type', 'eq', 'work'), cmp('type', 'eq', 'home')), cmp('value', 'co', 'x'))),
    );
  });
});

describe('parseFilter: identity provider filters', () => {
  it.each([
    [
      'userName eq "cf4d78e8-cc4f-4d5d-b8b9-183561c0104a"',
      cmp('userName', 'eq', 'cf4d78e8-cc4f-4d5d-b8b9-183561c0104a'),
    ],
    ['username Eq "jsmith@example.com"', cmp('username', 'eq', 'jsmith@example.com')],
    ['USERNAME EQ "x"', cmp('USERNAME', 'eq', 'x')],
    ['emails eq "a@x"', cmp('emails', 'eq', 'a@x')],
    ['email Co "x"', cmp('email', 'co', 'x')],
    ['externalId eq "johnwong"', cmp('externalId', 'eq', 'johnwong')],
    ['externalId eq jyoung', cmp('externalId', 'eq', 'jyoung')],
    ['displayName eq "Engineering"', cmp('displayName', 'eq', 'Engineering')],
    ['id eq "uid" and manager eq "mgr"', and(cmp('id', 'eq', 'uid'), cmp('manager', 'eq', 'mgr'))],
    ['id eq "gid" and members eq "uid"', and(cmp('id', 'eq', 'gid'), cmp('members', 'eq', 'uid'))],
    [
      'emails[type eq "work"].value eq "x"',
      vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'eq', 'x'))),
    ],
    [
      'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
      or(
        vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com'))),
        vp('ims', and(cmp('type', 'eq', 'xmpp'), cmp('value', 'co', '@foo.com'))),
      ),
    ],
    [
      'name.FamilyName eq Employee and (emails.Value co example.com or emails.Value co example.org)',
      and(
        cmp(path('name', 'FamilyName'), 'eq', 'Employee'),
        or(
          cmp(path('emails', 'Value'), 'co', 'example.com'),
          cmp(path('emails', 'Value'), 'co', 'example.org'),
        ),
      ),
    ],
    ['userName sw O', cmp('userName', 'sw', 'O')],
    [
      'meta.Created gt 2015-10-10T14:38:21.8617979-07:00',
      cmp(path('meta', 'Created'), 'gt', '2015-10-10T14:38:21.8617979-07:00'),
    ],
    [
      'active eq true and (meta.lastModified ge "0001-01-03T00:00:00.0000000Z" and meta.lastModified le "2026-01-01T00:00:00Z")',
      and(
        cmp('active', 'eq', true),
        and(
          cmp(path('meta', 'lastModified'), 'ge', '0001-01-03T00:00:00.0000000Z'),
          cmp(path('meta', 'lastModified'), 'le', '2026-01-01T00:00:00Z'),
        ),
      ),
    ],
    [
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984"',
      cmp(path('employeeNumber', undefined, ENTERPRISE), 'eq', '701984'),
    ],
    ['title pr', pr('title')],
    ['not (userName eq "x")', not(cmp('userName', 'eq', 'x'))],
    ['userName eq "a \\"quoted\\" name"', cmp('userName', 'eq', 'a "quoted" name')],
    ['displayName eq "Zürich Büro"', cmp('displayName', 'eq', 'Zürich Büro')],
  ])('%s', (text, expected) => {
    expect(parseFilter(text)).toStrictEqual(expected);
  });
});

describe('parseFilter: errors', () => {
  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['userName', /Expected a comparison operator .* after "userName" at position 8 but found the end/],
    ['userName eq', /Expected a value after "userName eq" at position 11 but found the end/],
    ['userName zz "x"', /Unknown operator "zz" after "userName" at position 9/],
    ['(userName eq "x"', /Missing "\)" to close the "\(" at position 0/],
    ['userName eq "x")', /Unexpected "\)" at position 15: there is no matching "\("/],
    [
      'userName eq "x" and',
      /Expected an attribute name, "\(" or "not" after "and" at position 19 but found the end/,
    ],
    ['userName eq "x" or', /after "or" at position 18/],
    ['emails[type eq "work"', /Missing "]" to close the "\[" at position 6/],
    ['emails[type eq "work"]]', /Unexpected "]" at position 22/],
    ['userName pr "x"', /"pr" takes no value, but the string "x" follows it at position 12/],
    ['userName pr x', /"pr" takes no value/],
    [
      'userName eq "x" "y"',
      /Expected "and", "or" or the end of the filter at position 16 but found the string "y"/,
    ],
    [
      'userName eq "x" title pr',
      /Expected "and", "or" or the end of the filter at position 16 but found "title"/,
    ],
    ['userName eq "x', /Unterminated string starting at position 12/],
    ['userName eq "bad \\q escape"', /Invalid string at position 12/],
    ['userName eq and', /Expected a value after "userName eq" at position 12 but found "and"/],
    ['userName eq (', /Expected a value after "userName eq" at position 12 but found "\("/],
    ['()', /Expected an attribute name, "\(" or "not" after "\(" at position 1 but found "\)"/],
    [')', /Expected an attribute name, "\(" or "not" at position 0 but found "\)"/],
    ['not userName eq "x"', /Expected "\(" after "not" at position 4/],
    ['not', /Expected "\(" after "not" at position 3/],
    [
      '(a eq 1 b pr)',
      /Expected "and", "or" or "\)" \(closing the "\(" at position 0\) at position 8 but found "b"/,
    ],
    ['emails[type eq "work" x]', /Expected "and", "or" or "]"/],
    ['emails[]', /Empty value filter "\[\]" at position 6/],
    [
      'emails[type eq "work" and addresses[type pr]]',
      /Unexpected "\[" at position 35: a value filter cannot contain/,
    ],
    ['name.givenName[value pr]', /"name.givenName" at position 0 cannot take a value filter/],
    ['emails[type eq "work"].1x eq "y"', /Invalid sub-attribute "\.1x" after "]" at position 22/],
    ['emails[type eq "work"].value', /Expected a comparison operator .* after "\.value" at position 28/],
    ['1abc eq "x"', /Invalid attribute path "1abc" at position 0: "1abc" is not a valid attribute name/],
    ['a.b.c eq "x"', /only one level of sub-attribute/],
    ['user:name eq "x"', /not a valid attribute name/],
    ['urn:ietf:params:scim:schemas:core:2.0:User: eq "x"', /no attribute name follows the schema URN/],
    ['urn:x eq "y"', /is not a valid schema URN/],
    ['a gt 1e999', /Number 1e999 at position 5 is out of range/],
  ])('rejects %j', (text, detail) => {
    expect(parseError(text).detail).toMatch(detail);
  });

  it('rejects overlong input before parsing', () => {
    const text = `userName eq "${'x'.repeat(MAX_FILTER_LENGTH)}"`;
    expect(parseError(text).detail).toMatch(/too long: 10014 characters, the limit is 10000/);
  });

  it('accepts input at the length limit', () => {
    const text = `userName eq "${'x'.repeat(MAX_FILTER_LENGTH - 14)}"`;
    expect(text).toHaveLength(MAX_FILTER_LENGTH);
    expect(parseFilter(text)).toMatchObject({ kind: 'compare' });
  });

  it('rejects 10,000 nested parentheses without overflowing the stack', () => {
    const text = `${'('.repeat(10_000)}a pr${')'.repeat(10_000)}`;
    expect(parseError(text).detail).toMatch(/too long/);
  });

  it('limits nesting depth within the length limit', () => {
    const deep = `${'('.repeat(4000)}a pr${')'.repeat(4000)}`;
    expect(parseError(deep).detail).toMatch(/nested too deeply at position 50: at most 50 levels/);
    const nots = `${'not ('.repeat(1500)}a pr${')'.repeat(1500)}`;
    expect(parseError(nots).detail).toMatch(/nested too deeply/);
  });

  it('accepts nesting up to the depth limit', () => {
    const ok = `${'('.repeat(MAX_NESTING_DEPTH)}a pr${')'.repeat(MAX_NESTING_DEPTH)}`;
    expect(parseFilter(ok)).toStrictEqual(pr('a'));
    const tooDeep = `${'('.repeat(MAX_NESTING_DEPTH + 1)}a pr${')'.repeat(MAX_NESTING_DEPTH + 1)}`;
    expect(parseError(tooDeep).detail).toMatch(/nested too deeply/);
  });

  it('parses long and-chains iteratively', () => {
    const text = Array.from({ length: 700 }, (_, i) => `a${i} pr`).join(' and ');
    let node = parseFilter(text);
    let depth = 0;
    while (node.kind === 'and') {
      expect(node.right).toStrictEqual(pr(`a${699 - depth}`));
      node = node.left;
      depth++;
    }
    expect(depth).toBe(699);
    expect(node).toStrictEqual(pr('a0'));
  });

  it('only ever throws ScimError', () => {
    // A crude fuzz: every prefix of a rich filter either parses or fails with invalidFilter.
    const text =
      'emails[type eq "work" and not (value co "@x\\"y")].value eq "z" or (meta.created gt 2020-01-01 and urn:a:b:c pr)';
    for (let i = 0; i <= text.length; i++) {
      for (const candidate of [text.slice(0, i), text.slice(i)]) {
        try {
          parseFilter(candidate);
        } catch (error) {
          expect(error).toBeInstanceOf(ScimError);
          expect((error as ScimError).scimType).toBe('invalidFilter');
        }
      }
    }
    expect(parseError(42 as unknown as string).detail).toMatch(/must be a string/);
  });
});
