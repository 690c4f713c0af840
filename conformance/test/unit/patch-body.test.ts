/**
 * Entra's PATCH bodies in its two modes, against the examples of
 * docs/reference/entra.md#patch-in-default-mode (default), entra.md#patch-with-aadoptscim062020
 * (`aadOptscim062020`), entra.md#what-the-flag-changes (what the flag changes) and entra.md#group-membership
 * (membership).
 */
import { describe, expect, it } from 'vitest';
import { MANAGER_PATH } from '../../src/entra/mapping.js';
import { addMembersPatch, attributePatch, PATCH_OP, removeMembersPatch } from '../../src/entra/patch-body.js';
import type { Difference } from '../../src/provisioning/object-requests.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const WORK_EMAIL = 'emails[type eq "work"].value';

const replace = (path: string, value: unknown): Difference => ({ path, value, present: true });
const add = (path: string, value: unknown): Difference => ({ path, value, present: false });

describe('default mode (docs/reference/entra.md#patch-in-default-mode)', () => {
  it('sends one capitalized Replace per changed attribute, each with its path, as in entra.md#patch-in-default-mode', () => {
    const body = attributePatch('default', [
      replace('displayName', 'Test 01'),
      replace(WORK_EMAIL, 'test01@example.com'),
      replace('userName', 'test01@example.com'),
      replace('name.familyName', 'Tesst 01'),
      replace('name.formatted', 'Test 01'),
      replace('externalId', 'Eqpj'),
      replace(`${ENTERPRISE}:employeeNumber`, 'Eqpj'),
    ]);
    expect(body).toEqual({
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'displayName', value: 'Test 01' },
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'test01@example.com' },
        { op: 'Replace', path: 'userName', value: 'test01@example.com' },
        { op: 'Replace', path: 'name.familyName', value: 'Tesst 01' },
        { op: 'Replace', path: 'name.formatted', value: 'Test 01' },
        { op: 'Replace', path: 'externalId', value: 'Eqpj' },
        { op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: 'Eqpj' },
      ],
    });
  });

  it('uses Add for an attribute the target had no value for, Replace otherwise', () => {
    const body = attributePatch('default', [add('nickName', 'Babs'), replace('title', 'Boss')]);
    expect(body.Operations).toEqual([
      { op: 'Add', path: 'nickName', value: 'Babs' },
      { op: 'Replace', path: 'title', value: 'Boss' },
    ]);
  });

  it('sends active as the strings "False" and "True"', () => {
    expect(attributePatch('default', [replace('active', false)]).Operations).toEqual([
      { op: 'Replace', path: 'active', value: 'False' },
    ]);
    expect(attributePatch('default', [replace('active', true)]).Operations).toEqual([
      { op: 'Replace', path: 'active', value: 'True' },
    ]);
  });

  it('sends the manager as a bare id with its URN path', () => {
    expect(attributePatch('default', [add(MANAGER_PATH, '271')]).Operations).toEqual([
      { op: 'Add', path: `${ENTERPRISE}:manager`, value: '271' },
    ]);
  });

  it('adds members with a value array', () => {
    expect(addMembersPatch('default', ['u1', 'u2'])).toEqual({
      schemas: [PATCH_OP],
      Operations: [{ op: 'Add', path: 'members', value: [{ value: 'u1' }, { value: 'u2' }] }],
    });
  });

  it('removes members with path members and a value array naming them (entra.md#what-the-flag-changes)', () => {
    expect(removeMembersPatch('default', ['u1091', 'u1092'])).toEqual({
      schemas: [PATCH_OP],
      Operations: [{ op: 'Remove', path: 'members', value: [{ value: 'u1091' }, { value: 'u1092' }] }],
    });
  });
});

describe('aadOptscim062020 mode (docs/reference/entra.md#patch-with-aadoptscim062020)', () => {
  it('sends value paths one op each and merges the rest into one path-less op, as in entra.md#patch-with-aadoptscim062020', () => {
    const body = attributePatch('aadOptscim062020', [
      replace('displayName', 'Bjfe'),
      replace(WORK_EMAIL, 'x@test.microsoft.com'),
      replace('name.givenName', 'Kkom'),
      replace('name.familyName', 'Unua'),
      replace(`${ENTERPRISE}:employeeNumber`, 'Aklq'),
    ]);
    expect(body).toEqual({
      schemas: [PATCH_OP],
      Operations: [
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'x@test.microsoft.com' },
        {
          op: 'replace',
          value: {
            displayName: 'Bjfe',
            'name.givenName': 'Kkom',
            'name.familyName': 'Unua',
            [`${ENTERPRISE}:employeeNumber`]: 'Aklq',
          },
        },
      ],
    });
    const merged = body.Operations[1];
    expect(merged && 'path' in merged).toBe(false);
  });

  it('merges attributes the target lacked into one path-less add', () => {
    const body = attributePatch('aadOptscim062020', [
      add('name.givenName', 'John'),
      add('name.familyName', 'Doe'),
      add('name.formatted', 'John Doe'),
    ]);
    expect(body.Operations).toEqual([
      {
        op: 'add',
        value: { 'name.givenName': 'John', 'name.familyName': 'Doe', 'name.formatted': 'John Doe' },
      },
    ]);
  });

  it('keeps adds and replaces in separate path-less ops', () => {
    const body = attributePatch('aadOptscim062020', [
      replace('displayName', 'New'),
      add('title', 'Engineer'),
      add('phoneNumbers[type eq "work"].value', '+1 555 0100'),
    ]);
    expect(body.Operations).toEqual([
      { op: 'add', path: 'phoneNumbers[type eq "work"].value', value: '+1 555 0100' },
      { op: 'add', value: { title: 'Engineer' } },
      { op: 'replace', value: { displayName: 'New' } },
    ]);
  });

  it('sends active as a real boolean with its own path (entra.md#what-the-flag-changes)', () => {
    expect(attributePatch('aadOptscim062020', [replace('active', false)]).Operations).toEqual([
      { op: 'replace', path: 'active', value: false },
    ]);
    const body = attributePatch('aadOptscim062020', [replace('active', true), replace('displayName', 'X')]);
    expect(body.Operations).toEqual([
      { op: 'replace', path: 'active', value: true },
      { op: 'replace', value: { displayName: 'X' } },
    ]);
  });

  it('sends the manager in its own op with its path (entra.md#manager)', () => {
    expect(attributePatch('aadOptscim062020', [add(MANAGER_PATH, 'mgr-1')]).Operations).toEqual([
      { op: 'add', path: MANAGER_PATH, value: 'mgr-1' },
    ]);
  });

  it('sends a role value path in its own op', () => {
    expect(
      attributePatch('aadOptscim062020', [replace('roles[primary eq "True"].value', 'Admin')]).Operations,
    ).toEqual([{ op: 'replace', path: 'roles[primary eq "True"].value', value: 'Admin' }]);
  });

  it('adds members with a lowercase add and a value array', () => {
    expect(addMembersPatch('aadOptscim062020', ['u1'])).toEqual({
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: 'members', value: [{ value: 'u1' }] }],
    });
  });

  it('removes members one op each with a members[value eq "…"] path and no value (entra.md#group-membership)', () => {
    const body = removeMembersPatch('aadOptscim062020', ['7f4bc1a3-285e-48ae-8202-5accb43efb0e', 'u2']);
    expect(body).toEqual({
      schemas: [PATCH_OP],
      Operations: [
        { op: 'remove', path: 'members[value eq "7f4bc1a3-285e-48ae-8202-5accb43efb0e"]' },
        { op: 'remove', path: 'members[value eq "u2"]' },
      ],
    });
    for (const op of body.Operations) expect('value' in op).toBe(false);
  });
});

it('sends an empty Operations list for no differences in either mode', () => {
  expect(attributePatch('default', []).Operations).toEqual([]);
  expect(attributePatch('aadOptscim062020', []).Operations).toEqual([]);
});
