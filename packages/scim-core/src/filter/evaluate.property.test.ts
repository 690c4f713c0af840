/**
 * Laws of in-memory filter evaluation (evaluate.ts, compare.ts) on random resources: the boolean
 * operators mean what they say, `ne` is the negation of `eq` where RFC 7644 makes it one, string
 * comparison folds case and nothing else, and dateTimes compare as instants.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commonAttributes, enterpriseUserSchema, findAttribute, userSchema } from '../schema/index.js';
import { anyText, CONFUSABLES } from '../testing/filter-arbitraries.js';
import {
  type AttributePath,
  COMPARE_OPERATORS,
  type CompareOperator,
  type Filter,
  type FilterValue,
} from './ast.js';
import { compareValue } from './compare.js';
import { matchesFilter } from './evaluate.js';

const userAttributes = [...commonAttributes, ...userSchema.attributes, ...enterpriseUserSchema.attributes];
const emailAttributes = findAttribute(userSchema.attributes, 'emails')?.subAttributes ?? [];

/** Few distinct values, so that filters and resources often share one and comparisons go both ways. */
const POOL: FilterValue[] = ['alice', 'ALICE', 'аlice', 'work', 'True', 'true', '5', '05', '', 'ı', 'I', 'ß'];
const poolValue = fc.oneof(fc.constantFrom(...POOL), fc.constantFrom(5, 0, -1.5, true, false, null));
const poolString = fc.constantFrom(...POOL.filter((v): v is string => typeof v === 'string'));

const email = fc.record(
  {
    value: poolString,
    type: fc.constantFrom('work', 'home', 'WORK'),
    primary: fc.constantFrom(true, false, 'True'),
  },
  { requiredKeys: [] },
);

/** userName and title are case-insensitive strings, externalId caseExact, active boolean, custom unknown. */
const SINGLE_VALUED = ['userName', 'USERNAME', 'externalId', 'title', 'active', 'custom', 'missing'];
const resource = fc.record(
  {
    userName: poolValue,
    externalId: poolValue,
    title: poolValue,
    active: poolValue,
    custom: poolValue,
    emails: fc.array(email, { maxLength: 3 }),
  },
  { requiredKeys: [] },
);

const path = (attr: string, sub?: string): AttributePath => (sub === undefined ? { attr } : { attr, sub });
const compare = (p: AttributePath, op: CompareOperator, value: FilterValue): Filter => ({
  kind: 'compare',
  path: p,
  op,
  value,
});

const leafPath = fc.oneof(
  fc.constantFrom(...SINGLE_VALUED).map((attr) => path(attr)),
  fc.constantFrom('value', 'type', 'primary').map((sub) => path('emails', sub)),
  fc.constant(path('emails')),
);
const operator = fc.constantFrom(...COMPARE_OPERATORS);
const leaf: fc.Arbitrary<Filter> = fc.oneof(
  fc.tuple(leafPath, operator, poolValue).map(([p, op, value]) => compare(p, op, value)),
  leafPath.map((p): Filter => ({ kind: 'present', path: p })),
);
const elementLeaf: fc.Arbitrary<Filter> = fc
  .tuple(fc.constantFrom('value', 'type', 'primary'), operator, poolValue)
  .map(([attr, op, value]) => compare(path(attr), op, value));

const { filter } = fc.letrec<{ filter: Filter }>((tie) => ({
  filter: fc.oneof(
    { maxDepth: 3, depthSize: 'small' },
    leaf,
    elementLeaf.map((inner): Filter => ({ kind: 'valuePath', path: path('emails'), filter: inner })),
    tie('filter').map((f): Filter => ({ kind: 'not', filter: f })),
    fc.tuple(tie('filter'), tie('filter')).map(([left, right]): Filter => ({ kind: 'and', left, right })),
    fc.tuple(tie('filter'), tie('filter')).map(([left, right]): Filter => ({ kind: 'or', left, right })),
  ),
}));

const matches = (f: Filter, element: unknown) => matchesFilter(f, element, userAttributes);

describe('matchesFilter: the boolean operators', () => {
  it('not (F) matches exactly when F does not', () => {
    fc.assert(
      fc.property(filter, resource, (f, r) => {
        expect(matches({ kind: 'not', filter: f }, r)).toBe(!matches(f, r));
      }),
      { numRuns: 300 },
    );
  });

  it('a chain of "and" matches iff every term does, a chain of "or" iff some term does', () => {
    fc.assert(
      fc.property(fc.array(filter, { minLength: 1, maxLength: 6 }), resource, (terms, r) => {
        // Left-deep, as the parser builds `A and B and C`; evaluate.ts flattens such chains.
        const chain = (kind: 'and' | 'or') => terms.reduce((left, right): Filter => ({ kind, left, right }));
        const each = terms.map((t) => matches(t, r));
        expect(matches(chain('and'), r)).toBe(each.every(Boolean));
        expect(matches(chain('or'), r)).toBe(each.some(Boolean));
      }),
      { numRuns: 200 },
    );
  });

  it('a value filter matches iff some element of the attribute matches its inner filter', () => {
    fc.assert(
      fc.property(elementLeaf, resource, (inner, r) => {
        const outer: Filter = { kind: 'valuePath', path: path('emails'), filter: inner };
        const some = (r.emails ?? []).some((e) => matchesFilter(inner, e, emailAttributes));
        expect(matches(outer, r)).toBe(some);
      }),
      { numRuns: 200 },
    );
  });
});

describe('matchesFilter: comparisons', () => {
  it('"ne" is "not eq" on a single-valued attribute, for values of any type and absent ones', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SINGLE_VALUED), poolValue, resource, (attr, value, r) => {
        const eq = matches(compare(path(attr), 'eq', value), r);
        expect(matches(compare(path(attr), 'ne', value), r)).toBe(!eq);
      }),
      { numRuns: 300 },
    );
  });

  it('"ne" is "not eq" in compareValue for any stored JSON value and any filter value', () => {
    const definition = fc.constantFrom(undefined, ...userAttributes.filter((a) => !a.subAttributes));
    const expected = fc.oneof(anyText(10), fc.double({ noNaN: true }), fc.boolean(), poolString);
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 2 }), expected, definition, (actual, e, def) => {
        expect(compareValue(actual, 'ne', e, def)).toBe(!compareValue(actual, 'eq', e, def));
      }),
      { numRuns: 300 },
    );
  });

  it('"eq" on a caseExact=false string folds case (toLowerCase) and nothing else; caseExact compares exactly', () => {
    const text = fc.oneof(
      anyText(12),
      fc.constantFrom(...CONFUSABLES, 'a', 'A', 'i', 'I', 'k', 'K', 'ss', 'SS'),
    );
    // Often the second string is a variant of the first, so equal pairs are common, not rare.
    const pair = fc
      .tuple(text, text)
      .chain(([s, other]) =>
        fc
          .constantFrom(s, s.toUpperCase(), s.toLowerCase(), `${s}\u200B`, s.normalize('NFD'), other)
          .map((t) => [s, t] as const),
      );
    fc.assert(
      fc.property(pair, ([s, t]) => {
        expect(matches(compare(path('userName'), 'eq', t), { userName: s })).toBe(
          s.toLowerCase() === t.toLowerCase(),
        );
        expect(matches(compare(path('externalId'), 'eq', t), { externalId: s })).toBe(s === t);
      }),
      { numRuns: 400 },
    );
  });

  it('co, sw and ew match every substring, prefix and suffix of the stored string', () => {
    const sliced = anyText(20).chain((s) =>
      fc.tuple(fc.constant(s), fc.nat({ max: s.length }), fc.nat({ max: s.length })),
    );
    fc.assert(
      fc.property(sliced, ([s, a, b]) => {
        const [i, j] = a <= b ? [a, b] : [b, a];
        const r = { userName: s, externalId: s };
        for (const attr of ['userName', 'externalId']) {
          expect(matches(compare(path(attr), 'co', s.slice(i, j)), r)).toBe(true);
          expect(matches(compare(path(attr), 'sw', s.slice(0, j)), r)).toBe(true);
          expect(matches(compare(path(attr), 'ew', s.slice(i)), r)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('orders strings totally: exactly one of lt, eq, gt holds, and ge/le are their unions', () => {
    fc.assert(
      fc.property(anyText(8), anyText(8), (s, t) => {
        const r = { userName: s };
        const [lt, eq, gt, ge, le] = (['lt', 'eq', 'gt', 'ge', 'le'] as const).map((op) =>
          matches(compare(path('userName'), op, t), r),
        );
        expect([lt, eq, gt].filter(Boolean)).toHaveLength(1);
        expect(ge).toBe(gt || eq);
        expect(le).toBe(lt || eq);
      }),
      { numRuns: 200 },
    );
  });

  it('compares dateTimes as instants, whatever offset each side is written in', () => {
    const instant = fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2100, 0, 1) });
    const offset = fc.integer({ min: -14 * 60, max: 14 * 60 });
    /** `ms` written as local time at `minutes` east of UTC, e.g. `2020-01-01T01:00:00.000+01:00`. */
    const written = (ms: number, minutes: number) => {
      if (minutes === 0) return new Date(ms).toISOString();
      const local = new Date(ms + minutes * 60_000).toISOString().slice(0, 23);
      const abs = Math.abs(minutes);
      const hhmm = `${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
      return `${local}${minutes < 0 ? '-' : '+'}${hhmm}`;
    };
    // Equal instants are generated on purpose: a random pair is almost never equal.
    const pair = fc.tuple(instant, instant, fc.boolean()).map(([a, b, same]) => [a, same ? a : b] as const);
    fc.assert(
      fc.property(pair, offset, offset, ([a, b], oa, ob) => {
        const r = { meta: { created: written(a, oa) } };
        for (const op of ['eq', 'ne', 'gt', 'ge', 'lt', 'le'] as const) {
          const expected = { eq: a === b, ne: a !== b, gt: a > b, ge: a >= b, lt: a < b, le: a <= b }[op];
          expect(matches(compare(path('meta', 'created'), op, written(b, ob)), r)).toBe(expected);
        }
      }),
      { numRuns: 200 },
    );
  });
});
