/**
 * The IdP's own directory: defaults of new objects, change tracking (the watermark) and seeding.
 */
import { describe, expect, it } from 'vitest';
import { SourceDirectory } from '../../src/directory/source-directory.js';

describe('SourceDirectory', () => {
  it('makes users with prefixed keys and consistent defaults', () => {
    const directory = new SourceDirectory('Run-AB');
    const user = directory.addUser();
    expect(user).toEqual({
      key: 'Run-AB-000001',
      userName: 'run-ab-000001@example.com',
      givenName: 'Given1',
      familyName: 'Family1',
      displayName: 'Given1 Family1',
      email: 'run-ab-000001@example.com',
      mailNickname: 'Run-AB-000001',
      jobTitle: 'Engineer',
      department: 'R&D',
      employeeId: '100001',
      enabled: true,
      assigned: true,
      deleted: false,
    });
    expect(directory.users.get(user.key)).toBe(user);
  });

  it('uses the given domain and values, deriving displayName and email from them', () => {
    const directory = new SourceDirectory('p', 'contoso.com');
    const user = directory.addUser({ givenName: 'Alice', familyName: 'Smith' });
    expect(user.userName).toBe('p-000001@contoso.com');
    expect(user.displayName).toBe('Alice Smith');
    const named = directory.addUser({ userName: 'bob@contoso.com', appRole: 'Admin' });
    expect(named).toMatchObject({
      key: 'p-000002',
      userName: 'bob@contoso.com',
      email: 'bob@contoso.com',
      appRole: 'Admin',
    });
  });

  it('names groups after the prefix and keeps their members by key', () => {
    const directory = new SourceDirectory('p');
    const a = directory.addUser();
    const group = directory.addGroup(undefined, [a]);
    expect(group).toEqual({
      key: 'p-000002',
      displayName: 'p Group 2',
      members: new Set([a.key]),
      assigned: true,
      deleted: false,
    });
  });

  it('tracks changes until they are taken, and takes them only once', () => {
    const directory = new SourceDirectory('p');
    const a = directory.addUser();
    const b = directory.addUser();
    expect(directory.takeChanges()).toEqual(new Set([a.key, b.key]));
    expect(directory.takeChanges()).toEqual(new Set());
    directory.updateUser(a, { jobTitle: 'Boss' });
    expect(a.jobTitle).toBe('Boss');
    expect(directory.takeChanges()).toEqual(new Set([a.key]));
  });

  it('marks a group changed when its members or attributes change', () => {
    const directory = new SourceDirectory('p');
    const a = directory.addUser();
    const group = directory.addGroup('G');
    directory.takeChanges();
    directory.addMembers(group, [a]);
    expect(group.members.has(a.key)).toBe(true);
    expect(directory.takeChanges()).toEqual(new Set([group.key]));
    directory.removeMembers(group, [a]);
    expect(group.members.size).toBe(0);
    expect(directory.takeChanges()).toEqual(new Set([group.key]));
    directory.updateGroup(group, { displayName: 'H' });
    expect(group.displayName).toBe('H');
    expect(directory.takeChanges()).toEqual(new Set([group.key]));
  });

  it('puts failed keys back for the next cycle', () => {
    const directory = new SourceDirectory('p');
    const a = directory.addUser();
    directory.addGroup('G');
    directory.takeChanges();
    directory.markChanged([a.key]);
    expect(directory.takeChanges()).toEqual(new Set([a.key]));
  });

  it('counts only assigned, enabled, not deleted users in scope', () => {
    const directory = new SourceDirectory('p');
    expect(directory.inScope(directory.addUser())).toBe(true);
    expect(directory.inScope(directory.addUser({ enabled: false }))).toBe(false);
    expect(directory.inScope(directory.addUser({ assigned: false }))).toBe(false);
    expect(directory.inScope(directory.addUser({ deleted: true }))).toBe(false);
  });

  it('seeds users and groups with round-robin members', () => {
    const directory = new SourceDirectory('p');
    directory.seed({ users: 5, groups: 2, membersPerGroup: 3 });
    const users = [...directory.users.values()];
    const groups = [...directory.groups.values()];
    expect(users).toHaveLength(5);
    expect(groups).toHaveLength(2);
    const keys = (indices: number[]) => new Set(indices.map((i) => users[i]?.key));
    expect(groups[0]?.members).toEqual(keys([0, 1, 2]));
    expect(groups[1]?.members).toEqual(keys([3, 4, 0]));
  });

  it('caps members at the number of users', () => {
    const directory = new SourceDirectory('p');
    directory.seed({ users: 2, groups: 1, membersPerGroup: 8 });
    expect([...directory.groups.values()][0]?.members.size).toBe(2);
    const empty = new SourceDirectory('q');
    empty.seed({ users: 0, groups: 1, membersPerGroup: 3 });
    expect([...empty.groups.values()][0]?.members.size).toBe(0);
  });
});
