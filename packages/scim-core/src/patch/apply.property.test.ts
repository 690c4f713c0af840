/**
 * Property tests of the PATCH engine (issue #7, "Bad input"): any body, applied the way the server
 * applies it (parsePatchRequest, then applyPatch), either succeeds or throws a 4xx ScimError; it
 * never changes the stored resource it was given, never pollutes Object.prototype, and a success
 * is in canonical stored form. Valid operations do what they name.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { normalizeResource, type ResourceData } from '../resource/normalize.js';
import { groupResourceType, userResourceType } from '../schema/index.js';
import type { ResourceTypeDefinition } from '../schema/types.js';
import { anyText, ENTERPRISE } from '../testing/filter-arbitraries.js';
import { outcomeOf } from '../testing/outcome.js';
import { patchBody, storedGroup, storedUser } from '../testing/patch-arbitraries.js';
import { applyPatch, type PatchResult } from './apply.js';
import { type PatchOperation, parsePatchRequest } from './request.js';

const OBJECT_PROTOTYPE = Object.getOwnPropertyNames(Object.prototype);
const ARRAY_PROTOTYPE = Object.getOwnPropertyNames(Array.prototype);

function expectUnpolluted(): void {
  expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(OBJECT_PROTOTYPE);
  expect(Object.getOwnPropertyNames(Array.prototype)).toEqual(ARRAY_PROTOTYPE);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

afterEach(expectUnpolluted);

/** A copy to compare with afterwards; `undefined` for a value nested too deeply to copy. */
function snapshot<T>(value: T): T | undefined {
  try {
    return structuredClone(value);
  } catch {
    return undefined;
  }
}

/** Applies `body` as the server does, checking the outcome and that the inputs are untouched. */
function patchSafely(type: ResourceTypeDefinition, data: ResourceData, body: unknown) {
  const dataBefore = structuredClone(data);
  const bodyBefore = snapshot(body);
  const result = outcomeOf(() => applyPatch(type, data, parsePatchRequest(body)));
  // The engine works on a copy: a rejected request (and an accepted one) leaves the stored data as it was.
  expect(data).toStrictEqual(dataBefore);
  // toEqual, not toStrictEqual: a body with an own "constructor" key defeats the type check.
  if (bodyBefore !== undefined) expect(body).toEqual(bodyBefore);
  expectUnpolluted();
  if (result.ok) {
    // A result is in the form a PUT of it would store: canonical names only, nothing read-only,
    // values coerced. A stored `__proto__`, `constructor` or unknown key would make the two differ.
    expect(normalizeResource(type, result.value.data)).toStrictEqual(result.value.data);
    expect(Object.getPrototypeOf(result.value.data)).toBe(Object.prototype);
  }
  return result;
}

describe('applyPatch on random bodies', () => {
  it('succeeds or throws a 4xx ScimError on a user, and never changes the input', () => {
    fc.assert(
      fc.property(storedUser, patchBody, (data, body) => {
        patchSafely(userResourceType, data, body);
      }),
      { numRuns: 250 },
    );
  });

  it('does the same on a group, where members only ever become membership changes', () => {
    fc.assert(
      fc.property(storedGroup, patchBody, (data, body) => {
        const result = patchSafely(groupResourceType, data, body);
        if (!result.ok) return;
        expect(result.value.data).not.toHaveProperty('members');
        for (const change of result.value.membership) {
          const ids =
            change.kind === 'remove'
              ? change.ids
              : 'members' in change
                ? change.members.map((m) => m.value)
                : [];
          for (const id of ids) expect(typeof id === 'string' && id.trim() !== '').toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('gives the same result applying operations at once as one request at a time', () => {
    // At once, `required` is checked only after the last operation, so only sequences whose every
    // step succeeds on its own are comparable.
    fc.assert(
      fc.property(storedUser, patchBody, (data, body) => {
        let operations: PatchOperation[];
        try {
          operations = parsePatchRequest(body);
        } catch {
          return;
        }
        let sequential: PatchResult | undefined = { data, membership: [], changed: false };
        for (const operation of operations) {
          const step = outcomeOf(() => applyPatch(userResourceType, sequential?.data ?? data, [operation]));
          sequential = step.ok ? step.value : undefined;
          if (!sequential) return;
        }
        const atOnce = applyPatch(userResourceType, data, operations);
        expect(atOnce.data).toStrictEqual(sequential.data);
        // A user PATCH has no membership changes, so `changed` means exactly "the data differs".
        expect(atOnce.changed).toBe(!isDeepStrictEqual(atOnce.data, data));
      }),
      { numRuns: 150 },
    );
  });
});

/** Simple attributes, the paths that name them (in any case) and where the value is stored. */
const SIMPLE_TARGETS: { path: string; read: (data: ResourceData) => unknown }[] = [
  { path: 'displayName', read: (d) => d.displayName },
  { path: 'TITLE', read: (d) => d.title },
  { path: 'nickName', read: (d) => d.nickName },
  { path: 'externalId', read: (d) => d.externalId },
  { path: 'name.givenName', read: (d) => (d.name as Record<string, unknown> | undefined)?.givenName },
  { path: 'Name.FamilyName', read: (d) => (d.name as Record<string, unknown> | undefined)?.familyName },
  {
    path: `${ENTERPRISE}:department`,
    read: (d) => (d[ENTERPRISE] as Record<string, unknown> | undefined)?.department,
  },
  {
    path: `${ENTERPRISE.toUpperCase()}:MANAGER.VALUE`,
    read: (d) => (d[ENTERPRISE] as { manager?: { value?: unknown } } | undefined)?.manager?.value,
  },
];

describe('applyPatch with valid operations', () => {
  const target = fc.constantFrom(...SIMPLE_TARGETS);
  const value = anyText(30).filter((s) => s !== '');

  it('add and replace store the value sent, and repeating them changes nothing', () => {
    fc.assert(
      fc.property(storedUser, target, fc.constantFrom('add', 'replace' as const), value, (data, t, op, v) => {
        const operations: PatchOperation[] = [{ op, path: t.path, value: v }];
        const result = applyPatch(userResourceType, data, operations);
        expect(t.read(result.data)).toBe(v);
        expect(result.data.userName).toBe(data.userName);
        const again = applyPatch(userResourceType, result.data, operations);
        expect(again.changed).toBe(false);
        expect(again.data).toStrictEqual(result.data);
      }),
      { numRuns: 200 },
    );
  });

  it('remove takes the value away, and leaves the rest of the resource', () => {
    fc.assert(
      fc.property(storedUser, target, (data, t) => {
        const result = applyPatch(userResourceType, data, [{ op: 'remove', path: t.path }]);
        expect(t.read(result.data)).toBeUndefined();
        expect(result.changed).toBe(t.read(data) !== undefined);
        expect(result.data.emails).toStrictEqual(data.emails);
      }),
      { numRuns: 200 },
    );
  });

  it('replace of userName stores it, and a blank one is refused without a change', () => {
    fc.assert(
      fc.property(storedUser, anyText(20), (data, userName) => {
        const result = outcomeOf(
          () => applyPatch(userResourceType, data, [{ op: 'replace', path: 'userName', value: userName }]),
          ['invalidValue'],
        );
        expect(result.ok).toBe(userName.trim() !== '');
        if (result.ok) expect(result.value.data.userName).toBe(userName);
      }),
      { numRuns: 100 },
    );
  });

  it('active takes booleans and "True"/"False" in any case, and refuses anything else as invalidValue', () => {
    const sent = fc.oneof(
      fc.boolean(),
      fc.constantFrom('true', 'false').chain((w) => fc.mixedCase(fc.constant(w))),
      anyText(6),
    );
    fc.assert(
      fc.property(storedUser, sent, (data, v) => {
        const result = outcomeOf(
          () => applyPatch(userResourceType, data, [{ op: 'replace', path: 'active', value: v }]),
          ['invalidValue'],
        );
        const meaning = typeof v === 'boolean' ? v : { true: true, false: false }[v.trim().toLowerCase()];
        if (v === '') expect(result.ok && result.value.data.active).toBeUndefined();
        else if (meaning === undefined) expect(result.ok).toBe(false);
        else expect(result.ok && result.value.data.active).toBe(meaning);
      }),
      { numRuns: 200 },
    );
  });

  it('adds an email, finds it through a filter, and removes exactly it through the same filter', () => {
    fc.assert(
      fc.property(storedUser, value, (data, address) => {
        const filterPath = `emails[value eq ${JSON.stringify(address)}]`;
        const added = applyPatch(userResourceType, data, [
          { op: 'add', path: 'emails', value: [{ value: address, type: 'other' }] },
        ]);
        const emails = (added.data.emails ?? []) as { value: string }[];
        expect(emails.some((e) => e.value === address)).toBe(true);
        const removed = applyPatch(userResourceType, added.data, [{ op: 'remove', path: filterPath }]);
        // Email values are not caseExact, so every case variant of the address goes too.
        const same = (e: { value: string }) => e.value.toLowerCase() === address.toLowerCase();
        expect((removed.data.emails ?? []) as unknown[]).toStrictEqual(emails.filter((e) => !same(e)));
      }),
      { numRuns: 200 },
    );
  });
});
