/**
 * fast-check arbitraries for the filter and PATCH-path property tests. Each filter is generated
 * together with one of the many ways a client may write it (keywords in any case, extra whitespace,
 * redundant parentheses, escaped strings, numbers in exponent form, bare-word values), so a test can
 * check that the parser reads back exactly the tree that was printed.
 */
import fc from 'fast-check';
import {
  type AttributePath,
  COMPARE_OPERATORS,
  type Filter,
  type FilterValue,
  type PatchPath,
} from '../filter/ast.js';

export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

/** The loosest operator at the top of a printed text; decides where a parent must add parentheses. */
type Level = 'or' | 'and' | 'unary';

/** A value (filter, path, …) and one text a client could send for it. */
export interface Printed<T> {
  value: T;
  text: string;
  level: Level;
}

const ws = fc.constantFrom(' ', '  ', '\t', '\n', ' \r\n ');
/** Whitespace where the grammar does not need any (before "(", "[", a quoted string). */
const optionalWs = fc.constantFrom('', ' ', '\t');
const keyword = (word: string) => fc.mixedCase(fc.constant(word));
/** An optional part, absent most of the time (fc.option leaves it out only one time in five). */
const sometimes = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

/**
 * Code units 0..FFFF one by one, so lone surrogates (`\uD800`) appear: fast-check's own string
 * units only produce well-formed UTF-16, but JSON escapes and JavaScript strings need not be.
 */
export const codeUnitString = (maxLength = 20) =>
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength });

/** Any text at all: ASCII, any code point, any code unit. */
export const anyText = (maxLength = 40) =>
  fc.oneof(fc.string({ maxLength }), fc.string({ unit: 'binary', maxLength }), codeUnitString(maxLength));

/** Look-alikes of Latin letters, invisible characters and case-mapping oddities. */
export const CONFUSABLES = [
  'а', // U+0430 CYRILLIC SMALL LETTER A
  'Ａ', // U+FF21 FULLWIDTH LATIN CAPITAL LETTER A
  '\u200B', // ZERO WIDTH SPACE
  'a\u0301', // a + COMBINING ACUTE ACCENT
  'á', // U+00E1, the precomposed form of the previous one
  'ı', // U+0131 LATIN SMALL LETTER DOTLESS I
  'İ', // U+0130 LATIN CAPITAL LETTER I WITH DOT ABOVE
  '\u212A', // KELVIN SIGN, whose lower case is ASCII "k"
  'ß',
  '\uFEFF', // BYTE ORDER MARK
  '\uD800', // a lone high surrogate
];

/**
 * Names the parser must read as attribute names: schema names, random ATTRNAMEs, `$ref`, and
 * words that are also keywords of the grammar, which it tells apart by position.
 */
export const attributeName = fc.oneof(
  fc.constantFrom(
    'userName',
    'displayName',
    'emails',
    'value',
    'type',
    'primary',
    'name',
    'givenName',
    '$ref',
  ),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,11}$/),
  fc.constantFrom('not', 'and', 'or', 'pr', 'eq', 'true', 'null', 'urn'),
);

const schemaUri = fc.constantFrom(
  ENTERPRISE,
  CORE_USER,
  ENTERPRISE.toUpperCase(),
  'urn:example:params:custom:1.0:Thing',
);

function printPath(uri: string | undefined, attr: string, sub: string | undefined): Printed<AttributePath> {
  const path: AttributePath = { attr };
  if (uri !== undefined) path.uri = uri;
  if (sub !== undefined) path.sub = sub;
  const text = `${uri === undefined ? '' : `${uri}:`}${attr}${sub === undefined ? '' : `.${sub}`}`;
  return { value: path, text, level: 'unary' };
}

/** `[uri:]attr[.sub]`, with the AST the parser must produce (absent parts are left out, not undefined). */
export const attributePath: fc.Arbitrary<Printed<AttributePath>> = fc
  .tuple(sometimes(schemaUri), attributeName, sometimes(attributeName))
  .map(([uri, attr, sub]) => printPath(uri, attr, sub));

/**
 * The attribute before a `[filter]`: no sub-attribute, and not the word `not`, which the parser
 * reads as the keyword when "[" follows (`not[` is an error, not a value filter on an attribute
 * called "not").
 */
const valuePathAttribute = fc
  .tuple(sometimes(schemaUri), attributeName)
  .filter(([uri, attr]) => uri !== undefined || attr.toLowerCase() !== 'not')
  .map(([uri, attr]) => printPath(uri, attr, undefined));

/** RFC 7159 numbers; anything else unquoted is a bare-word string. */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

const stringValue: fc.Arbitrary<Printed<FilterValue>> = fc
  .tuple(fc.oneof(anyText(), fc.constantFrom(...CONFUSABLES)), fc.boolean())
  .map(([s, escapeAll]) => ({
    value: s,
    // Every code unit as \uXXXX exercises the decoder; JSON.stringify escapes lone surrogates itself.
    text: escapeAll
      ? `"${[...Array(s.length).keys()].map((i) => `\\u${s.charCodeAt(i).toString(16).padStart(4, '0')}`).join('')}"`
      : JSON.stringify(s),
    level: 'unary',
  }));

const numberValue: fc.Arbitrary<Printed<FilterValue>> = fc
  .oneof(
    fc.maxSafeInteger(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
  )
  .chain((n) =>
    fc.constantFrom(String(n), n.toExponential(), n.toExponential().toUpperCase()).map((text) => ({
      // The documented rule: an integer too large for a double keeps its digits, as a string.
      value: /^-?\d+$/.test(text) && !Number.isSafeInteger(n) ? text : n,
      text,
      level: 'unary' as const,
    })),
  );

const keywordValue: fc.Arbitrary<Printed<FilterValue>> = fc
  .constantFrom<[string, FilterValue]>(['true', true], ['false', false], ['null', null])
  .chain(([word, value]) => keyword(word).map((text) => ({ value, text, level: 'unary' as const })));

/** `externalId eq jyoung`: an unquoted word that is no keyword and no number is a string. */
const bareWordValue: fc.Arbitrary<Printed<FilterValue>> = fc
  .stringMatching(/^[A-Za-z0-9@._:+/-]{1,16}$/)
  .filter((w) => !['true', 'false', 'null', 'and', 'or'].includes(w.toLowerCase()) && !JSON_NUMBER.test(w))
  .map((w) => ({ value: w, text: w, level: 'unary' }));

export const filterValue = fc.oneof(stringValue, numberValue, keywordValue, bareWordValue);

/** `path op value` or `path pr`, relative to `path`'s own AST (the Entra form passes `{ attr: sub }`). */
function condition(pathArb: fc.Arbitrary<Printed<AttributePath>>): fc.Arbitrary<Printed<Filter>> {
  const compare = fc
    .tuple(pathArb, fc.constantFrom(...COMPARE_OPERATORS), ws, ws, filterValue)
    .chain(([path, op, ws1, ws2, value]) =>
      keyword(op).map((opText) => ({
        value: { kind: 'compare', path: path.value, op, value: value.value } satisfies Filter,
        text: `${path.text}${ws1}${opText}${ws2}${value.text}`,
        level: 'unary' as const,
      })),
    );
  const present = fc.tuple(pathArb, ws, keyword('pr')).map(([path, ws1, pr]) => ({
    value: { kind: 'present', path: path.value } satisfies Filter,
    text: `${path.text}${ws1}${pr}`,
    level: 'unary' as const,
  }));
  return fc.oneof(compare, present);
}

const parenthesize = (p: Printed<Filter>, needed: boolean) => (needed ? `(${p.text})` : p.text);

/** Filters built from `leaf` with and/or/not and redundant parentheses, printed with correct precedence. */
function combine(leaf: fc.Arbitrary<Printed<Filter>>): fc.Arbitrary<Printed<Filter>> {
  return fc.letrec<{ filter: Printed<Filter> }>((tie) => ({
    filter: fc.oneof(
      { maxDepth: 4, depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.tuple(tie('filter'), keyword('not'), optionalWs).map(([f, not, space]) => ({
        value: { kind: 'not', filter: f.value } satisfies Filter,
        text: `${not}${space}(${f.text})`,
        level: 'unary' as const,
      })),
      tie('filter').map((f) => ({ ...f, text: `(${f.text})`, level: 'unary' as const })),
      fc.tuple(tie('filter'), tie('filter'), keyword('and'), ws, ws).map(([l, r, and, ws1, ws2]) => ({
        value: { kind: 'and', left: l.value, right: r.value } satisfies Filter,
        text: `${parenthesize(l, l.level === 'or')}${ws1}${and}${ws2}${parenthesize(r, r.level !== 'unary')}`,
        level: 'and' as const,
      })),
      fc.tuple(tie('filter'), tie('filter'), keyword('or'), ws, ws).map(([l, r, or, ws1, ws2]) => ({
        value: { kind: 'or', left: l.value, right: r.value } satisfies Filter,
        text: `${l.text}${ws1}${or}${ws2}${parenthesize(r, r.level === 'or')}`,
        level: 'or' as const,
      })),
    ),
  })).filter;
}

/** What may stand inside `[...]`: everything but another value filter. */
export const valueFilter = combine(condition(attributePath));

const bracketed = fc
  .tuple(valuePathAttribute, valueFilter, optionalWs, optionalWs)
  .map(([path, inner, ws1, ws2]) => ({ path, inner, text: `${path.text}${ws1}[${inner.text}${ws2}]` }));

const subName = attributeName.map((attr) => ({ value: { attr }, text: attr, level: 'unary' as const }));

const valuePathFilter = fc.oneof(
  bracketed.map(({ path, inner, text }) => ({
    value: { kind: 'valuePath', path: path.value, filter: inner.value } satisfies Filter,
    text,
    level: 'unary' as const,
  })),
  // Entra's `emails[type eq "work"].value eq "x"`: the condition after "]" joins the bracketed filter.
  fc.tuple(bracketed, condition(subName)).map(([{ path, inner, text }, after]) => ({
    value: {
      kind: 'valuePath',
      path: path.value,
      filter: { kind: 'and', left: inner.value, right: after.value },
    } satisfies Filter,
    text: `${text}.${after.text}`,
    level: 'unary' as const,
  })),
);

/** A whole `filter=` expression. */
export const filter = combine(fc.oneof({ weight: 3, arbitrary: condition(attributePath) }, valuePathFilter));

/** A PATCH `path`: `attr`, `attr[filter]` or `attr[filter].sub`. */
export const patchPath: fc.Arbitrary<Printed<PatchPath>> = fc.oneof(
  attributePath.map(({ value, text }) => ({
    value: { kind: 'attribute', path: value } satisfies PatchPath,
    text,
    level: 'unary' as const,
  })),
  fc.tuple(bracketed, sometimes(attributeName)).map(([{ path, inner, text }, sub]) => {
    const value: PatchPath = { kind: 'valuePath', path: path.value, filter: inner.value };
    if (sub !== undefined) value.sub = sub;
    return { value, text: sub === undefined ? text : `${text}.${sub}`, level: 'unary' as const };
  }),
);

/**
 * Fragments of filters and paths glued together at random: the near misses (a "(" too many, a
 * string that never closes, a keyword where a value belongs) where a hand-written parser breaks.
 */
export const tokenSoup = fc
  .array(
    fc.oneof(
      fc.constantFrom('(', ')', '[', ']', '"', '\\', '.', ':', ' ', '\t', ',', "'", ';', '--', '\u0000'),
      fc.constantFrom('not', 'and', 'or', 'pr', 'eq', 'co', 'gt', 'true', 'null', 'NaN', 'Infinity'),
      fc.constantFrom('userName', 'emails', '.value', 'name.givenName', '$ref', `${ENTERPRISE}:`, 'urn:'),
      fc.constantFrom('"x"', '"\\u0041"', '"\\ud800"', '"\\', '1e309', '-0', '9007199254740993', '0.5e-3'),
      ws,
      filterValue.map((v) => v.text),
    ),
    { maxLength: 25 },
  )
  .map((parts) => parts.join(''));
