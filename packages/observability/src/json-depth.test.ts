import { describe, expect, it } from 'vitest';
import { jsonDeeperThan } from './json-depth.js';

const nested = (depth: number) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);

describe('jsonDeeperThan', () => {
  it('counts each array and object as a level, scalars as none', () => {
    expect(jsonDeeperThan(nested(3), 3)).toBe(false);
    expect(jsonDeeperThan(nested(4), 3)).toBe(true);
    expect(jsonDeeperThan({ a: { b: [1, 'x', null] } }, 3)).toBe(false);
    expect(jsonDeeperThan({ a: { b: [{}] } }, 3)).toBe(true);
    expect(jsonDeeperThan('text', 0)).toBe(false);
  });

  it('walks 100,000 levels without overflowing the stack', () => {
    // Far past any call stack (about 10,000 frames); recursion would throw a RangeError here.
    expect(jsonDeeperThan(nested(100_000))).toBe(true);
  });

  it('finds a deep branch beside shallow ones', () => {
    expect(jsonDeeperThan({ wide: Array.from({ length: 1000 }, () => 1), deep: nested(40) })).toBe(true);
  });
});
