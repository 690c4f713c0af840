/**
 * Group PATCH: Entra (docs/reference/entra.md#group-membership, #group-rename, checklist #15–18), the SCIM
 * Validator, Microsoft's reference tests and Ping (docs/reference/ping.md#group-membership). Members never
 * enter the data, only `membership`.
 */
import { describe, expect, it } from 'vitest';
import type { ResourceData } from '../resource/normalize.js';
import { groupResourceType as Group } from '../schema/index.js';
import { scimErrorOf } from '../testing/scim-error-of.js';
import { applyPatch, type PatchResult } from './apply.js';
import { PATCH_OP_SCHEMA, parsePatchRequest } from './request.js';

const stored: ResourceData = Object.freeze({ displayName: 'Engineering', externalId: '8aa1a0c0' });

function patch(...operations: unknown[]): PatchResult {
  return applyPatch(Group, stored, parsePatchRequest({ schemas: [PATCH_OP_SCHEMA], Operations: operations }));
}

/** Every result must leave the group data free of `members`. */
function membershipOf(result: PatchResult) {
  expect(result.data).not.toHaveProperty('members');
  return result.membership;
}

describe('Entra membership', () => {
  it('adds a batch of members with $ref null (checklist #15)', () => {
    const result = patch({
      op: 'Add',
      path: 'members',
      value: [
        { $ref: null, value: 'u1' },
        { $ref: null, value: 'u2' },
        { value: 'g3', type: 'Group' },
      ],
    });
    expect(membershipOf(result)).toEqual([
      { kind: 'add', members: [{ value: 'u1' }, { value: 'u2' }, { value: 'g3', type: 'Group' }] },
    ]);
    expect(result.changed).toBe(true);
    expect(result.data).toEqual(stored);
  });

  it('removes only the listed members in default mode (checklist #16)', () => {
    const result = patch({ op: 'Remove', path: 'members', value: [{ value: 'u1091' }, { value: 'u7' }] });
    expect(membershipOf(result)).toEqual([{ kind: 'remove', ids: ['u1091', 'u7'] }]);
  });

  it('removes the member named by the filter with the flag on (checklist #17)', () => {
    const result = patch({ op: 'remove', path: 'members[value eq "7f4bc1a3-285e-48ae-8202-5accb43efb0e"]' });
    expect(membershipOf(result)).toEqual([{ kind: 'remove', ids: ['7f4bc1a3-285e-48ae-8202-5accb43efb0e'] }]);
  });

  it('renames the group with Replace displayName (checklist #18)', () => {
    const result = patch({ op: 'Replace', path: 'displayName', value: 'New name' });
    expect(result.data).toEqual({ ...stored, displayName: 'New name' });
    expect(membershipOf(result)).toEqual([]);
  });

  it('renames and re-keys through the Validator path-less replace', () => {
    const result = patch(
      { op: 'replace', value: { displayName: 'Renamed' } },
      { op: 'replace', value: { externalId: 'ext-9' } },
    );
    expect(result.data).toEqual({ displayName: 'Renamed', externalId: 'ext-9' });
  });
});

describe('SCIM Validator and Microsoft reference tests', () => {
  it('keeps the display label a member add carries, reading displayName as its synonym', () => {
    const result = patch({
      op: 'add',
      path: 'members',
      value: [{ displayName: 'new User', value: 'u4' }, { display: 'VP', value: 'u3' }, { value: 'u5' }],
    });
    expect(membershipOf(result)).toEqual([
      {
        kind: 'add',
        members: [{ value: 'u4', display: 'new User' }, { value: 'u3', display: 'VP' }, { value: 'u5' }],
      },
    ]);
  });

  it('"Patch Group - Add Member" replaces members', () => {
    const result = patch({ op: 'replace', path: 'members', value: [{ value: 'u1' }] });
    expect(membershipOf(result)).toEqual([{ kind: 'replace', members: [{ value: 'u1' }] }]);
  });

  it('"Multiple Ops on same attribute" adds and removes the same member, in order', () => {
    const result = patch(
      { op: 'add', path: 'members', value: [{ value: 'u1' }] },
      { op: 'remove', path: 'members[value eq "u1"]' },
      { op: 'add', path: 'members', value: [{ value: 'u1' }] },
    );
    expect(membershipOf(result)).toEqual([
      { kind: 'add', members: [{ value: 'u1' }] },
      { kind: 'remove', ids: ['u1'] },
      { kind: 'add', members: [{ value: 'u1' }] },
    ]);
  });

  it('accepts a bare string member id (the "garbage" group test)', () => {
    const result = patch({ op: 'add', path: 'members', value: ['string id 1', { value: 'string id 2' }] });
    expect(membershipOf(result)).toEqual([
      { kind: 'add', members: [{ value: 'string id 1' }, { value: 'string id 2' }] },
    ]);
  });

  it('removes all members with "remove members" and no value', () => {
    expect(membershipOf(patch({ op: 'remove', path: 'members' }))).toEqual([{ kind: 'removeAll' }]);
    expect(membershipOf(patch({ op: 'remove', path: 'members', value: null }))).toEqual([
      { kind: 'removeAll' },
    ]);
  });
});

describe('Ping membership (docs/reference/ping.md#group-membership)', () => {
  it('applies the add-plus-filtered-remove body', () => {
    const result = patch(
      { op: 'add', path: 'members', value: [{ value: '902c246b' }] },
      { op: 'remove', path: 'members[value eq "2819c223"]' },
    );
    expect(membershipOf(result)).toEqual([
      { kind: 'add', members: [{ value: '902c246b' }] },
      { kind: 'remove', ids: ['2819c223'] },
    ]);
  });

  it('accepts op names in any case and a remove with a value array', () => {
    const result = patch(
      { op: 'ADD', path: 'members', value: [{ value: 'a' }] },
      { op: 'REMOVE', path: 'Members', value: [{ value: 'b' }] },
      { op: 'RePlAcE', path: 'MEMBERS', value: [{ value: 'c', type: 'user' }] },
    );
    expect(membershipOf(result)).toEqual([
      { kind: 'add', members: [{ value: 'a' }] },
      { kind: 'remove', ids: ['b'] },
      { kind: 'replace', members: [{ value: 'c', type: 'User' }] },
    ]);
  });
});

describe('other membership shapes', () => {
  it('collects the ids of an "or" of value comparisons', () => {
    const result = patch({ op: 'remove', path: 'members[value eq "a" or value eq "b" or VALUE eq "c"]' });
    expect(membershipOf(result)).toEqual([{ kind: 'remove', ids: ['a', 'b', 'c'] }]);
  });

  it('passes any other member filter on as removeWhere', () => {
    const result = patch({ op: 'remove', path: 'members[type eq "Group" and display sw "Eng"]' });
    expect(membershipOf(result)).toEqual([
      {
        kind: 'removeWhere',
        filter: expect.objectContaining({ kind: 'and' }),
      },
    ]);
  });

  it('treats members inside a path-less value as add, replace or remove', () => {
    const result = patch(
      { op: 'add', value: { members: [{ value: 'u1' }] } },
      { op: 'replace', value: { displayName: 'Eng', members: [{ value: 'u2' }] } },
      { op: 'remove', value: { members: [{ value: 'u2' }] } },
    );
    expect(membershipOf(result)).toEqual([
      { kind: 'add', members: [{ value: 'u1' }] },
      { kind: 'replace', members: [{ value: 'u2' }] },
      { kind: 'remove', ids: ['u2'] },
    ]);
    expect(result.data).toEqual({ ...stored, displayName: 'Eng' });
  });

  it('accepts the core schema URN prefix on members', () => {
    const result = patch({
      op: 'add',
      path: 'urn:ietf:params:scim:schemas:core:2.0:Group:members',
      value: [{ value: 'u' }],
    });
    expect(membershipOf(result)).toEqual([{ kind: 'add', members: [{ value: 'u' }] }]);
  });

  it('records nothing for an empty list to add or remove, and never turns it into remove-all', () => {
    const result = patch(
      { op: 'add', path: 'members', value: [] },
      { op: 'remove', path: 'members', value: [] },
    );
    expect(membershipOf(result)).toEqual([]);
    expect(result.changed).toBe(false);
  });

  it('replaces members with an empty list', () => {
    expect(membershipOf(patch({ op: 'replace', path: 'members', value: [] }))).toEqual([
      { kind: 'replace', members: [] },
    ]);
  });
});

describe('membership errors', () => {
  it.each([
    ['an empty id', [{ value: '' }], 'members[0].value'],
    ['a numeric id', [{ value: 42 }], 'members[0].value'],
    ['a missing id', [{ display: 'Bob' }], 'members[0].value'],
    ['a blank string', ['  '], 'members[0]'],
    ['a nested array', [['u1']], 'members[0]'],
    ['an unknown type', [{ value: 'u1', type: 'Device' }], 'members[0].type'],
  ])('rejects %s with invalidValue', (_, value, where) => {
    const error = scimErrorOf(() =>
      patch({ op: 'add', path: 'members', value: [{ value: 'ok' }] }, { op: 'add', path: 'members', value }),
    );
    expect(error.scimType).toBe('invalidValue');
    expect(error.detail).toMatch(new RegExp(`^Operation 2: ${where.replace(/[[\].]/g, '\\$&')} `));
  });

  it('refuses to change the read-only display of a member', () => {
    const error = scimErrorOf(() =>
      patch({ op: 'replace', path: 'members[value eq "u1"].display', value: 'x' }),
    );
    expect(error.scimType).toBe('mutability');
  });

  it('refuses to change a member in place', () => {
    expect(
      scimErrorOf(() => patch({ op: 'replace', path: 'members[value eq "u1"].value', value: 'u2' })).scimType,
    ).toBe('mutability');
    expect(
      scimErrorOf(() => patch({ op: 'add', path: 'members[value eq "u1"]', value: { value: 'u2' } }))
        .scimType,
    ).toBe('invalidPath');
  });

  it('rejects a member filter on attributes the member table cannot answer', () => {
    const error = scimErrorOf(() => patch({ op: 'remove', path: 'members[$ref eq "x" and type eq "User"]' }));
    expect(error.scimType).toBe('invalidPath');
    expect(error.detail).toContain('"value", "type" and "display"');
  });

  it('refuses to remove the required displayName', () => {
    const error = scimErrorOf(() => patch({ op: 'remove', path: 'displayName' }));
    expect(error.scimType).toBe('invalidValue');
    expect(error.detail).toContain('displayName');
  });
});
