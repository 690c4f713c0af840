/**
 * The outbox on PostgreSQL and the embedded PGlite: appends are numbered 1, 2, 3 … per
 * organization in one statement, a rollback leaves neither events nor a used number, concurrent
 * transactions never produce a gap or a duplicate, the feed's read pages in order and sees one
 * organization only, NOTIFY arrives at commit only, and retention deletes by age.
 */
import { randomUUID } from 'node:crypto';
import { type DatabaseHandle, openDatabase } from '@roster/db';
import { auditEventInsert } from '@roster/directory/audit';
import { createOrganization } from '@roster/directory/organizations';
import type {} from '@roster/testkit/vitest-global-setup';
import { type KyselyPlugin, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  appendEvents,
  deleteEventsBefore,
  EVENTS_CHANNEL,
  lastSequence,
  type NewEvent,
  readEvents,
  startEventRetention,
} from './events.js';

const actor = { type: 'api_key' as const, id: 'k1', label: 'Entra' };
const memberCreated = (id: string): NewEvent => ({
  type: 'member.created',
  actor,
  data: { id, active: true },
});

describe.each(['postgres', 'pglite'] as const)('events outbox (%s)', (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openDatabase(
      kind === 'postgres' ? { url: inject('databaseUrl') } : { url: undefined, dataDir: 'memory://' },
    );
  });
  afterAll(async () => handle?.close());
  const newOrg = async () =>
    (await createOrganization(handle.db, { slug: `e-${randomUUID().slice(0, 8)}` })).id;

  it('numbers an organization’s events 1, 2, 3 … across appends, in the order given, with what was appended', async () => {
    const org = await newOrg();
    const first = await appendEvents(handle.db, org, [memberCreated('m1')]);
    expect(first).toMatchObject([
      { orgId: org, sequence: 1, type: 'member.created', actor, data: { id: 'm1' } },
    ]);
    const more = await handle.db
      .transaction()
      .execute((trx) => appendEvents(trx, org, ['m2', 'm3', 'm4'].map(memberCreated)));
    expect(more.map((e) => [e.sequence, e.data.id])).toEqual([
      [2, 'm2'],
      [3, 'm3'],
      [4, 'm4'],
    ]);
    expect(new Set([...first, ...more].map((e) => e.id)).size).toBe(4);
    expect(await appendEvents(handle.db, org, [])).toEqual([]);
    expect(await lastSequence(handle.db, org)).toBe(4);
    const read = await readEvents(handle.db, org, 0, 10);
    expect(read).toEqual([...first, ...more]);
    expect(read[0]?.occurredAt).toBeInstanceOf(Date);
  });

  it('runs the audit trail’s insert in the append’s statement, and rolls both back together', async () => {
    const org = await newOrg();
    const audit = (trx: typeof handle.db, target: string) =>
      auditEventInsert(trx, {
        orgId: org,
        actor: { type: 'api_key', id: 'k1' },
        action: 'scim.member.created',
        target: { type: 'member', id: target },
      });
    const auditRows = () =>
      handle.db.selectFrom('audit_events').select('target_id').where('org_id', '=', org).execute();
    // One statement for both: a plugin sees every query the append sends.
    let statements = 0;
    const counting: KyselyPlugin = {
      transformQuery: (args) => {
        statements += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    await handle.db.transaction().execute(async (trx) => {
      await appendEvents(trx.withPlugin(counting), org, [memberCreated('m1'), memberCreated('m1b')], {
        alongside: [audit(trx, 'm1')],
      });
    });
    expect(statements).toBe(1);
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await appendEvents(trx, org, [memberCreated('m2')], { alongside: [audit(trx, 'm2')] });
        throw new Error('failed after');
      }),
    ).rejects.toThrow('failed after');
    // No events: the write alongside still runs.
    await handle.db
      .transaction()
      .execute((trx) => appendEvents(trx, org, [], { alongside: [audit(trx, 'm3')] }));
    expect((await auditRows()).map((r) => r.target_id).sort()).toEqual(['m1', 'm3']);
    expect((await readEvents(handle.db, org, 0, 10)).map((e) => [e.sequence, e.data.id])).toEqual([
      [1, 'm1'],
      [2, 'm1b'],
    ]);
  });

  it('pages the feed by sequence, and shows one organization only', async () => {
    const [a, b] = [await newOrg(), await newOrg()];
    await appendEvents(handle.db, a, ['a1', 'a2', 'a3', 'a4', 'a5'].map(memberCreated));
    await appendEvents(handle.db, b, ['b1', 'b2'].map(memberCreated));
    expect((await readEvents(handle.db, a, 0, 2)).map((e) => e.sequence)).toEqual([1, 2]);
    expect((await readEvents(handle.db, a, 2, 2)).map((e) => e.sequence)).toEqual([3, 4]);
    expect((await readEvents(handle.db, a, 4, 2)).map((e) => e.sequence)).toEqual([5]);
    expect(await readEvents(handle.db, a, 5, 2)).toEqual([]);
    expect((await readEvents(handle.db, b, 0, 10)).map((e) => [e.sequence, e.data.id])).toEqual([
      [1, 'b1'],
      [2, 'b2'],
    ]);
  });

  it('leaves no event and no used number when the transaction rolls back after the append', async () => {
    const org = await newOrg();
    await appendEvents(handle.db, org, [memberCreated('kept')]);
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await appendEvents(trx, org, [memberCreated('lost')]);
        throw new Error('the change failed after its event');
      }),
    ).rejects.toThrow('the change failed');
    expect(await lastSequence(handle.db, org)).toBe(1);
    await appendEvents(handle.db, org, [memberCreated('next')]);
    expect((await readEvents(handle.db, org, 0, 10)).map((e) => [e.sequence, e.data.id])).toEqual([
      [1, 'kept'],
      [2, 'next'],
    ]);
  });

  it('numbers concurrent transactions without gaps or duplicates', async () => {
    const org = await newOrg();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        handle.db.transaction().execute(async (trx) => {
          await appendEvents(trx, org, [memberCreated(`c${i}a`), memberCreated(`c${i}b`)]);
        }),
      ),
    );
    const events = await readEvents(handle.db, org, 0, 100);
    expect(events.map((e) => e.sequence)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    // Each transaction's events are consecutive, in the order given.
    for (let i = 0; i < 40; i += 2) {
      expect(String(events[i]?.data.id).replace(/a$/, 'b')).toBe(events[i + 1]?.data.id);
    }
  });

  it('deletes events older than the retention, oldest first, and keeps numbering', async () => {
    const org = await newOrg();
    await appendEvents(handle.db, org, ['old1', 'old2', 'old3', 'young1', 'young2'].map(memberCreated));
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
    await sql`update events set occurred_at = ${daysAgo(40)} where org_id = ${org} and sequence <= 3`.execute(
      handle.db,
    );
    const deleted = await deleteEventsBefore(handle.db, daysAgo(30), 2);
    expect(deleted).toBeGreaterThanOrEqual(3);
    expect((await readEvents(handle.db, org, 0, 10)).map((e) => e.data.id)).toEqual(['young1', 'young2']);
    expect((await appendEvents(handle.db, org, [memberCreated('after')]))[0]?.sequence).toBe(6);
  });

  it('runs retention as a job: by age only, the rest kept', async () => {
    const org = await newOrg();
    await appendEvents(handle.db, org, ['a', 'b', 'c'].map(memberCreated));
    await sql`update events set occurred_at = now() - interval '8 days' where org_id = ${org} and sequence = 1`.execute(
      handle.db,
    );
    const job = startEventRetention(handle.db, 7, { intervalMs: 3600_000 });
    try {
      expect(await job.run()).toBeGreaterThanOrEqual(1);
    } finally {
      job.stop();
    }
    expect((await readEvents(handle.db, org, 0, 10)).map((e) => e.data.id)).toEqual(['b', 'c']);
  });

  // Two transactions at once need two connections: PGlite has one.
  if (kind === 'postgres')
    it('numbers in commit order: a second append waits for the first transaction to commit', async () => {
      const org = await newOrg();
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let firstAppended!: () => void;
      const appended = new Promise<void>((resolve) => {
        firstAppended = resolve;
      });
      const first = handle.db.transaction().execute(async (trx) => {
        await appendEvents(trx, org, [memberCreated('first')]);
        firstAppended();
        await held; // the change goes on after its append (the last-manager check, say)
      });
      await appended;
      let secondDone = false;
      const second = appendEvents(handle.db, org, [memberCreated('second')]).then((events) => {
        secondDone = true;
        return events;
      });
      // A reader now sees neither: the first is not committed, the second waits for it.
      await new Promise((r) => setTimeout(r, 100));
      expect(secondDone).toBe(false);
      expect(await readEvents(handle.db, org, 0, 10)).toEqual([]);
      release();
      await first;
      expect((await second).map((e) => e.sequence)).toEqual([2]);
      expect((await readEvents(handle.db, org, 0, 10)).map((e) => e.data.id)).toEqual(['first', 'second']);
    });

  it('notifies listeners at commit, never on rollback', async () => {
    const [committed, rolledBack, later] = [await newOrg(), await newOrg(), await newOrg()];
    const received: string[] = [];
    let listening!: () => void;
    const listens = new Promise<void>((resolve) => {
      listening = resolve;
    });
    const stop = handle.listen(EVENTS_CHANNEL, {
      onListening: () => listening(),
      onNotification: (payload) => received.push(payload),
      onLost: () => {},
    });
    await listens;
    try {
      let beforeCommit: string[] = [];
      await handle.db.transaction().execute(async (trx) => {
        await appendEvents(trx, committed, [memberCreated('n1')]);
        await new Promise((r) => setTimeout(r, 50));
        beforeCommit = [...received];
      });
      await expect(
        handle.db.transaction().execute(async (trx) => {
          await appendEvents(trx, rolledBack, [memberCreated('n2')]);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow();
      await appendEvents(handle.db, later, [memberCreated('n3')]);
      // Notifications arrive in commit order: once the later one is here, a rolled-back one would be too.
      await expect.poll(() => received.includes(later)).toBe(true);
      expect(beforeCommit).not.toContain(committed);
      expect(received.filter((o) => [committed, rolledBack, later].includes(o))).toEqual([committed, later]);
    } finally {
      await stop();
    }
  });
});
