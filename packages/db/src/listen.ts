/**
 * LISTEN on one channel over a connection of its own, for caches that must hear about changes
 * other processes commit (the credential cache). The subscriber learns three things: it is
 * listening (from then on every commit's notification reaches it), a notification, and that it
 * may have missed some (the connection dropped, failed or stopped answering): it must then forget
 * whatever the notifications were keeping fresh, until it is listening again.
 */
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export interface ChannelSubscriber {
  /** LISTEN has taken effect: notifications of every transaction that commits from now on arrive. */
  onListening(): void;
  onNotification(payload: string): void;
  /** Notifications may have been missed (the connection was lost); a reconnection follows. */
  onLost(error: unknown): void;
}

export interface ListenOptions {
  /** First wait before reconnecting (doubles up to `maxBackoffMs`). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /**
   * How often the connection is checked with a query. A connection cut off without an error
   * (a silent network partition) would otherwise look like a quiet channel forever.
   */
  heartbeatMs?: number;
  /** How long the check may take before the connection counts as lost. */
  heartbeatTimeoutMs?: number;
}

export type StopListening = () => Promise<void>;

/** The listening connection's application_name. */
export const LISTENER_APPLICATION_NAME = 'roster-listen';

const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** PostgreSQL: a dedicated client (never the pool's), reconnected with backoff. */
export function listenOnPostgres(
  url: string,
  channel: string,
  subscriber: ChannelSubscriber,
  options: ListenOptions = {},
): StopListening {
  const { backoffMs = 250, maxBackoffMs = 10_000, heartbeatMs = 5_000, heartbeatTimeoutMs = 5_000 } = options;
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let wait = backoffMs;

  const lost = (failed: pg.Client, error: unknown) => {
    if (client !== failed) return; // already handled
    client = undefined;
    clearInterval(heartbeat);
    failed.removeAllListeners('notification');
    failed.on('error', () => {});
    failed.end().catch(() => {});
    subscriber.onLost(error);
    if (stopped) return;
    retry = setTimeout(connect, wait);
    wait = Math.min(wait * 2, maxBackoffMs);
  };

  async function connect(): Promise<void> {
    if (stopped) return;
    const attempt = new pg.Client({
      connectionString: url,
      // Named, so an operator (or a test) can find it in pg_stat_activity.
      application_name: LISTENER_APPLICATION_NAME,
      connectionTimeoutMillis: heartbeatTimeoutMs,
      query_timeout: heartbeatTimeoutMs,
    });
    client = attempt;
    attempt.on('error', (error) => lost(attempt, error));
    attempt.on('end', () => lost(attempt, new Error('the notification connection ended')));
    attempt.on('notification', (message) => {
      if (message.channel === channel) subscriber.onNotification(message.payload ?? '');
    });
    try {
      await attempt.connect();
      await attempt.query(`LISTEN ${quoteIdentifier(channel)}`);
    } catch (error) {
      lost(attempt, error);
      return;
    }
    if (client !== attempt) return;
    if (stopped) {
      await attempt.end().catch(() => {});
      return;
    }
    wait = backoffMs;
    heartbeat = setInterval(() => {
      attempt.query('select 1').catch((error: unknown) => lost(attempt, error));
    }, heartbeatMs);
    heartbeat.unref();
    subscriber.onListening();
  }

  void connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    clearInterval(heartbeat);
    const current = client;
    client = undefined;
    current?.removeAllListeners();
    current?.on('error', () => {});
    await current?.end().catch(() => {});
  };
}

/**
 * PGlite: one process holds the database, and its notifications are delivered in that process
 * (before the committing query returns), so there is no connection to lose.
 */
export function listenOnPGlite(
  database: PGlite,
  channel: string,
  subscriber: ChannelSubscriber,
): StopListening {
  const unlisten = database
    .listen(channel, (payload) => subscriber.onNotification(payload))
    .then((stop) => {
      subscriber.onListening();
      return stop;
    });
  return async () => {
    await (await unlisten)();
  };
}
