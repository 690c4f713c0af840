/**
 * Provisioning events under concurrent SCIM writes to one organization, on PostgreSQL (many
 * connections, real row locks): the events are numbered 1..N without a gap or a duplicate, and a
 * reader polling the feed's query with `after=` while the writes run sees every event exactly
 * once, in order. That holds because a sequence number is taken under the organization's counter
 * row lock held to commit (packages/events), so numbers are handed out in commit order and no
 * transaction commits a number below one a reader has already seen.
 */
import { type EventRecord, readEvents } from '@roster/events';
import { describe, expect, it } from 'vitest';
import { createGroup, createUser, patchBody, upn, useHarness } from './helpers.js';

describe('provisioning events under concurrent SCIM writes (postgres)', () => {
  const harness = useHarness('postgres');

  it('are numbered without gaps or duplicates, and a polling reader sees each once, in order', async () => {
    const org = await harness().newOrg();
    const db = harness().db;
    const seed = await Promise.all(
      Array.from({ length: 10 }, (_, i) => createUser(org, { userName: upn(`s${i}`) })),
    );
    const group = await createGroup(org, 'Everyone');
    const before = (await readEvents(db, org.id, 0, 1000)).length;

    // The reader: polls after its cursor, small pages, until the writers are done and it has caught up.
    const seen: EventRecord[] = [];
    let writing = true;
    const reader = (async () => {
      let cursor = before;
      for (;;) {
        const done = !writing;
        const page = await readEvents(db, org.id, cursor, 7);
        seen.push(...page);
        cursor = page.at(-1)?.sequence ?? cursor;
        if (page.length === 0 && done) return;
        if (page.length === 0) await new Promise((r) => setTimeout(r, 5));
      }
    })();

    // The writers: creates, profile changes and membership changes of one organization at once.
    const writes = [
      ...Array.from({ length: 30 }, (_, i) => createUser(org, { userName: upn(`c${i}`) }).then(() => 1)),
      ...seed.map((user, i) =>
        org
          .request(
            'PATCH',
            `/Users/${user.id}`,
            patchBody({ op: 'replace', path: 'displayName', value: `D${i}` }),
          )
          .then((res) => {
            expect(res.status, res.text).toBeLessThan(300);
            return 1;
          }),
      ),
      ...seed.map((user) =>
        org
          .request(
            'PATCH',
            `/Groups/${group.id}`,
            patchBody({ op: 'add', path: 'members', value: [{ value: user.id }] }),
          )
          .then((res) => {
            expect(res.status, res.text).toBeLessThan(300);
            return 1;
          }),
      ),
    ];
    const expected = (await Promise.all(writes)).reduce((a, b) => a + b, 0);
    writing = false;
    await reader;

    const all = await readEvents(db, org.id, 0, 1000);
    expect(all.map((e) => e.sequence)).toEqual(all.map((_, i) => i + 1));
    expect(all.length - before).toBe(expected);
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    // Exactly once, in order: what the reader saw is the tail of the feed, as it stands now.
    expect(seen.map((e) => e.sequence)).toEqual(all.slice(before).map((e) => e.sequence));
    expect(seen.map((e) => e.id)).toEqual(all.slice(before).map((e) => e.id));
  });
});
