/**
 * Entra's default mappings and create bodies (docs/reference/entra.md#user-create, #roles, #group-create).
 */
import { describe, expect, it } from 'vitest';
import {
  ADSCIM_GROUP,
  CORE_GROUP,
  CORE_USER,
  ENTERPRISE,
  groupAttributes,
  groupCreateBody,
  ROLE_PATH,
  userAttributes,
  userCreateBody,
} from '../../src/entra/mapping.js';
import { IdpSource, type SourceUser } from '../../src/idp-source/idp-source.js';
import { readPath } from '../../src/wire/scim-paths.js';

function alice(change: Partial<SourceUser> = {}): SourceUser {
  const source = new IdpSource('t');
  return source.addUser({
    userName: 'alice@contoso.com',
    givenName: 'Alice',
    familyName: 'Smith',
    displayName: 'Alice Smith',
    email: 'alice@contoso.com',
    mailNickname: 'alice',
    jobTitle: 'Engineer',
    department: 'R&D',
    employeeId: '701984',
    ...change,
  });
}

describe('userAttributes', () => {
  it('maps the source user to target paths', () => {
    expect(userAttributes(alice({ phone: '+1 425 555 0100', appRole: 'Admin' }))).toEqual({
      userName: 'alice@contoso.com',
      active: true,
      displayName: 'Alice Smith',
      title: 'Engineer',
      'emails[type eq "work"].value': 'alice@contoso.com',
      'name.givenName': 'Alice',
      'name.familyName': 'Smith',
      'name.formatted': 'Alice Smith',
      'phoneNumbers[type eq "work"].value': '+1 425 555 0100',
      externalId: 'alice',
      [`${ENTERPRISE}:employeeNumber`]: '701984',
      [`${ENTERPRISE}:department`]: 'R&D',
      [ROLE_PATH]: 'Admin',
    });
  });

  it('leaves out attributes whose source value is missing (entra.md#user-create: nulls are omitted)', () => {
    const attributes = userAttributes(alice({ jobTitle: undefined, department: undefined }));
    expect(Object.keys(attributes)).not.toContain('title');
    expect(Object.keys(attributes)).not.toContain(`${ENTERPRISE}:department`);
    expect(Object.keys(attributes)).not.toContain('phoneNumbers[type eq "work"].value');
    expect(Object.keys(attributes)).not.toContain(ROLE_PATH);
  });
});

describe('userCreateBody', () => {
  it('is shaped like the POST of entra.md#user-create', () => {
    expect(userCreateBody(alice())).toEqual({
      schemas: [CORE_USER, ENTERPRISE],
      externalId: 'alice',
      userName: 'alice@contoso.com',
      active: true,
      displayName: 'Alice Smith',
      title: 'Engineer',
      emails: [{ primary: true, type: 'work', value: 'alice@contoso.com' }],
      name: { formatted: 'Alice Smith', familyName: 'Smith', givenName: 'Alice' },
      [ENTERPRISE]: { employeeNumber: '701984', department: 'R&D' },
      meta: { resourceType: 'User' },
      roles: [],
    });
  });

  it('sends active as a JSON boolean and roles: [] without a role', () => {
    const body = userCreateBody(alice());
    expect(body.active).toBe(true);
    expect(body.roles).toEqual([]);
  });

  it('carries a single primary role typed WindowsAzureActiveDirectoryRole (entra.md#roles)', () => {
    expect(userCreateBody(alice({ appRole: 'Admin' })).roles).toEqual([
      { primary: true, type: 'WindowsAzureActiveDirectoryRole', value: 'Admin' },
    ]);
  });

  it('reads back as the mapped attributes', () => {
    const user = alice({ phone: '+1 425 555 0100', appRole: 'Admin' });
    const body = userCreateBody(user);
    for (const [path, value] of Object.entries(userAttributes(user)))
      expect(readPath(body, path)).toBe(value);
  });
});

describe('groups', () => {
  it('maps displayName and the object id to externalId', () => {
    const source = new IdpSource('t');
    const group = source.addGroup('Engineering');
    expect(groupAttributes(group)).toEqual({ displayName: 'Engineering', externalId: group.key });
  });

  it('creates groups without members, with the Microsoft schema URN and meta (entra.md#group-create)', () => {
    const source = new IdpSource('t');
    const member = source.addUser();
    const group = source.addGroup('Engineering', [member]);
    const body = groupCreateBody(group);
    expect(body).toEqual({
      schemas: [CORE_GROUP, ADSCIM_GROUP],
      displayName: 'Engineering',
      externalId: group.key,
      meta: { resourceType: 'Group' },
    });
    expect('members' in body).toBe(false);
  });
});
