/**
 * The IdP's own source: defaults of new objects, change tracking (the watermark) and seeding.
 */
import { describe, expect, it } from 'vitest';
import { IdpSource } from '../../src/idp-source/idp-source.js';

describe('IdpSource', () => {
  it('makes users with prefixed keys and consistent defaults', () => {
    const source = new IdpSource('Run-AB');
    const user = source.addUser();
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
    expect(source.users.get(user.key)).toBe(user);
  });

  it('uses the given domain and values, deriving displayName and email from them', () => {
    const source = new IdpSource('p', 'contoso.com');
    const user = source.addUser({ givenName: 'Alice', familyName: 'Smith' });
    expect(user.userName).toBe('p-000001@contoso.com');
    expect(user.displayName).toBe('Alice Smith');
    const named = source.addUser({ userName: 'bob@contoso.com', appRole: 'Admin' });
    expect(named).toMatchObject({
      key: 'p-000002',
      userName: 'bob@contoso.com',
      email: 'bob@contoso.com',
      appRole: 'Admin',
    });
  });

  it('names groups after the prefix and keeps their members by key', () => {
    const source = new IdpSource('p');
    const a = source.addUser();
    const group = source.addGroup(undefined, [a]);
    expect(group).toEqual({
      key: 'p-000002',
      displayName: 'p Group 2',
      members: new Set([a.key]),
      assigned: true,
      deleted: false,
    });
  });

  it('tracks changes until they are taken, and takes them only once', () => {
    const source = new IdpSource('p');
    const a = source.addUser();
    const b = source.addUser();
    expect(source.takeChanges()).toEqual(new Set([a.key, b.key]));
    expect(source.takeChanges()).toEqual(new Set());
    source.updateUser(a, { jobTitle: 'Boss' });
    expect(a.jobTitle).toBe('Boss');
    expect(source.takeChanges()).toEqual(new Set([a.key]));
  });

  it('marks a group changed when its members or attributes change', () => {
    const source = new IdpSource('p');
    const a = source.addUser();
    const group = source.addGroup('G');
    source.takeChanges();
    source.addMembers(group, [a]);
    expect(group.members.has(a.key)).toBe(true);
    expect(source.takeChanges()).toEqual(new Set([group.key]));
    source.removeMembers(group, [a]);
    expect(group.members.size).toBe(0);
    expect(source.takeChanges()).toEqual(new Set([group.key]));
    source.updateGroup(group, { displayName: 'H' });
    expect(group.displayName).toBe('H');
    expect(source.takeChanges()).toEqual(new Set([group.key]));
  });

  it('puts failed keys back for the next cycle', () => {
    const source = new IdpSource('p');
    const a = source.addUser();
    source.addGroup('G');
    source.takeChanges();
    source.markChanged([a.key]);
    expect(source.takeChanges()).toEqual(new Set([a.key]));
  });

  it('counts only assigned, enabled, not deleted users in scope', () => {
    const source = new IdpSource('p');
    expect(source.inScope(source.addUser())).toBe(true);
    expect(source.inScope(source.addUser({ enabled: false }))).toBe(false);
    expect(source.inScope(source.addUser({ assigned: false }))).toBe(false);
    expect(source.inScope(source.addUser({ deleted: true }))).toBe(false);
  });

  it('seeds users and groups with round-robin members', () => {
    const source = new IdpSource('p');
    source.seed({ users: 5, groups: 2, membersPerGroup: 3 });
    const users = [...source.users.values()];
    const groups = [...source.groups.values()];
    expect(users).toHaveLength(5);
    expect(groups).toHaveLength(2);
    const keys = (indices: number[]) => new Set(indices.map((i) => users[i]?.key));
    expect(groups[0]?.members).toEqual(keys([0, 1, 2]));
    expect(groups[1]?.members).toEqual(keys([3, 4, 0]));
  });

  it('caps members at the number of users', () => {
    const source = new IdpSource('p');
    source.seed({ users: 2, groups: 1, membersPerGroup: 8 });
    expect([...source.groups.values()][0]?.members.size).toBe(2);
    const empty = new IdpSource('q');
    empty.seed({ users: 0, groups: 1, membersPerGroup: 3 });
    expect([...empty.groups.values()][0]?.members.size).toBe(0);
  });
});
