import { afterEach, describe, expect, it } from 'vitest';
import { parseDateTime } from './compare.js';

describe('parseDateTime', () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = originalTz;
  });

  it.each([
    ['2015-10-10T14:38:21.861Z', Date.UTC(2015, 9, 10, 14, 38, 21, 861)],
    ['2015-10-10T14:38:21.8617979-07:00', Date.UTC(2015, 9, 10, 21, 38, 21, 861)],
    ['2015-10-10t14:38:21z', Date.UTC(2015, 9, 10, 14, 38, 21)],
    ['2015-10-10 14:38:21Z', Date.UTC(2015, 9, 10, 14, 38, 21)],
    ['2015-10-10T14:38Z', Date.UTC(2015, 9, 10, 14, 38)],
    ['2015-10-10', Date.UTC(2015, 9, 10)],
    ['0001-01-03T00:00:00.0000000Z', Date.parse('0001-01-03T00:00:00Z')],
  ])('parses %s', (text, expected) => {
    expect(parseDateTime(text)).toBe(expected);
  });

  it('reads a date-time without an offset as UTC whatever the local time zone', () => {
    process.env.TZ = 'America/Los_Angeles';
    expect(parseDateTime('2015-10-10T14:38:21')).toBe(Date.UTC(2015, 9, 10, 14, 38, 21));
    expect(parseDateTime('2015-10-10')).toBe(Date.UTC(2015, 9, 10));
  });

  it.each([
    'not a date',
    '',
    '2015-13-01',
    '2015-10-10T25:00:00Z',
    '10/10/2015',
    'Oct 10 2015',
    '2015-10-10T14:38:21+0700',
    '20151010',
  ])('rejects %j', (text) => {
    expect(parseDateTime(text)).toBeUndefined();
  });
});
