/**
 * Provisioning health: the state of an organization and of each credential from their
 * per-minute counts, the kinds of failure with what to change for each kind Roster knows. Pure
 * functions; the SQL is in activity-rows.ts.
 *
 * Thresholds (docs/reference/entra.md, the quarantine paragraph): Entra ID quarantines a provisioning job when
 * "most, or all" of its calls consistently fail, so more than half failing over the last two
 * cycles is `failing`; above 5% (our choice: a few refusals a cycle are normal noise, e.g. a 404
 * on a user deleted meanwhile) is `degraded`. Entra runs a cycle about every 40 minutes, so
 * nothing for two cycles (80 minutes) is `idle`.
 *
 * A refusal that turns away every request of its kind until the administrator changes a setting
 * (group sync off, the other authentication method, a revoked key…) also makes the state `failing`
 * while no request of that kind has succeeded since, whatever its share: with group sync off, users
 * still go through and keep the share low, but Entra ID retries the groups forever and no group ever
 * arrives, which is what the administrator must hear about first.
 */

export type HealthState = 'healthy' | 'degraded' | 'failing' | 'idle' | 'never_connected';

export const CYCLE_MINUTES = 40;
export const IDLE_AFTER_MINUTES = 2 * CYCLE_MINUTES;
export const DEGRADED_SHARE = 0.05;
export const FAILING_SHARE = 0.5;

export interface Counts {
  requests: number;
  failures: number;
}

/**
 * The state from the requests of the last two cycles, the time of the last request, and whether a
 * blocking refusal (see `isBlocked`) is outstanding.
 */
export function stateOf(recent: Counts, lastRequestAt: Date | null, now: Date, blocked = false): HealthState {
  if (!lastRequestAt) return 'never_connected';
  if (now.getTime() - lastRequestAt.getTime() > IDLE_AFTER_MINUTES * 60_000 || recent.requests === 0)
    return 'idle';
  const share = recent.failures / recent.requests;
  if (blocked || share > FAILING_SHARE) return 'failing';
  if (share > DEGRADED_SHARE) return 'degraded';
  return 'healthy';
}

/**
 * The values in a SCIM error detail that differ between requests of one kind (quoted values,
 * ids, times, numbers) replaced by placeholders, so that refusals of one kind group together.
 */
export function normalizeDetail(detail: string | null): string {
  if (!detail) return '';
  return redactValues(detail)
    .replace(/\b\d{4}-\d{2}-\d{2}T[\d:.]+Z\b/g, '<time>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>')
    .replace(/https?:\/\/\S+/g, '<url>')
    .replace(/\b\d+\b/g, '#');
}

/** Quoted phrases of Roster's own (setting names) kept; any other quoted text is a value of the request. */
const OWN_PHRASES =
  /^"(Provision existing users|Sync SCIM groups|scim|Bearer <token>|Authorization: Bearer <token>)"$/;

/** A detail with the request's values (a userName, a filter's value) left out: what the activity keeps. */
export function redactValues(detail: string): string {
  return detail.replace(/"[^"]*"/g, (quoted) => (OWN_PHRASES.test(quoted) ? quoted : '"…"'));
}

/** What the administrator changes, for the refusals Roster gives (matched on status and detail). */
const HINTS: { status: number; scimType?: string; detail: RegExp; hint: string; blocking?: true }[] = [
  {
    status: 409,
    detail: /Provision existing users/,
    hint: 'A portal member with this userName exists: turn on "Provision existing users" under Identity configuration > Provisioning to hand it over to the identity provider, or remove the portal member.',
  },
  {
    status: 409,
    scimType: 'uniqueness',
    detail: /userName already exists/,
    hint: 'A provisioned member already has this userName (compared case-insensitively): two users in the identity provider map to the same userName, or the identity provider lost track of the user. Fix the mapping or the duplicate in the identity provider.',
  },
  {
    status: 403,
    detail: /Sync SCIM groups/,
    blocking: true,
    hint: 'Turn on "Sync SCIM groups" under Identity configuration > Provisioning (it needs RBAC), or take groups out of the identity provider\'s provisioning scope.',
  },
  {
    status: 401,
    detail: /configured for OAuth 2\.0/,
    blocking: true,
    hint: "This organization uses OAuth 2.0: set the identity provider's authentication to the OAuth 2.0 client credentials grant with this organization's token endpoint and client, or switch the organization to the HTTP Header method.",
  },
  {
    status: 401,
    detail: /configured for the HTTP Header method/,
    blocking: true,
    hint: "This organization uses the HTTP Header method: set the identity provider's secret token to a system API key with the scim scope, or switch the organization to OAuth 2.0.",
  },
  {
    status: 400,
    detail: /no email to sign in with/,
    hint: "Map the user's email to userName in the identity provider's attribute mappings (Entra ID: userPrincipalName or mail; Ping: the user's email attribute), or send a work or primary email.",
  },
  {
    status: 403,
    detail: /provisioning is turned off/,
    blocking: true,
    hint: "Turn on SCIM provisioning under Identity configuration > Provisioning, or stop the identity provider's provisioning job.",
  },
  {
    status: 403,
    detail: /Enterprise plan/,
    blocking: true,
    hint: "SCIM provisioning needs the Enterprise plan: the organization's plan has to be Enterprise again.",
  },
  {
    status: 403,
    detail: /without an active manager/,
    hint: "The identity provider tried to remove the last active manager: make another member a manager in the portal first; the identity provider's next retry then succeeds.",
  },
  {
    status: 403,
    detail: /may not call the SCIM service|lacks the scim scope/,
    blocking: true,
    hint: 'The identity provider uses a credential without the scim scope: generate a system API key with the scim scope (or request tokens with scope "scim") and update the identity provider.',
  },
  {
    status: 401,
    detail: /revoked|expired/,
    blocking: true,
    hint: 'The credential was revoked, rotated or has expired: generate a new API key or client secret in the portal and update the identity provider.',
  },
  {
    status: 401,
    detail:
      /not valid for this SCIM base URL|another organization|Authentication required|Authorization header/,
    blocking: true,
    hint: "The identity provider's token is not one of this organization's: check its tenant URL and secret token (or OAuth client) against the portal.",
  },
  {
    status: 429,
    detail: /Too many requests/,
    hint: 'The identity provider exceeded the rate limit; it retries on its own. If this persists, lower its concurrency or ask the operator to raise the SCIM rate limits.',
  },
];

function knownKind(status: number, scimType: string | null, detail: string | null) {
  return HINTS.find(
    (h) => h.status === status && (!h.scimType || h.scimType === scimType) && h.detail.test(detail ?? ''),
  );
}

export function fixHint(status: number, scimType: string | null, detail: string | null): string | null {
  return knownKind(status, scimType, detail)?.hint ?? null;
}

/** Whether a refusal turns away every request of its kind until a setting changes. */
export function isBlocking(status: number, scimType: string | null, detail: string | null): boolean {
  return knownKind(status, scimType, detail)?.blocking === true;
}

export interface FailureRow {
  at: Date;
  status: number;
  scim_type: string | null;
  detail: string | null;
  request_id: string;
  /** `api_key:<id>`, `oauth_client:<client id>`, or '' before a credential was accepted. */
  credential: string;
  resource_type: string | null;
}

/** The last success per credential and resource type (`credential` '' never has one). */
export interface SuccessRow {
  credential: string;
  resource_type: string | null;
  last_success: Date;
}

/**
 * The credentials with a blocking refusal since `since` that no later success of the same resource
 * type through the same credential has cleared ('' for refusals before a credential was accepted,
 * which any later success clears: the identity provider then got through). Failures newest first.
 */
export function blockedCredentials(
  failures: FailureRow[],
  successes: SuccessRow[],
  since: Date,
): Set<string> {
  const lastSuccess = (credential: string, resourceType: string | null) =>
    successes
      .filter(
        (s) =>
          (credential === '' || s.credential === credential) &&
          (credential === '' || s.resource_type === resourceType),
      )
      .reduce((latest, s) => Math.max(latest, new Date(s.last_success).getTime()), 0);
  const blocked = new Set<string>();
  for (const row of failures) {
    const at = new Date(row.at).getTime();
    if (at < since.getTime() || blocked.has(row.credential)) continue;
    if (
      isBlocking(row.status, row.scim_type, row.detail) &&
      at > lastSuccess(row.credential, row.resource_type)
    )
      blocked.add(row.credential);
  }
  return blocked;
}

export interface FailureKind {
  status: number;
  scimType: string | null;
  detail: string;
  count: number;
  lastAt: Date;
  exampleRequestId: string;
  hint: string | null;
  blocking: boolean;
}

/** Groups failures (newest first) by status, scimType and normalized detail; the most frequent first. */
export function failureKinds(rows: FailureRow[]): FailureKind[] {
  const kinds = new Map<string, FailureKind>();
  for (const row of rows) {
    const detail = normalizeDetail(row.detail);
    const key = JSON.stringify([row.status, row.scim_type, detail]);
    const kind = kinds.get(key);
    if (kind) {
      kind.count += 1;
      continue;
    }
    kinds.set(key, {
      status: row.status,
      scimType: row.scim_type,
      detail,
      count: 1,
      lastAt: new Date(row.at),
      exampleRequestId: row.request_id,
      hint: fixHint(row.status, row.scim_type, row.detail),
      blocking: isBlocking(row.status, row.scim_type, row.detail),
    });
  }
  return [...kinds.values()].sort((a, b) => b.count - a.count || b.lastAt.getTime() - a.lastAt.getTime());
}
