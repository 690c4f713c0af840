/**
 * Property tests of the filter parser (issue #7, "Bad input"): whatever the text, parseFilter
 * returns a well-formed AST or throws a 400 invalidFilter ScimError, never anything else, and a
 * filter printed from a generated AST parses back to exactly that AST.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyText, filter as printedFilter, tokenSoup } from '../testing/filter-arbitraries.js';
import { outcomeOf } from '../testing/outcome.js';
import { type AttributePath, COMPARE_OPERATORS, type Filter } from './ast.js';
import { matchesFilter } from './evaluate.js';
import { MAX_FILTER_LENGTH, MAX_NESTING_DEPTH, parseFilter } from './parser.js';
import { isAttributeName } from './path.js';

const parse = (text: string) => outcomeOf(() => parseFilter(text), ['invalidFilter']);

function expectWellFormedPath(path: AttributePath): void {
  expect(isAttributeName(path.attr)).toBe(true);
  if ('sub' in path) expect(isAttributeName(path.sub ?? '')).toBe(true);
  if ('uri' in path) expect(path.uri).toMatch(/^urn:/i);
}

/**
 * The invariants of every AST parseFilter returns, whatever its input: valid names, known operators,
 * JSON-typed finite values, no value filter inside a value filter, nesting within the limit.
 */
function expectWellFormed(filter: Filter, inValuePath = false, depth = 0): void {
  expect(depth).toBeLessThanOrEqual(MAX_NESTING_DEPTH);
  switch (filter.kind) {
    case 'and':
    case 'or':
      expectWellFormed(filter.left, inValuePath, depth);
      expectWellFormed(filter.right, inValuePath, depth);
      return;
    case 'not':
      expectWellFormed(filter.filter, inValuePath, depth + 1);
      return;
    case 'present':
      expectWellFormedPath(filter.path);
      return;
    case 'compare': {
      expectWellFormedPath(filter.path);
      expect(COMPARE_OPERATORS).toContain(filter.op);
      const { value } = filter;
      expect(value === null || ['string', 'boolean', 'number'].includes(typeof value)).toBe(true);
      if (typeof value === 'number') expect(Number.isFinite(value)).toBe(true);
      return;
    }
    case 'valuePath':
      expect(inValuePath).toBe(false);
      expectWellFormedPath(filter.path);
      expect(filter.path.sub).toBeUndefined();
      expectWellFormed(filter.filter, true, depth + 1);
      return;
    default:
      throw new Error(`unknown node ${JSON.stringify(filter)}`);
  }
}

describe('parseFilter on arbitrary input', () => {
  it('returns a well-formed filter or throws invalidFilter for any text', () => {
    fc.assert(
      fc.property(anyText(200), (text) => {
        const result = parse(text);
        if (result.ok) expectWellFormed(result.value);
      }),
      { numRuns: 300 },
    );
  });

  it('does the same for fragments of filters glued together', () => {
    fc.assert(
      fc.property(tokenSoup, (text) => {
        const result = parse(text);
        if (result.ok) expectWellFormed(result.value);
      }),
      { numRuns: 300 },
    );
  });

  it('does the same for valid filters with one character deleted, inserted or replaced', () => {
    const mutation = fc.tuple(
      printedFilter,
      fc.nat(),
      fc.nat({ max: 2 }),
      fc.constantFrom('(', ')', '[', ']', '"', '\\', ' ', '.', ':', 'a', '0', '\u0000', '\uD800'),
    );
    fc.assert(
      fc.property(mutation, ([{ text }, at, kind, ch]) => {
        const i = at % (text.length + 1);
        const mutated =
          kind === 0
            ? text.slice(0, i) + text.slice(i + 1)
            : kind === 1
              ? text.slice(0, i) + ch + text.slice(i)
              : text.slice(0, i) + ch + text.slice(i + 1);
        const result = parse(mutated);
        if (result.ok) expectWellFormed(result.value);
      }),
      { numRuns: 250 },
    );
  });

  it('rejects anything that is not a string as invalidFilter', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        fc.pre(typeof value !== 'string');
        const result = parse(value as string);
        expect(result.ok).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});

describe('parseFilter on generated filters', () => {
  it('parses a printed filter back to the AST it was printed from', () => {
    fc.assert(
      fc.property(printedFilter, ({ value, text }) => {
        expect(parseFilter(text)).toStrictEqual(value);
      }),
      { numRuns: 250 },
    );
  });

  it('parses a filter nested up to the depth limit and rejects one nested deeper', () => {
    const opens = fc.array(fc.constantFrom('(', 'not (', 'NOT('), { maxLength: MAX_NESTING_DEPTH + 30 });
    fc.assert(
      fc.property(opens, (list) => {
        const text = `${list.join('')}title pr${')'.repeat(list.length)}`;
        const result = parse(text);
        if (list.length > MAX_NESTING_DEPTH) {
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.error.detail).toContain('nested too deeply');
          return;
        }
        // Parentheses leave no trace in the AST; each `not (` is one `not` node, innermost last.
        let expected: Filter = { kind: 'present', path: { attr: 'title' } };
        for (const open of [...list].reverse()) {
          if (open !== '(') expected = { kind: 'not', filter: expected };
        }
        expect(result).toStrictEqual({ ok: true, value: expected });
      }),
      { numRuns: 200 },
    );
  });

  it('accepts a filter of exactly the length limit and rejects a longer one', () => {
    const lengths = fc.integer({ min: MAX_FILTER_LENGTH - 20, max: MAX_FILTER_LENGTH + 20 });
    fc.assert(
      fc.property(lengths, (length) => {
        const prefix = 'title eq "';
        const text = `${prefix}${'x'.repeat(length - prefix.length - 1)}"`;
        expect(text).toHaveLength(length);
        const result = parse(text);
        expect(result.ok).toBe(length <= MAX_FILTER_LENGTH);
      }),
      { numRuns: 50 },
    );
  });
});

describe('parseFilter on pathological shapes', () => {
  // Each of these would overflow the stack in a parser whose recursion follows the input.
  it('rejects 10,000 nested parentheses as too long, without overflowing the stack', () => {
    const error = parse(`${'('.repeat(10_000)}title pr${')'.repeat(10_000)}`);
    expect(error.ok).toBe(false);
    if (!error.ok) expect(error.error.detail).toContain('too long');
  });

  it.each([
    ['parentheses', `${'('.repeat(4_990)}title pr${')'.repeat(4_990)}`],
    ['not (', `${'not ('.repeat(1_500)}title pr${')'.repeat(1_500)}`],
    ['unclosed parentheses', '('.repeat(MAX_FILTER_LENGTH)],
    ['unclosed not (', 'not('.repeat(MAX_FILTER_LENGTH / 4)],
  ])('rejects thousands of nested %s as nested too deeply', (_, text) => {
    const result = parse(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.detail).toContain('nested too deeply');
  });

  it('rejects brackets inside brackets at once, however many', () => {
    const result = parse(`${'emails['.repeat(1_000)}value pr${']'.repeat(1_000)}`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.detail).toContain('cannot contain another value filter');
  });

  it('parses and evaluates a chain of 1,100 "and" terms without deep recursion', () => {
    const text = Array(1_100).fill('a pr').join(' and ');
    expect(text.length).toBeLessThanOrEqual(MAX_FILTER_LENGTH);
    const parsed = parseFilter(text);
    expect(matchesFilter(parsed, { a: 'x' })).toBe(true);
    expect(matchesFilter(parsed, {})).toBe(false);
    expect(matchesFilter(parseFilter(text.replaceAll(' and ', ' or ')), { a: 'x' })).toBe(true);
  });
});
