/**
 * Webhook delivery, run in every Roster process against the one database, each tick:
 * 0. the organizations to look at: those a `roster_events` notification named since the last tick,
 *    and, once a poll interval, every organization with work (the one read spanning organizations);
 *    then, for each, with its id a constant in every statement (one shard on Citus):
 * 1. schedule: each enabled endpoint's cursor is the last event sequence scheduled for it; events
 *    after it that its filter takes become delivery rows, and the cursor moves, in one statement
 *    that locks the endpoints it works on (SKIP LOCKED: two processes never schedule one twice);
 * 2. claim: due deliveries are leased (FOR UPDATE SKIP LOCKED, then `lease_expires_at`), so one
 *    process sends each; a killed process's lease expires and another sends it;
 * 3. send: signed per Standard Webhooks through the egress rules, every attempt recorded; a failure
 *    is retried with backoff and jitter (or when Retry-After says) until the retry window ends,
 *    and an endpoint that has failed for a whole window is disabled, with an audit event.
 * It wakes on `roster_events` notifications (sent at commit by the events outbox) and polls as
 * well: a notification may be lost while the listening connection is down, the poll never is.
 * Database errors are logged and the loop goes on; nothing is lost, since rows are the state.
 */
import type { Database, DatabaseHandle, StopListening } from '@roster/db';
import { recordAuditEvent } from '@roster/directory/audit';
import { type EgressFetch, egressFetch } from '@roster/egress';
import { EVENTS_CHANNEL } from '@roster/events';
import { type Kysely, sql } from 'kysely';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import {
  DEFAULT_RETRY_POLICY,
  nextAttemptAt,
  type RetryPolicy,
  retryAfterMs,
  retryDelayMs,
} from './retry.js';
import { openSigningSecret } from './secrets.js';
import { signedHeaders, webhookBody } from './signing.js';

const DISABLED_REASON = 'every delivery failed for the retry window';

/** Longest response body prefix kept with an attempt. */
export const RESPONSE_PREFIX_CHARS = 1024;

interface Log {
  warn(object: object, message: string): void;
  info(object: object, message: string): void;
}

export interface WebhookDispatcherOptions {
  db: Kysely<Database>;
  /** Opens the endpoints' sealed signing secrets. */
  secretKey: Buffer;
  /** `config.development`: plain http and private addresses allowed for endpoints. */
  development: boolean;
  logger: Log;
  /** The database's LISTEN (DatabaseHandle.listen), to wake on every commit's events; absent: polling only. */
  listen?: DatabaseHandle['listen'] | undefined;
  /** Registers the delivery metrics here (the process's /metrics). */
  registry?: Registry | undefined;
  /** How often to look for work without a notification (default 1 s). */
  pollIntervalMs?: number;
  /** How long a claimed delivery is this process's (default 60 s). */
  leaseMs?: number;
  /** Deliveries claimed at once (default 20). */
  batchSize?: number;
  /** Per request (default 5 s). */
  requestTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** How requests are made (default: @roster/egress's fetch). For tests. */
  fetch?: EgressFetch;
}

interface Claimed {
  org_id: string;
  id: number;
  endpoint_id: string;
  event_sequence: number;
  attempts: number;
  retrying_since: Date;
  event_id: string;
  type: string;
  occurred_at: Date;
  actor: unknown;
  data: unknown;
  url: string;
  secret_sealed: string;
}

interface Outcome {
  status: number | null;
  durationMs: number;
  error: string | null;
  responsePrefix: string | null;
  retryAfter: number | undefined;
}

export class WebhookDispatcher {
  private readonly db: Kysely<Database>;
  private readonly options: WebhookDispatcherOptions;
  private readonly policy: RetryPolicy;
  private readonly fetch: EgressFetch;
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly requestTimeoutMs: number;
  private readonly metrics: ReturnType<typeof createWebhookMetrics> | undefined;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private stopListening: StopListening | undefined;
  /** Organizations whose events committed since the last tick (from the notifications). */
  private notified = new Set<string>();
  /** When organizationsWithWork() last ran: at most once a poll interval. */
  private lastScanAt = 0;

  constructor(options: WebhookDispatcherOptions) {
    this.options = options;
    this.db = options.db;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.batchSize = options.batchSize ?? 20;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 5_000;
    this.fetch =
      options.fetch ??
      egressFetch({
        development: options.development,
        timeoutMs: this.requestTimeoutMs,
        maxResponseBytes: 256 * 1024,
      });
    this.metrics = options.registry ? createWebhookMetrics(options.registry, this.db) : undefined;
  }

  start(): void {
    if (this.loop) return;
    this.stopListening = this.options.listen?.(EVENTS_CHANNEL, {
      // Events committed while not listening: look now rather than at the next poll.
      onListening: () => {
        this.lastScanAt = 0;
        this.wake();
      },
      // The payload is the organization whose events committed: that one is looked at next.
      onNotification: (orgId) => {
        this.notified.add(orgId);
        this.wake();
      },
      onLost: (error) =>
        this.options.logger.warn(
          { err: error },
          'webhook notifications lost; reconnecting (polling meanwhile)',
        ),
    });
    this.loop = this.run();
  }

  /** Wakes the loop now (a notification, or a test). */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /**
   * Graceful shutdown: requests under way finish (each within its timeout) and are recorded;
   * claimed deliveries not yet sent are released for another process at once.
   */
  async close(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.loop;
    await this.stopListening?.();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let busy = false;
      try {
        // The notified organizations now; every organization with work (retries come due, a
        // notification lost) once a poll interval. A write's notification thus costs its own
        // organization's statements, never a read across every organization.
        const orgs = new Set(this.notified);
        this.notified.clear();
        if (Date.now() - this.lastScanAt >= this.pollIntervalMs) {
          this.lastScanAt = Date.now();
          for (const orgId of await this.organizationsWithWork()) orgs.add(orgId);
        }
        for (const orgId of orgs) {
          await this.schedule(orgId);
          // A full batch: more may be due, so this organization goes again at once.
          if (await this.deliverBatch(orgId)) {
            this.notified.add(orgId);
            busy = true;
          }
          if (this.stopping) break;
        }
      } catch (error) {
        this.options.logger.warn({ err: error }, 'webhook delivery: database error; retrying');
      }
      if (!busy && !this.stopping) await this.sleep();
    }
  }

  /** Until the poll interval passes or wake() is called; a wake during a tick is not lost. */
  private sleep(): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      this.wakeUp = done;
    });
  }

  /**
   * The organizations with work: an enabled endpoint behind its organization's counter, or a
   * delivery due. The one read that spans organizations (on Citus, one statement per shard, once a
   * poll: docs/scaling.md), without locks; everything after it is per organization, routed to its
   * shard, where FOR UPDATE SKIP LOCKED works (Citus refuses it across shards).
   */
  async organizationsWithWork(): Promise<string[]> {
    return this.db.transaction().execute(async (trx) => {
      // The Citus test tier refuses statements that fan out; this one does by design. (A setting
      // of an extension that is not loaded is only a placeholder on plain PostgreSQL.)
      await sql`set local citus.multi_task_query_log_level = 'off'`.execute(trx);
      const [behind, due] = await Promise.all([
        sql<{ org_id: string }>`
          select distinct w.org_id from webhook_endpoints w
          join event_sequences s on s.org_id = w.org_id
          where w.enabled and w.cursor_sequence < s.last_sequence`.execute(trx),
        sql<{ org_id: string }>`
          select distinct org_id from webhook_deliveries
          where state = 'pending' and next_attempt_at <= now()
            and (lease_expires_at is null or lease_expires_at < now())`.execute(trx),
      ]);
      return [...new Set([...behind.rows, ...due.rows].map((row) => row.org_id))];
    });
  }

  /**
   * Turns an organization's new events into delivery rows for each of its enabled endpoints;
   * repeats while there were some.
   */
  async schedule(orgId: string): Promise<number> {
    let total = 0;
    for (;;) {
      const result = await sql<{ scheduled: number; advanced: number }>`
        with endpoint as (
          select org_id, id, event_types, cursor_sequence from webhook_endpoints
          where org_id = ${orgId} and enabled
            -- Only endpoints behind their organization's counter are locked (and written).
            and cursor_sequence < (select last_sequence from event_sequences where org_id = ${orgId})
          for update skip locked
        ), batch as (
          select endpoint.org_id, endpoint.id as endpoint_id, endpoint.event_types, event.sequence, event.type
          from endpoint cross join lateral (
            select sequence, type from events
            where events.org_id = ${orgId} and events.sequence > endpoint.cursor_sequence
            order by sequence limit 500
          ) as event
        ), scheduled as (
          insert into webhook_deliveries (org_id, endpoint_id, event_sequence)
          select org_id, endpoint_id, sequence from batch
          where cardinality(event_types) = 0 or type = any(event_types)
          order by endpoint_id, sequence
          returning 1
        ), advanced as (
          update webhook_endpoints set cursor_sequence = last.sequence
          from (select endpoint_id, max(sequence) as sequence from batch group by endpoint_id) as last
          where webhook_endpoints.org_id = ${orgId} and webhook_endpoints.id = last.endpoint_id
          returning 1
        )
        select (select count(*) from scheduled)::int as scheduled, (select count(*) from advanced)::int as advanced
      `.execute(this.db);
      const row = result.rows[0];
      total += row?.scheduled ?? 0;
      if (!row || row.advanced === 0) return total;
    }
  }

  /** Claims a batch of an organization's due deliveries and sends it; true when the batch was full (more may be due). */
  async deliverBatch(orgId: string): Promise<boolean> {
    if (this.stopping) return false;
    const claimed = await this.claim(orgId);
    if (claimed.length === 0) return false;
    const deadline = Date.now() + this.leaseMs;
    // One endpoint's deliveries in sequence order, one at a time; endpoints side by side.
    const byEndpoint = new Map<string, Claimed[]>();
    for (const delivery of claimed) {
      const key = `${delivery.org_id}/${delivery.endpoint_id}`;
      byEndpoint.set(key, [...(byEndpoint.get(key) ?? []), delivery]);
    }
    await Promise.all(
      [...byEndpoint.values()].map(async (deliveries) => {
        const unsent = [...deliveries];
        let failedUntil: Date | undefined;
        while (unsent.length > 0) {
          // Stop before a request could outlast the lease, or on shutdown, or after a failure: the
          // endpoint is likely down, so the rest of its deliveries wait for the failed one's retry
          // (no burst of attempts at a dead endpoint, and its events stay in order).
          if (this.stopping || Date.now() + this.requestTimeoutMs + 1_000 > deadline) break;
          const delivery = unsent.shift() as Claimed;
          const failed = await this.send(delivery);
          if (failed) {
            failedUntil = failed;
            break;
          }
        }
        if (unsent.length > 0) await this.release(unsent, failedUntil);
      }),
    );
    return claimed.length === this.batchSize;
  }

  private async claim(orgId: string): Promise<Claimed[]> {
    const result = await sql<Claimed>`
      with due as (
        select d.org_id, d.id from webhook_deliveries d
        where d.org_id = ${orgId} and d.state = 'pending' and d.next_attempt_at <= now()
          and (d.lease_expires_at is null or d.lease_expires_at < now())
          and exists (
            select 1 from webhook_endpoints w where w.org_id = ${orgId} and w.id = d.endpoint_id and w.enabled
          )
        order by d.next_attempt_at
        limit ${this.batchSize}
        for update of d skip locked
      ), claimed as (
        update webhook_deliveries d set lease_expires_at = now() + ${this.leaseMs} * interval '1 millisecond'
        from due where d.org_id = ${orgId} and d.id = due.id
        returning d.org_id, d.id, d.endpoint_id, d.event_sequence, d.attempts, d.retrying_since
      )
      select claimed.*, e.id as event_id, e.type, e.occurred_at, e.actor, e.data, w.url, w.secret_sealed
      from claimed
      join events e on e.org_id = ${orgId} and e.sequence = claimed.event_sequence
      join webhook_endpoints w on w.org_id = ${orgId} and w.id = claimed.endpoint_id
      order by claimed.org_id, claimed.endpoint_id, claimed.event_sequence, claimed.id
    `.execute(this.db);
    return result.rows.map((row) => ({
      ...row,
      id: Number(row.id),
      event_sequence: Number(row.event_sequence),
      retrying_since: new Date(row.retrying_since),
      occurred_at: new Date(row.occurred_at),
      // PGlite hands jsonb back as text.
      actor: typeof row.actor === 'string' ? JSON.parse(row.actor) : row.actor,
      data: typeof row.data === 'string' ? JSON.parse(row.data) : row.data,
    }));
  }

  /** Gives claimed deliveries back unsent, due no earlier than `notBefore` (no attempt counted). */
  private async release(deliveries: Claimed[], notBefore?: Date): Promise<void> {
    await this.db
      .updateTable('webhook_deliveries')
      .set({
        lease_expires_at: null,
        ...(notBefore ? { next_attempt_at: sql`greatest(next_attempt_at, ${notBefore})` } : {}),
      })
      .where('org_id', '=', deliveries[0]?.org_id as string)
      .where(
        'id',
        'in',
        deliveries.map((d) => d.id),
      )
      .where('state', '=', 'pending')
      .execute();
  }

  /** One attempt, recorded; undefined when delivered, else when it is tried next (now when given up). */
  private async send(delivery: Claimed): Promise<Date | undefined> {
    const outcome = await this.attempt(delivery);
    const delivered = outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
    if (delivered) {
      await this.recordSuccess(delivery, outcome);
      this.metrics?.deliveries.inc({ outcome: 'delivered' });
      this.metrics?.latency.observe((Date.now() - delivery.occurred_at.getTime()) / 1000);
      return undefined;
    }
    const now = new Date();
    const delay = retryDelayMs(this.policy, delivery.attempts + 1, outcome.retryAfter);
    const next = nextAttemptAt(this.policy, delivery.retrying_since, now, delay);
    await this.recordFailure(delivery, outcome, next);
    this.metrics?.deliveries.inc({ outcome: next ? 'failed_attempt' : 'given_up' });
    return next ?? now;
  }

  private async attempt(delivery: Claimed): Promise<Outcome> {
    const started = performance.now();
    const durationMs = () => Math.round(performance.now() - started);
    try {
      const secret = openSigningSecret(delivery.secret_sealed, this.options.secretKey);
      const body = webhookBody({
        id: delivery.event_id,
        type: delivery.type,
        sequence: delivery.event_sequence,
        orgId: delivery.org_id,
        occurredAt: delivery.occurred_at,
        actor: delivery.actor,
        data: delivery.data,
      });
      const response = await this.fetch(delivery.url, {
        method: 'POST',
        headers: signedHeaders(secret, delivery.event_id, body),
        body,
      });
      const text = await response.text().catch(() => '');
      return {
        status: response.status,
        durationMs: durationMs(),
        error: response.ok ? null : `HTTP ${response.status}`,
        responsePrefix: text.slice(0, RESPONSE_PREFIX_CHARS) || null,
        retryAfter: retryAfterMs(response.headers.get('retry-after')),
      };
    } catch (error) {
      return {
        status: null,
        durationMs: durationMs(),
        error: (error instanceof Error ? error.message : String(error)).slice(0, 500),
        responsePrefix: null,
        retryAfter: undefined,
      };
    }
  }

  private async recordSuccess(delivery: Claimed, outcome: Outcome): Promise<void> {
    await sql`
      with delivered as (
        update webhook_deliveries
        set state = 'delivered', delivered_at = now(), attempts = attempts + 1, lease_expires_at = null
        where org_id = ${delivery.org_id} and id = ${delivery.id}
        returning attempts
      ), attempt as (
        insert into webhook_attempts (org_id, delivery_id, attempt, status_code, duration_ms, error, response_prefix)
        select ${delivery.org_id}, ${delivery.id}, attempts, ${outcome.status}, ${outcome.durationMs}, null, ${outcome.responsePrefix}
        from delivered
      )
      update webhook_endpoints set failing_since = null
      where org_id = ${delivery.org_id} and id = ${delivery.endpoint_id} and failing_since is not null
    `.execute(this.db);
  }

  /**
   * Records the failed attempt and when to try again; past the window the delivery is given up,
   * and an endpoint whose every attempt has failed for a whole window is disabled, audited.
   */
  private async recordFailure(delivery: Claimed, outcome: Outcome, next: Date | undefined): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await sql`
        with failed as (
          update webhook_deliveries
          set attempts = attempts + 1, lease_expires_at = null,
            state = ${next ? 'pending' : 'failed'}, next_attempt_at = ${next ?? new Date()}
          where org_id = ${delivery.org_id} and id = ${delivery.id}
          returning attempts
        )
        insert into webhook_attempts (org_id, delivery_id, attempt, status_code, duration_ms, error, response_prefix)
        select ${delivery.org_id}, ${delivery.id}, attempts, ${outcome.status}, ${outcome.durationMs}, ${outcome.error}, ${outcome.responsePrefix}
        from failed
      `.execute(trx);
      // Failing since the first due time of the oldest delivery it could not take (least() skips a
      // null; no now() inside it, which Citus refuses in an update's CASE or COALESCE).
      await sql`
        update webhook_endpoints
        set failing_since = least(failing_since, ${delivery.retrying_since}::timestamptz)
        where org_id = ${delivery.org_id} and id = ${delivery.endpoint_id}
      `.execute(trx);
      const disabled = await sql<{ failing_since: Date }>`
        update webhook_endpoints set enabled = false, disabled_reason = ${DISABLED_REASON}, updated_at = now()
        where org_id = ${delivery.org_id} and id = ${delivery.endpoint_id} and enabled
          and failing_since <= now() - ${this.policy.windowMs} * interval '1 millisecond'
        returning failing_since
      `.execute(trx);
      const row = disabled.rows[0];
      if (row) {
        await recordAuditEvent(trx, {
          orgId: delivery.org_id,
          actor: { type: 'system' },
          action: 'webhook.disabled',
          target: { type: 'webhook', id: delivery.endpoint_id },
          changes: {
            reason: DISABLED_REASON,
            failingSince: new Date(row.failing_since).toISOString(),
            lastError: outcome.error,
          },
        });
        this.options.logger.warn(
          { orgId: delivery.org_id, endpointId: delivery.endpoint_id },
          'webhook endpoint disabled: every delivery failed for the retry window',
        );
      }
    });
  }
}

function createWebhookMetrics(registry: Registry, db: Kysely<Database>) {
  const deliveries = new Counter({
    name: 'roster_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome: delivered, failed_attempt (retried later), given_up',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'roster_webhook_delivery_latency_seconds',
    help: 'From the event to its successful delivery',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60, 600, 3600],
    registers: [registry],
  });
  new Gauge({
    name: 'roster_webhook_queue_depth',
    help: 'Webhook deliveries pending (due or waiting for a retry), every organization',
    registers: [registry],
    async collect() {
      try {
        const row = await db
          .selectFrom('webhook_deliveries')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('state', '=', 'pending')
          .executeTakeFirst();
        this.set(Number(row?.n ?? 0));
      } catch {
        // The database is down: the last value stands; /readyz reports the outage.
      }
    },
  });
  return { deliveries, latency };
}
