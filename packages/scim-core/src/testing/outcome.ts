import { expect } from 'vitest';
import { ScimError, type ScimType } from '../errors.js';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ScimError };

/**
 * Runs `fn` inside a property: returns its value, or the ScimError it threw after checking that the
 * error is a client error (4xx) whose `scimType` is one of `scimTypes` (when given). Any other
 * exception (a TypeError, a stack overflow) is rethrown as is, so fast-check reports it and the
 * counterexample that caused it.
 */
export function outcomeOf<T>(fn: () => T, scimTypes?: readonly (ScimType | undefined)[]): Outcome<T> {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    if (!(error instanceof ScimError)) throw error;
    expect(error.status).toBeGreaterThanOrEqual(400);
    expect(error.status).toBeLessThan(500);
    if (scimTypes) expect(scimTypes).toContain(error.scimType);
    return { ok: false, error };
  }
}
