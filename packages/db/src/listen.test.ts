import { randomUUID } from 'node:crypto';
import type {} from '@roster/testkit/vitest-global-setup';
import { sql } from 'kysely';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from './connect.js';
import type { ChannelSubscriber, StopListening } from './listen.js';

const handles: DatabaseHandle[] = [];
const stops: StopListening[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  for (const handle of handles.splice(0)) await handle.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function waitFor(condition: () => boolean, deadlineMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > deadlineMs) throw new Error(`condition not met in ${deadlineMs} ms`);
    await sleep(10);
  }
}

/** What a subscriber heard, in order: `listening`, `lost`, or a payload. */
function recorder(): { heard: string[]; subscriber: ChannelSubscriber } {
  const heard: string[] = [];
  return {
    heard,
    subscriber: {
      onListening: () => heard.push('listening'),
      onNotification: (payload) => heard.push(payload),
      onLost: () => heard.push('lost'),
    },
  };
}

describe('LISTEN on PostgreSQL', () => {
  it('hears notifications of commits only after it listens, and reconnects after its connection is killed', async () => {
    const handle = connectDatabase({ url: inject('databaseUrl'), maxConnections: 2 });
    handles.push(handle);
    const channel = `test_${randomUUID().slice(0, 8)}`;
    const { heard, subscriber } = recorder();
    stops.push(handle.listen(channel, subscriber, { backoffMs: 20 }));
    await waitFor(() => heard.includes('listening'));
    await sql`select pg_notify(${channel}, 'one')`.execute(handle.db);
    await waitFor(() => heard.includes('one'));
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'roster-listen' and query in (${`LISTEN "${channel}"`}, 'select 1')`.execute(
      handle.db,
    );
    await waitFor(() => heard.filter((event) => event === 'listening').length === 2);
    await sql`select pg_notify(${channel}, 'two')`.execute(handle.db);
    await waitFor(() => heard.includes('two'));
    expect(heard).toEqual(['listening', 'one', 'lost', 'listening', 'two']);
  });

  it('counts a connection that stops answering (a silent partition) as lost', async () => {
    const handle = connectDatabase({ url: inject('databaseUrl'), maxConnections: 2 });
    handles.push(handle);
    const channel = `test_${randomUUID().slice(0, 8)}`;
    const { heard, subscriber } = recorder();
    stops.push(
      handle.listen(channel, subscriber, { heartbeatMs: 100, heartbeatTimeoutMs: 300, backoffMs: 20 }),
    );
    await waitFor(() => heard.includes('listening'));
    // The listening backend, frozen: it neither answers nor closes the connection.
    const { rows } = await sql<{ pid: number }>`
      select pid from pg_stat_activity
      where application_name = 'roster-listen' and backend_type = 'client backend'
        and pid <> pg_backend_pid() and query in (${`LISTEN "${channel}"`}, 'select 1')`.execute(handle.db);
    const pid = rows[0]?.pid as number;
    process.kill(pid, 'SIGSTOP');
    try {
      await waitFor(() => heard.includes('lost'));
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await waitFor(() => heard.filter((event) => event === 'listening').length === 2);
  });
});
