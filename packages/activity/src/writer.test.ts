/**
 * The activity writer on PostgreSQL and the embedded PGlite: batches from two writers on one
 * database are all recorded, with their per-minute counts; a 401's entry (slug only) finds its
 * organization; while the database is away the queue is bounded and drops are counted; close()
 * writes what is queued.
 */
import { randomUUID } from 'node:crypto';
import { type DatabaseHandle, openDatabase } from '@roster/db';
import { createOrganization } from '@roster/directory/organizations';
import type {} from '@roster/testkit/vitest-global-setup';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ActivityEntry } from './activity-rows.js';
import { ActivityWriter } from './writer.js';

describe.each(['postgres', 'pglite'] as const)('activity writer (%s)', (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openDatabase(
      kind === 'postgres' ? { url: inject('databaseUrl') } : { url: undefined, dataDir: 'memory://' },
    );
  });
  afterAll(async () => handle?.close());
  const newOrg = async () => createOrganization(handle.db, { slug: `a-${randomUUID().slice(0, 8)}` });
  const entry = (org: { id?: string; slug: string }, status: number, extra: Partial<ActivityEntry> = {}) => ({
    at: new Date(),
    orgId: org.id,
    orgSlug: org.slug,
    requestId: randomUUID(),
    credential: { type: 'api_key' as const, id: 'k1' },
    method: 'POST',
    resourceType: 'Users',
    status,
    durationMs: 3,
    ...extra,
  });
  const rowsOf = (orgId: string) =>
    handle.db.selectFrom('provisioning_activity').selectAll().where('org_id', '=', orgId).execute();

  it('records every entry of two writers on one database, and counts them per minute and credential', async () => {
    const org = await newOrg();
    const a = new ActivityWriter(handle.db, { batchSize: 7 });
    const b = new ActivityWriter(handle.db);
    for (let i = 0; i < 20; i++) a.record(entry(org, i % 4 === 0 ? 409 : 201));
    for (let i = 0; i < 10; i++) b.record(entry(org, 200));
    // A 401 knows only the base URL's slug; an unknown slug is left out, not an error.
    b.record(entry({ slug: org.slug }, 401, { credential: undefined, detail: 'wrong method' }));
    b.record(entry({ slug: 'no-such-org-x' }, 401, { credential: undefined }));
    await Promise.all([a.flush(), b.flush()]);
    expect(a.queueDepth + b.queueDepth).toBe(0);
    const rows = await rowsOf(org.id);
    expect(rows).toHaveLength(31);
    expect(rows.filter((r) => r.status === 401)).toMatchObject([
      { credential_id: null, detail: 'wrong method' },
    ]);
    const minutes = await handle.db
      .selectFrom('provisioning_minutes')
      .select(({ fn }) => [
        'credential',
        fn.sum<number>('requests').as('requests'),
        fn.sum<number>('failures').as('failures'),
      ])
      .where('org_id', '=', org.id)
      .groupBy('credential')
      .orderBy('credential')
      .execute();
    expect(minutes.map((m) => [m.credential, Number(m.requests), Number(m.failures)])).toEqual([
      ['', 1, 1],
      ['api_key:k1', 30, 5],
    ]);
  });

  it('keeps at most the bounded queue while the database is away, counts the drops; close() writes what is queued', async () => {
    const org = await newOrg();
    const dropped: number[] = [];
    const errors: unknown[] = [];
    const other = await openDatabase(
      kind === 'postgres' ? { url: inject('databaseUrl') } : { url: undefined, dataDir: 'memory://' },
    );
    const writer = new ActivityWriter(other.db, {
      maxQueue: 5,
      onError: (e) => errors.push(e),
    });
    writer.observe({ dropped: (n) => dropped.push(n) });
    await other.close(); // the database is gone for this writer
    for (let i = 0; i < 8; i++) writer.record(entry(org, 201));
    expect(writer.queueDepth).toBe(5);
    await writer.flush();
    expect(errors.length).toBe(1);
    expect(writer.queueDepth).toBe(5);
    expect(writer.dropped).toBe(3);
    await writer.close();
    expect(writer.dropped).toBe(8);
    expect(dropped.reduce((s, n) => s + n, 0)).toBe(8);
    // A writer on a live database: close() writes everything queued.
    const live = new ActivityWriter(handle.db, { flushIntervalMs: 60_000 });
    for (let i = 0; i < 12; i++) live.record(entry(org, 201));
    await live.close();
    expect(await rowsOf(org.id)).toHaveLength(12);
    expect(live.dropped).toBe(0);
  });

  it('deletes activity and minute counts past the retention, and keeps the rest', async () => {
    const org = await newOrg();
    const writer = new ActivityWriter(handle.db, { retentionDays: 30 });
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
    for (const days of [45, 31, 29, 1]) writer.record(entry(org, 201, { at: daysAgo(days) }));
    await writer.flush();
    await writer.prune();
    const rows = await rowsOf(org.id);
    expect(rows.map((r) => Math.round((Date.now() - new Date(r.at).getTime()) / 86_400_000)).sort()).toEqual([
      1, 29,
    ]);
    const minutes = await handle.db
      .selectFrom('provisioning_minutes')
      .select('minute')
      .where('org_id', '=', org.id)
      .execute();
    expect(minutes).toHaveLength(2);
    await writer.close();
  });

  it('records nothing when switched off', async () => {
    const org = await newOrg();
    const writer = new ActivityWriter(handle.db, { enabled: false });
    writer.record(entry(org, 201));
    await writer.close();
    expect(await rowsOf(org.id)).toHaveLength(0);
  });
});
