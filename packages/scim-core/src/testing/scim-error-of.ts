import { expect } from 'vitest';
import { ScimError } from '../errors.js';

/** Runs `fn`, expecting it to throw a ScimError, and returns that error for further assertions. */
export function scimErrorOf(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError);
    return error as ScimError;
  }
  throw new Error('expected a ScimError, but nothing was thrown');
}
