/**
 * The SQL of provisioning activity (`provisioning_activity`, `provisioning_minutes`): the writer's
 * batch insert, the portal's reads, and retention. Every read is scoped to one organization.
 */
import type { Database } from '@roster/db';
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
      select o.id as org, r.at, r.request_id, r.credential_type, r.credential_id, r.idp, r.method,
        r.resource_type, r.resource_id, r.status, r.scim_type, r.detail, r.duration_ms
      from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(
        org_id uuid, org_slug text, at timestamptz, request_id text, credential_type text,
        credential_id text, idp text, method text, resource_type text, resource_id text,
        status smallint, scim_type text, detail text, duration_ms integer)
      join organizations o on o.id = r.org_id or (r.org_id is null and o.slug = r.org_slug)
    ), written as (
      insert into provisioning_activity (org_id, at, request_id, credential_type, credential_id, idp,
        method, resource_type, resource_id, status, scim_type, detail, duration_ms)
      select org, at, request_id, credential_type, credential_id, idp, method, resource_type,
        resource_id, status, scim_type, detail, duration_ms
      from input
      returning 1
    ), minutes as (
      insert into provisioning_minutes (org_id, credential, minute, requests, failures)
      select org, coalesce(credential_type || ':' || credential_id, ''), date_trunc('minute', at),
        count(*), count(*) filter (where status >= 400)
      from input
      group by 1, 2, 3
      order by 1, 2, 3
      on conflict (org_id, credential, minute) do update set
        requests = provisioning_minutes.requests + excluded.requests,
        failures = provisioning_minutes.failures + excluded.failures
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
