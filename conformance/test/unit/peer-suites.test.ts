/**
 * Whether a test run runs the peer suites: on a fresh clone (no peer suites beside it) they are left
 * out with one line saying so; under CI=true they run, so that their absence fails the run.
 */
import { describe, expect, it } from 'vitest';
import { defaultCollectionPath, isCi, planMicrosoftReference } from '../../src/peers/peer-suites.js';

const nothing = () => false;
const everything = () => true;

describe('planMicrosoftReference', () => {
  it('runs the collection when it is there', () => {
    expect(planMicrosoftReference({ ROSTER_PEER_SUITES: '/suites' }, everything)).toEqual({
      run: true,
      collection: '/suites/microsoft-scim-reference/scim-tests.postman_collection.json',
    });
  });

  it('on a fresh clone outside CI: does not run it, with one line saying what, why and how to run it', () => {
    const plan = planMicrosoftReference({}, nothing);
    expect(plan.run).toBe(false);
    if (plan.run) return;
    expect(plan.line).not.toContain('\n');
    expect(plan.line).toMatch(/^NOT RUN: Microsoft's SCIM reference collection/);
    expect(plan.line).toContain(`because ${defaultCollectionPath({})} does not exist`);
    expect(plan.line).toContain('shared/peer-suites/microsoft-scim-reference/');
    expect(plan.line).toContain('set ROSTER_PEER_SUITES');
  });

  it('names ROSTER_PEER_SUITES when that is where it looked', () => {
    const plan = planMicrosoftReference({ ROSTER_PEER_SUITES: '/nowhere', CI: 'false' }, nothing);
    expect(plan.run).toBe(false);
    if (plan.run) return;
    expect(plan.line).toContain('because /nowhere/microsoft-scim-reference/');
    expect(plan.line).toContain('(from ROSTER_PEER_SUITES)');
  });

  it('under CI=true runs it even when absent, so that the run fails on it', () => {
    expect(planMicrosoftReference({ CI: 'true' }, nothing)).toEqual({
      run: true,
      collection: defaultCollectionPath({}),
    });
  });

  it('looks beside the checkout when ROSTER_PEER_SUITES is unset', () => {
    expect(defaultCollectionPath({})).toMatch(
      /\/shared\/peer-suites\/microsoft-scim-reference\/scim-tests\.postman_collection\.json$/,
    );
    expect(defaultCollectionPath({})).not.toContain('/conformance/');
  });
});

describe('isCi', () => {
  it('is true for the values CI services set, false when unset, empty, 0 or false', () => {
    expect(['true', 'TRUE', '1', 'yes'].map((CI) => isCi({ CI }))).toEqual([true, true, true, true]);
    expect([undefined, '', '0', 'false', 'False'].map((CI) => isCi({ CI }))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
