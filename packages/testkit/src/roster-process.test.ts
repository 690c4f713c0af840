import { describe, expect, it } from 'vitest';
import { errorLines } from './roster-process.js';

describe("the scan of Roster's log that makes a benchmark run fail", () => {
  it('finds the error and fatal lines of a pino log, and only those', () => {
    const log = [
      '{"level":30,"msg":"request","status":200}',
      '{"level":40,"msg":"could not record API key use"}',
      '{"level":50,"msg":"unexpected error"}',
      '{"level":60,"msg":"fatal"}',
      '{"level":30,"msg":"request","detail":"level 50 mentioned in text"}',
      '',
    ].join('\n');
    expect(errorLines(log)).toEqual(['{"level":50,"msg":"unexpected error"}', '{"level":60,"msg":"fatal"}']);
  });
});
