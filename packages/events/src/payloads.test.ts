/** Which events a change of a member or a group makes, and what their data holds (never a secret). */
import type { GroupRow, MemberRow } from '@roster/db';
import { describe, expect, it } from 'vitest';
import { groupChangeEvents, memberChangeEvents, memberState, membershipEvents } from './payloads.js';

const actor = { type: 'member' as const, id: 'admin' };
const member = (changes: Partial<MemberRow> = {}): MemberRow => ({
  org_id: 'o',
  id: 'm1',
  user_name: 'ada@example.com',
  external_id: null,
  display_name: 'Ada',
  active: true,
  role: 'basic',
  managed_by: 'scim',
  data: { userName: 'ada@example.com', displayName: 'Ada', active: true },
  version: 1,
  created_at: new Date('2026-12-01T00:00:00Z'),
  updated_at: new Date('2026-12-01T00:00:00Z'),
  ...changes,
});
const group = (changes: Partial<GroupRow> = {}): GroupRow => ({
  org_id: 'o',
  id: 'g1',
  display_name: 'Eng',
  external_id: null,
  role: null,
  managed_by: 'scim',
  data: { displayName: 'Eng' },
  version: 1,
  created_at: new Date('2026-12-01T00:00:00Z'),
  updated_at: new Date('2026-12-01T00:00:00Z'),
  ...changes,
});
const types = (events: { type: string }[]) => events.map((e) => e.type);

describe('event payloads', () => {
  it('names each kind of member change, with the whole new state', () => {
    expect(types(memberChangeEvents(actor, undefined, member()))).toEqual(['member.created']);
    const deactivated = member({ active: false, data: { ...member().data, active: false } });
    expect(types(memberChangeEvents(actor, member(), deactivated))).toEqual(['member.deactivated']);
    expect(types(memberChangeEvents(actor, deactivated, member()))).toEqual(['member.reactivated']);
    expect(types(memberChangeEvents(actor, member(), member({ role: 'manager' })))).toEqual([
      'member.role_changed',
    ]);
    const renamedAndOff = member({
      active: false,
      data: { userName: 'ada@example.com', displayName: 'A', active: false },
    });
    const events = memberChangeEvents(actor, member(), renamedAndOff);
    expect(types(events)).toEqual(['member.updated', 'member.deactivated']);
    expect(events[1]?.data).toMatchObject({ id: 'm1', active: false, attributes: { displayName: 'A' } });
    expect(types(memberChangeEvents(actor, member({ managed_by: 'portal' }), member()))).toEqual([
      'member.updated',
    ]);
    expect(memberChangeEvents(actor, member(), member({ version: 2 }))).toEqual([]);
  });

  it('leaves a password out of a member’s data', () => {
    const state = memberState(member({ data: { userName: 'ada@example.com', password: 'hunter2' } }));
    expect(JSON.stringify(state)).not.toContain('hunter2');
  });

  it('makes group.updated only when the group itself changed', () => {
    expect(groupChangeEvents(actor, group(), group({ version: 2 }))).toEqual([]);
    expect(types(groupChangeEvents(actor, group(), group({ data: { displayName: 'R&D' } })))).toEqual([
      'group.updated',
    ]);
    expect(types(groupChangeEvents(actor, group({ managed_by: 'portal' }), group()))).toEqual([
      'group.updated',
    ]);
  });

  it('makes one event per membership changed, net of a removal and re-addition in one write', () => {
    const events = membershipEvents(actor, group(), ['a', 'b', 'c'], ['c', 'd', 'd']);
    expect(events.map((e) => [e.type, (e.data.member as { id: string }).id])).toEqual([
      ['group.member_added', 'a'],
      ['group.member_added', 'b'],
      ['group.member_removed', 'd'],
    ]);
    expect(events[0]?.data).toEqual({ group: { id: 'g1', displayName: 'Eng' }, member: { id: 'a' } });
  });
});
