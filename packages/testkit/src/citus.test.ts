/** Whether a test run runs the Citus tier: one line and a pass without Citus, a run (and failure) under CI. */
import { describe, expect, it } from 'vitest';
import { planCitusTier } from './citus.js';

const absent = { available: false, reason: '/usr/lib/postgresql/15/lib/citus.so does not exist' } as const;

describe('planCitusTier', () => {
  it('runs the tier where Citus is installed', () => {
    expect(planCitusTier('the portal suites', { available: true }, {})).toEqual({ run: true });
  });

  it('without Citus outside CI: does not run it, with one line saying what, why and how to install it', () => {
    const plan = planCitusTier('the portal suites', absent, { CI: 'false' });
    expect(plan.run).toBe(false);
    if (plan.run) return;
    expect(plan.line).not.toContain('\n');
    expect(plan.line).toMatch(
      /^NOT RUN: Citus tier — the portal suites against a Citus coordinator and two workers/,
    );
    expect(plan.line).toContain('because /usr/lib/postgresql/15/lib/citus.so does not exist');
    expect(plan.line).toContain('install Citus');
  });

  it('under CI=true runs it even without Citus, so that the run fails on it', () => {
    expect(planCitusTier('the portal suites', absent, { CI: 'true' })).toEqual({ run: true });
  });
});
