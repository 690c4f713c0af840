/**
 * The SQL of provisioning activity (`provisioning_activity`, `provisioning_minutes`): the writer's
 * batch insert, the portal's reads, and retention. Every read is scoped to one organization.
 */
import { type Database, deleteInBatches } from '@roster/db';
import { type Kysely, sql } from 'kysely';

type Db = Kysely<Database>;

/** One SCIM request's outcome as the SCIM service saw it (no bodies, no secrets). */
export interface ActivityEntry {
  at: Date;
  /** The organization, when authentication found it; otherwise only its slug is known. */
  orgId?: string | undefined;
  /** The base URL's organization slug, resolved when the batch is written (a 401 has no orgId). */
  orgSlug: string;
  requestId: string;
  credential?: { type: 'api_key' | 'oauth_client'; id: string } | undefined;
  idp?: string | undefined;
  method: string;
  resourceType?: string | undefined;
  resourceId?: string | undefined;
  status: number;
  scimType?: string | undefined;
  detail?: string | undefined;
  durationMs: number;
}

/**
 * Writes a batch in one statement, with its per-minute counts. Entries whose slug names no
 * organization (or whose organization was deleted meanwhile) are left out rather than failing the
 * batch. Minutes are upserted in one fixed order, so two processes never deadlock. Returns the
 * number of activity rows written.
 */
export async function insertActivity(db: Db, entries: ActivityEntry[]): Promise<number> {
  if (entries.length === 0) return 0;
  const records = entries.map((e) => ({
    org_id: e.orgId ?? null,
    org_slug: e.orgSlug,
    at: e.at.toISOString(),
    request_id: e.requestId,
    credential_type: e.credential?.type ?? null,
    credential_id: e.credential?.id ?? null,
    idp: e.idp ?? null,
    method: e.method,
    resource_type: e.resourceType ?? null,
    resource_id: e.resourceId ?? null,
    status: e.status,
    scim_type: e.scimType ?? null,
    detail: e.detail ?? null,
    duration_ms: Math.max(0, Math.round(e.durationMs)),
  }));
  const result = await sql<{ written: string }>`
    with input as (
      select coalesce(by_id.id, by_slug.id) as org, r.at, r.request_id, r.credential_type,
        r.credential_id, r.idp, r.method, r.resource_type, r.resource_id, r.status, r.scim_type,
        r.detail, r.duration_ms, r.n
      from rows from (jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as (
        org_id uuid, org_slug text, at timestamptz, request_id text, credential_type text,
        credential_id text, idp text, method text, resource_type text, resource_id text,
        status smallint, scim_type text, detail text, duration_ms integer)) with ordinality as r(
        org_id, org_slug, at, request_id, credential_type, credential_id, idp, method, resource_type,
        resource_id, status, scim_type, detail, duration_ms, n)
      -- Two equality joins, not one on "id = … or slug = …": an OR condition leaves the planner
      -- a nested loop over every organization for each entry.
      left join organizations by_id on by_id.id = r.org_id
      left join organizations by_slug on r.org_id is null and by_slug.slug = r.org_slug
      where coalesce(by_id.id, by_slug.id) is not null
    ), written as (
      insert into provisioning_activity (org_id, at, request_id, credential_type, credential_id, idp,
        method, resource_type, resource_id, status, scim_type, detail, duration_ms)
      select org, at, request_id, credential_type, credential_id, idp, method, resource_type,
        resource_id, status, scim_type, detail, duration_ms
      from input
      -- In the order the requests were queued: the list pages by the rows' ids.
      order by n
      returning 1
    ), minutes as (
      insert into provisioning_minutes (org_id, credential, minute, requests, failures, last_at,
        last_success_at, last_failure_at)
      select org, coalesce(credential_type || ':' || credential_id, ''), date_trunc('minute', at),
        count(*), count(*) filter (where status >= 400), max(at), max(at) filter (where status < 400),
        max(at) filter (where status >= 400)
      from input
      group by 1, 2, 3
      order by 1, 2, 3
      on conflict (org_id, credential, minute) do update set
        requests = provisioning_minutes.requests + excluded.requests,
        failures = provisioning_minutes.failures + excluded.failures,
        last_at = greatest(provisioning_minutes.last_at, excluded.last_at),
        last_success_at = greatest(provisioning_minutes.last_success_at, excluded.last_success_at),
        last_failure_at = greatest(provisioning_minutes.last_failure_at, excluded.last_failure_at)
    )
    select count(*) as written from written`.execute(db);
  return Number(result.rows[0]?.written ?? 0);
}

export interface ActivityFilter {
  outcome?: 'succeeded' | 'failed' | undefined;
  status?: number | undefined;
  resourceType?: string | undefined;
  /** `api_key:<id>` or `oauth_client:<client id>`. */
  credential?: { type: string; id: string } | undefined;
  idp?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  requestId?: string | undefined;
  /** Rows written before this one (the previous page's last id). */
  beforeId?: string | undefined;
  limit: number;
}

/** One organization's activity, newest written first (by id: the order rows were written in). */
export function listActivity(db: Db, orgId: string, filter: ActivityFilter) {
  let query = db.selectFrom('provisioning_activity').selectAll().where('org_id', '=', orgId);
  if (filter.outcome === 'succeeded') query = query.where('status', '<', 400);
  if (filter.outcome === 'failed') query = query.where('status', '>=', 400);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.resourceType) query = query.where('resource_type', '=', filter.resourceType);
  if (filter.credential) {
    query = query
      .where('credential_type', '=', filter.credential.type as 'api_key' | 'oauth_client')
      .where('credential_id', '=', filter.credential.id);
  }
  if (filter.idp) query = query.where('idp', '=', filter.idp);
  if (filter.from) query = query.where('at', '>=', filter.from);
  if (filter.to) query = query.where('at', '<', filter.to);
  if (filter.requestId) query = query.where('request_id', '=', filter.requestId);
  if (filter.beforeId) query = query.where('id', '<', filter.beforeId);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}

export interface CredentialTotals {
  /** `api_key:<id>`, `oauth_client:<client id>`, or '' for requests refused before a credential was accepted. */
  credential: string;
  hour: { requests: number; failures: number };
  day: { requests: number; failures: number };
  /** The last two IdP cycles (`recentSince`). */
  recent: { requests: number; failures: number };
  /** The times of the last request, the last success and the last failure. */
  lastRequestAt: Date | null;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
}

/** One organization's per-minute counts summed per credential, over the last hour, day and `recentSince`. */
export async function credentialTotals(
  db: Db,
  orgId: string,
  now: Date,
  recentSince: Date,
): Promise<CredentialTotals[]> {
  const hour = new Date(now.getTime() - 3600_000);
  const day = new Date(now.getTime() - 24 * 3600_000);
  const { rows } = await sql<{
    credential: string;
    hour_requests: string | null;
    hour_failures: string | null;
    day_requests: string | null;
    day_failures: string | null;
    recent_requests: string | null;
    recent_failures: string | null;
    last_request: Date | null;
    last_success: Date | null;
    last_failure: Date | null;
  }>`
    select credential,
      sum(requests) filter (where minute >= date_trunc('minute', ${hour}::timestamptz)) as hour_requests,
      sum(failures) filter (where minute >= date_trunc('minute', ${hour}::timestamptz)) as hour_failures,
      sum(requests) filter (where minute >= date_trunc('minute', ${day}::timestamptz)) as day_requests,
      sum(failures) filter (where minute >= date_trunc('minute', ${day}::timestamptz)) as day_failures,
      sum(requests) filter (where minute >= date_trunc('minute', ${recentSince}::timestamptz)) as recent_requests,
      sum(failures) filter (where minute >= date_trunc('minute', ${recentSince}::timestamptz)) as recent_failures,
      max(coalesce(last_at, minute)) as last_request,
      max(coalesce(last_success_at, minute)) filter (where requests > failures) as last_success,
      max(coalesce(last_failure_at, minute)) filter (where failures > 0) as last_failure
    from provisioning_minutes where org_id = ${orgId}
    group by credential order by credential`.execute(db);
  const n = (value: string | null) => Number(value ?? 0);
  const time = (value: Date | null) => (value ? new Date(value) : null);
  return rows.map((r) => ({
    credential: r.credential,
    hour: { requests: n(r.hour_requests), failures: n(r.hour_failures) },
    day: { requests: n(r.day_requests), failures: n(r.day_failures) },
    recent: { requests: n(r.recent_requests), failures: n(r.recent_failures) },
    lastRequestAt: time(r.last_request),
    lastSuccessAt: time(r.last_success),
    lastFailureAt: time(r.last_failure),
  }));
}

const credentialKey = sql<string>`coalesce(credential_type || ':' || credential_id, '')`;

/** The organization's failed requests since `since`, newest first, at most `limit`. */
export function recentFailures(db: Db, orgId: string, since: Date, limit: number) {
  return db
    .selectFrom('provisioning_activity')
    .select([
      'at',
      'status',
      'scim_type',
      'detail',
      'request_id',
      'resource_type',
      credentialKey.as('credential'),
    ])
    .where('org_id', '=', orgId)
    .where('at', '>=', since)
    .where('status', '>=', 400)
    .orderBy('at', 'desc')
    .limit(limit)
    .execute();
}

/** The organization's last success since `since` per credential and resource type. */
export function lastSuccesses(db: Db, orgId: string, since: Date) {
  return db
    .selectFrom('provisioning_activity')
    .select([credentialKey.as('credential'), 'resource_type', (eb) => eb.fn.max('at').as('last_success')])
    .where('org_id', '=', orgId)
    .where('at', '>=', since)
    .where('status', '<', 400)
    .groupBy(['credential_type', 'credential_id', 'resource_type'])
    .execute();
}

/**
 * Retention: deletes activity rows and minute counts older than `before`, one organization and at
 * most `batchSize` rows a statement at a time, so no statement holds many locks or runs long.
 * Returns the number of activity rows deleted.
 */
export async function deleteActivityBefore(db: Db, before: Date, batchSize = 1000): Promise<number> {
  const orgs = await db.selectFrom('organizations').select('id').execute();
  let deleted = 0;
  for (const { id } of orgs) {
    deleted += await deleteInBatches(async () => {
      const result = await sql`
        delete from provisioning_activity where org_id = ${id} and id in (
          select id from provisioning_activity where org_id = ${id} and at < ${before} limit ${batchSize})`.execute(
        db,
      );
      return Number(result.numAffectedRows ?? 0);
    }, batchSize);
    await deleteInBatches(async () => {
      const result = await sql`
        delete from provisioning_minutes where org_id = ${id} and (credential, minute) in (
          select credential, minute from provisioning_minutes where org_id = ${id} and minute < ${before} limit ${batchSize})`.execute(
        db,
      );
      return Number(result.numAffectedRows ?? 0);
    }, batchSize);
  }
  return deleted;
}

/** Requests and failures in one interval of a timeline. */
export interface TimelineBucket {
  start: Date;
  requests: number;
  failures: number;
}

/**
 * The organization's requests and failures from `since` to `now` in buckets of `bucketSeconds`
 * (aligned to the epoch), from the per-minute counts, empty buckets included; `credential`
 * (`api_key:<id>`, `oauth_client:<id>`, or '' for requests refused before one was accepted)
 * narrows it to one. The sums are SQL's; at most one row a bucket comes back.
 */
export async function activityTimeline(
  db: Db,
  orgId: string,
  range: { since: Date; now: Date; bucketSeconds: number; credential?: string | undefined },
): Promise<TimelineBucket[]> {
  const { since, now, bucketSeconds, credential } = range;
  const { rows } = await sql<{ bucket: string; requests: string; failures: string }>`
    select floor(extract(epoch from minute) / ${bucketSeconds})::bigint as bucket,
      sum(requests) as requests, sum(failures) as failures
    from provisioning_minutes
    where org_id = ${orgId} and minute >= date_trunc('minute', ${since}::timestamptz)
      ${credential === undefined ? sql`` : sql`and credential = ${credential}`}
    group by 1`.execute(db);
  const found = new Map(rows.map((r) => [Number(r.bucket), r]));
  const first = Math.floor(since.getTime() / 1000 / bucketSeconds);
  const last = Math.floor(now.getTime() / 1000 / bucketSeconds);
  const buckets: TimelineBucket[] = [];
  for (let bucket = first; bucket <= last; bucket++) {
    const row = found.get(bucket);
    buckets.push({
      start: new Date(bucket * bucketSeconds * 1000),
      requests: Number(row?.requests ?? 0),
      failures: Number(row?.failures ?? 0),
    });
  }
  return buckets;
}
