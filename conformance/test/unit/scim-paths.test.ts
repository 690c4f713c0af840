/**
 * The attribute paths the simulators map to: reading what the target returned, writing request
 * bodies, and comparing what the IdP sent with what came back (docs/reference/entra.md#user-create,
 * #patch-in-default-mode, #manager).
 */
import { describe, expect, it } from 'vitest';
import {
  isValuePath,
  parsePath,
  type Resource,
  readPath,
  sameValue,
  writePath,
} from '../../src/wire/scim-paths.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const WORK_EMAIL = 'emails[type eq "work"].value';

describe('parsePath', () => {
  it('splits a plain, a dotted, a filtered and a URN-qualified path', () => {
    expect(parsePath('userName')).toEqual({ attribute: 'userName' });
    expect(parsePath('name.givenName')).toEqual({ attribute: 'name', sub: 'givenName' });
    expect(parsePath(WORK_EMAIL)).toEqual({
      attribute: 'emails',
      filter: { key: 'type', value: 'work' },
      sub: 'value',
    });
    expect(parsePath(`${ENTERPRISE}:employeeNumber`)).toEqual({
      urn: ENTERPRISE,
      attribute: 'employeeNumber',
    });
  });

  it('refuses a path form the mappings never use', () => {
    expect(() => parsePath('emails[type ne "work"].value')).toThrow(/Unsupported attribute path/);
    expect(() => parsePath('name.givenName.extra')).toThrow(/Unsupported attribute path/);
  });

  it('tells value paths from the others', () => {
    expect(isValuePath(WORK_EMAIL)).toBe(true);
    expect(isValuePath('roles[primary eq "True"].value')).toBe(true);
    expect(isValuePath('name.givenName')).toBe(false);
    expect(isValuePath(`${ENTERPRISE}:manager`)).toBe(false);
  });
});

describe('readPath', () => {
  const user: Resource = {
    userName: 'alice@example.com',
    name: { givenName: 'Alice', familyName: 'Smith' },
    emails: [
      { type: 'home', value: 'alice@home.example' },
      { type: 'work', value: 'alice@example.com', primary: true },
    ],
    roles: [{ primary: true, type: 'WindowsAzureActiveDirectoryRole', value: 'Admin' }],
    [ENTERPRISE]: { employeeNumber: '701984', manager: { value: 'mgr-1', displayName: 'Bob' } },
  };

  it('reads plain and dotted attributes', () => {
    expect(readPath(user, 'userName')).toBe('alice@example.com');
    expect(readPath(user, 'name.familyName')).toBe('Smith');
    expect(readPath(user, 'name.formatted')).toBeUndefined();
    expect(readPath(user, 'title')).toBeUndefined();
  });

  it('reads the element a filter selects, not its siblings', () => {
    expect(readPath(user, WORK_EMAIL)).toBe('alice@example.com');
    expect(readPath(user, 'emails[type eq "home"].value')).toBe('alice@home.example');
    expect(readPath(user, 'emails[type eq "other"].value')).toBeUndefined();
    expect(readPath(user, 'phoneNumbers[type eq "work"].value')).toBeUndefined();
  });

  it('matches a boolean sub-attribute against the filter text "True"', () => {
    expect(readPath(user, 'roles[primary eq "True"].value')).toBe('Admin');
  });

  it('reads URN-qualified attributes, the manager as the value of its complex form', () => {
    expect(readPath(user, `${ENTERPRISE}:employeeNumber`)).toBe('701984');
    expect(readPath(user, `${ENTERPRISE}:manager`)).toBe('mgr-1');
    expect(readPath({ [ENTERPRISE]: { manager: 'mgr-2' } }, `${ENTERPRISE}:manager`)).toBe('mgr-2');
    expect(readPath({ userName: 'x' }, `${ENTERPRISE}:manager`)).toBeUndefined();
  });

  it('treats attribute names, sub-attribute names, filter values and the URN case-insensitively', () => {
    const shouty: Resource = {
      UserName: 'alice@example.com',
      Name: { GivenName: 'Alice' },
      Emails: [{ Type: 'Work', Value: 'alice@example.com' }],
      [ENTERPRISE.toUpperCase()]: { EmployeeNumber: '42' },
    };
    expect(readPath(shouty, 'userName')).toBe('alice@example.com');
    expect(readPath(shouty, 'name.givenName')).toBe('Alice');
    expect(readPath(shouty, WORK_EMAIL)).toBe('alice@example.com');
    expect(readPath(shouty, `${ENTERPRISE}:employeeNumber`)).toBe('42');
  });

  it('prefers the exactly named attribute when one exists', () => {
    expect(readPath({ username: 'lower', userName: 'exact' }, 'userName')).toBe('exact');
  });
});

describe('writePath', () => {
  it('writes plain, dotted and URN-qualified attributes, creating the containers', () => {
    const body: Resource = {};
    writePath(body, 'userName', 'alice@example.com');
    writePath(body, 'name.givenName', 'Alice');
    writePath(body, 'name.familyName', 'Smith');
    writePath(body, `${ENTERPRISE}:employeeNumber`, '701984');
    writePath(body, `${ENTERPRISE}:department`, 'R&D');
    expect(body).toEqual({
      userName: 'alice@example.com',
      name: { givenName: 'Alice', familyName: 'Smith' },
      [ENTERPRISE]: { employeeNumber: '701984', department: 'R&D' },
    });
  });

  it('creates the filtered element when no element of that type exists', () => {
    const body: Resource = {};
    writePath(body, WORK_EMAIL, 'alice@example.com');
    expect(body).toEqual({ emails: [{ type: 'work', value: 'alice@example.com' }] });
  });

  it('turns a "True"/"False" filter value into a boolean sub-attribute of the new element', () => {
    const body: Resource = {};
    writePath(body, 'roles[primary eq "True"].value', 'Admin');
    writePath(body, 'addresses[primary eq "false"].locality', 'Redmond');
    expect(body).toEqual({
      roles: [{ primary: true, value: 'Admin' }],
      addresses: [{ primary: false, locality: 'Redmond' }],
    });
  });

  it('adds a work element next to a home one without touching the home one', () => {
    const home = { type: 'home', value: 'alice@home.example', primary: true };
    const body: Resource = { emails: [home] };
    writePath(body, WORK_EMAIL, 'alice@example.com');
    expect(body.emails).toEqual([
      { type: 'home', value: 'alice@home.example', primary: true },
      { type: 'work', value: 'alice@example.com' },
    ]);
    expect((body.emails as Resource[])[0]).toBe(home);
  });

  it('updates the matching element in place, keeping its other sub-attributes', () => {
    const body: Resource = {
      emails: [
        { type: 'work', value: 'old@example.com', primary: true, display: 'Work' },
        { type: 'home', value: 'alice@home.example' },
      ],
    };
    writePath(body, WORK_EMAIL, 'new@example.com');
    expect(body.emails).toEqual([
      { type: 'work', value: 'new@example.com', primary: true, display: 'Work' },
      { type: 'home', value: 'alice@home.example' },
    ]);
  });

  it('matches the filter value case-insensitively when updating', () => {
    const body: Resource = { emails: [{ type: 'Work', value: 'old@example.com' }] };
    writePath(body, WORK_EMAIL, 'new@example.com');
    expect(body.emails).toEqual([{ type: 'Work', value: 'new@example.com' }]);
  });

  it('keeps the other sub-attributes of a complex attribute and of the extension', () => {
    const body: Resource = {
      name: { givenName: 'Alice', familyName: 'Smith' },
      [ENTERPRISE]: { department: 'R&D', manager: { value: 'mgr-1' } },
    };
    writePath(body, 'name.familyName', 'Jones');
    writePath(body, `${ENTERPRISE}:employeeNumber`, '7');
    expect(body).toEqual({
      name: { givenName: 'Alice', familyName: 'Jones' },
      [ENTERPRISE]: { department: 'R&D', manager: { value: 'mgr-1' }, employeeNumber: '7' },
    });
  });

  it('writes into the attributes the target returned in another case, not next to them', () => {
    // Ping merges the source's values into the resource it read (docs/reference/ping.md#user-update):
    // readPath finds `Name.GivenName` and `Emails[Type eq "work"]`, so writePath must update those very attributes.
    const current: Resource = {
      Name: { GivenName: 'Alice' },
      Emails: [{ Type: 'work', Value: 'old@example.com' }],
    };
    writePath(current, 'name.givenName', 'Alicia');
    writePath(current, WORK_EMAIL, 'new@example.com');
    expect(readPath(current, 'name.givenName')).toBe('Alicia');
    expect(readPath(current, WORK_EMAIL)).toBe('new@example.com');
    expect(Object.keys(current).sort()).toEqual(['Emails', 'Name']);
    expect(current.Emails).toHaveLength(1);
  });

  it('writes the exactly named attribute when one exists, as readPath reads it', () => {
    const body: Resource = { username: 'lower', userName: 'exact', name: { GivenName: 'A', givenName: 'B' } };
    writePath(body, 'userName', 'new');
    writePath(body, 'name.givenName', 'C');
    expect(body).toEqual({ username: 'lower', userName: 'new', name: { GivenName: 'A', givenName: 'C' } });
    expect(readPath(body, 'userName')).toBe('new');
    expect(readPath(body, 'name.givenName')).toBe('C');
  });

  it('round-trips with readPath', () => {
    const body: Resource = {};
    const values: Record<string, unknown> = {
      userName: 'a@example.com',
      active: true,
      'name.formatted': 'A B',
      [WORK_EMAIL]: 'a@example.com',
      'phoneNumbers[type eq "mobile"].value': '+1 425 555 0101',
      [`${ENTERPRISE}:employeeNumber`]: '1',
      'roles[primary eq "True"].value': 'Reader',
    };
    for (const [path, value] of Object.entries(values)) writePath(body, path, value);
    for (const [path, value] of Object.entries(values)) expect(readPath(body, path)).toBe(value);
  });
});

describe('sameValue', () => {
  it('compares strings exactly: values are stored as sent', () => {
    expect(sameValue('Alice', 'Alice')).toBe(true);
    expect(sameValue('Alice', 'alice')).toBe(false);
    expect(sameValue('+1 425 555 0100', '+14255550100')).toBe(false);
    expect(sameValue('x', undefined)).toBe(false);
  });

  it('matches a boolean with itself and with its string form in any case', () => {
    expect(sameValue(true, true)).toBe(true);
    expect(sameValue(true, 'True')).toBe(true);
    expect(sameValue(true, 'true')).toBe(true);
    expect(sameValue(false, 'False')).toBe(true);
    expect(sameValue(false, false)).toBe(true);
  });

  it('tells a boolean from its opposite and from a missing value', () => {
    expect(sameValue(true, false)).toBe(false);
    expect(sameValue(true, 'False')).toBe(false);
    expect(sameValue(false, 'True')).toBe(false);
    expect(sameValue(false, undefined)).toBe(false);
    expect(sameValue(true, null)).toBe(false);
  });
});
