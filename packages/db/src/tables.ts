/** Kysely table types: the shape of each table as the application sees it. */
import type { ColumnType, Generated, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<Record<string, unknown>, string, string>;

export type Plan = 'free' | 'team' | 'enterprise';
export type Role = 'basic' | 'manager';
export type ManagedBy = 'portal' | 'scim';

export interface OrganizationsTable {
  id: string;
  slug: string;
  name: string;
  plan: ColumnType<Plan, Plan | undefined, Plan>;
  rbac_enabled: Generated<boolean>;
  /** The organization the demo of `npm start` created (the only one it ever uses). */
  demo: Generated<boolean>;
  created_at: Timestamp;
}

export interface ApiKeysTable {
  org_id: string;
  id: string;
  kind: 'system' | 'personal';
  name: string;
  scopes: string[];
  secret_hash: string;
  member_id: string | null;
  created_at: Timestamp;
  last_used_at: Date | null;
  revoked_at: Date | null;
  /** Refused from this time on; null: never expires. */
  expires_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface MembersTable {
  org_id: string;
  id: string;
  user_name: string;
  external_id: string | null;
  display_name: string | null;
  active: Generated<boolean>;
  role: Generated<Role>;
  managed_by: Generated<ManagedBy>;
  data: Json;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MemberEmailsTable {
  org_id: string;
  member_id: string;
  position: number;
  value: string;
  type: string | null;
}

export interface GroupsTable {
  org_id: string;
  id: string;
  display_name: string;
  external_id: string | null;
  role: Role | null;
  managed_by: Generated<ManagedBy>;
  data: Json;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface GroupMembersTable {
  org_id: string;
  group_id: string;
  member_id: string;
  display: string | null;
  created_at: Timestamp;
}

export type ProvisioningMode = 'manual' | 'identity_provider';
export type ScimAuthMethod = 'http_header' | 'oauth2';

export interface IdentityConfigsTable {
  org_id: string;
  sso_enabled: Generated<boolean>;
  oidc_issuer: string | null;
  oidc_client_id: string | null;
  oidc_client_secret_encrypted: string | null;
  provisioning_mode: Generated<ProvisioningMode>;
  scim_enabled: Generated<boolean>;
  scim_auth_method: Generated<ScimAuthMethod>;
  provision_existing_users: Generated<boolean>;
  sync_groups: Generated<boolean>;
  oauth_client_id: string | null;
  oauth_redirect_uris: ColumnType<string[], string[] | undefined, string[]>;
  sso_protocol: ColumnType<SignInMethod, SignInMethod | undefined, SignInMethod>;
  saml_entry_point: string | null;
  saml_idp_entity_id: string | null;
  saml_idp_certificate: string | null;
  oidc_user_name_claim: ColumnType<OidcUserNameClaim, OidcUserNameClaim | undefined, OidcUserNameClaim>;
  /** The SAML attribute holding the userName; null: the NameID. */
  saml_user_name_attribute: string | null;
  updated_at: Timestamp;
}

/** The one ID token claim matched against a member's userName. */
export type OidcUserNameClaim = 'email' | 'preferred_username' | 'upn';

/** A member's identity provider account, bound at their first sign-in. */
export interface MemberSignInBindingsTable {
  org_id: string;
  member_id: string;
  issuer: string;
  subject: string;
  bound_at: Timestamp;
}

export interface OAuthAuthorizationCodesTable {
  org_id: string;
  code_hash: string;
  client_id: string;
  redirect_uri: string;
  code_challenge: string;
  scope: string;
  approved_by: string;
  expires_at: Timestamp;
  used_at: Date | null;
  /** The refresh-token family the exchange started: revoked if the code is replayed. */
  family_id: string | null;
  /** Whether /authorize was sent the redirect_uri; then the exchange must repeat it. */
  redirect_uri_sent: ColumnType<boolean, boolean | undefined, boolean>;
}

/** An OAuth client's secrets: at most two live, so that an identity provider can move to a new one. */
export interface OAuthClientSecretsTable {
  org_id: string;
  id: string;
  secret_hash: string;
  created_at: Timestamp;
  expires_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface OAuthRefreshTokensTable {
  org_id: string;
  id: string;
  secret_hash: string;
  client_id: string;
  scope: string;
  approved_by: string | null;
  created_at: Timestamp;
  last_used_at: Date | null;
  revoked_at: Date | null;
  /** One approval's chain of rotated tokens. */
  family_id: string;
  expires_at: Timestamp;
  /** When it was exchanged for its successor; presenting it again revokes the family. */
  used_at: Date | null;
}

export type SignInMethod = 'oidc' | 'saml';

/** How a portal session started: single sign-on, or the operator's one-time setup link. */
export type SessionMethod = SignInMethod | 'setup_link';

export interface PortalSessionsTable {
  org_id: string;
  id: string;
  secret_hash: string;
  member_id: string;
  method: SessionMethod;
  created_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Date | null;
}

/** One-time links that sign a manager in (onboarding, break-glass); single use, short-lived. */
export interface SetupLinksTable {
  org_id: string;
  id: string;
  secret_hash: string;
  member_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Date | null;
}

export interface SamlUsedAssertionsTable {
  org_id: string;
  assertion_id: string;
  expires_at: Timestamp;
}

export type SsoSignInTestStatus = 'pending' | 'succeeded' | 'failed';

/** A manager's "Test sign-in" (2026_12_08_0090): its state while pending, then its outcome. */
export interface SsoSignInTestsTable {
  org_id: string;
  id: string;
  member_id: string;
  protocol: SignInMethod;
  status: Generated<SsoSignInTestStatus>;
  /** Succeeded: the asserted identity; failed: { code, message }. */
  outcome: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  created_at: Timestamp;
  expires_at: Timestamp;
  completed_at: Timestamp | null;
}

export type ActorType = 'member' | 'api_key' | 'oauth_client' | 'system';

export interface AuditEventsTable {
  org_id: string;
  id: string;
  seq: Generated<number>;
  occurred_at: Timestamp;
  actor_type: ActorType;
  actor_id: string | null;
  idp: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  changes: ColumnType<Record<string, unknown> | null, string | null, string | null>;
}

/** Requests counted in one fixed window, for one organization or one of its credentials. */
export interface RateLimitWindowsTable {
  org_id: string;
  /** `organization`, or the credential: `api_key:<id>`, `oauth_client:<client id>`. */
  bucket: string;
  window_start: Timestamp;
  hits: number;
}

/** One SCIM request that reached an organization, and its outcome (no bodies, no secrets). */
export interface ProvisioningActivityTable {
  org_id: string;
  id: Generated<string>;
  at: Timestamp;
  request_id: string;
  credential_type: 'api_key' | 'oauth_client' | null;
  credential_id: string | null;
  idp: string | null;
  method: string;
  resource_type: string | null;
  resource_id: string | null;
  status: number;
  scim_type: string | null;
  detail: string | null;
  duration_ms: number;
}

/** Requests and failures in one minute, per organization and credential (`api_key:<id>`, or '' when none was identified). */
export interface ProvisioningMinutesTable {
  org_id: string;
  credential: string;
  minute: Timestamp;
  requests: number;
  failures: number;
  /** Exact times within the minute (null on rows written before they were kept). */
  last_at: Timestamp | null;
  last_success_at: Timestamp | null;
  last_failure_at: Timestamp | null;
}

/** Each organization's event counter: the last sequence number handed out. */
export interface EventSequencesTable {
  org_id: string;
  last_sequence: number;
}

/** Who made a change an event reports: the IdP's credential, a portal member, or Roster itself. */
export interface EventActor {
  type: 'api_key' | 'oauth_client' | 'member' | 'system';
  id: string;
  label?: string;
}

/** The outbox: one row per change, numbered 1, 2, 3 … per organization in commit order. */
export interface EventsTable {
  org_id: string;
  sequence: number;
  id: string;
  type: string;
  occurred_at: Timestamp;
  actor: ColumnType<EventActor, string, string>;
  data: Json;
}

/** A webhook endpoint of an organization; its signing secret sealed (never stored in clear). */
export interface WebhookEndpointsTable {
  org_id: string;
  id: string;
  url: string;
  description: Generated<string>;
  /** Event types sent; empty: every type. */
  event_types: ColumnType<string[], string[] | undefined, string[]>;
  enabled: Generated<boolean>;
  /** `whsec_…`, sealed with the server key (@roster/auth/secret-box). */
  secret_sealed: string;
  /** The last event sequence of the organization scheduled for delivery to it. */
  cursor_sequence: ColumnType<number, number | undefined, number>;
  /** Since when every attempt has failed; null after a success. */
  failing_since: Date | null;
  disabled_reason: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** One event to send to one endpoint, until delivered or given up. */
export interface WebhookDeliveriesTable {
  org_id: string;
  id: Generated<number>;
  endpoint_id: string;
  event_sequence: number;
  state: ColumnType<
    'pending' | 'delivered' | 'failed',
    'pending' | undefined,
    'pending' | 'delivered' | 'failed'
  >;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  lease_expires_at: Date | null;
  created_at: Timestamp;
  /** Retried until this is a retry window old; restarted when the endpoint is enabled again. */
  retrying_since: Timestamp;
  delivered_at: Date | null;
}

/** One attempt at a delivery: its status (null: no response), duration, error, a prefix of the body. */
export interface WebhookAttemptsTable {
  org_id: string;
  delivery_id: number;
  attempt: number;
  attempted_at: Timestamp;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  response_prefix: string | null;
}

export interface Database {
  organizations: OrganizationsTable;
  api_keys: ApiKeysTable;
  members: MembersTable;
  member_emails: MemberEmailsTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  identity_configs: IdentityConfigsTable;
  audit_events: AuditEventsTable;
  oauth_authorization_codes: OAuthAuthorizationCodesTable;
  oauth_refresh_tokens: OAuthRefreshTokensTable;
  oauth_client_secrets: OAuthClientSecretsTable;
  portal_sessions: PortalSessionsTable;
  saml_used_assertions: SamlUsedAssertionsTable;
  sso_sign_in_tests: SsoSignInTestsTable;
  setup_links: SetupLinksTable;
  rate_limit_windows: RateLimitWindowsTable;
  member_sign_in_bindings: MemberSignInBindingsTable;
  provisioning_activity: ProvisioningActivityTable;
  provisioning_minutes: ProvisioningMinutesTable;
  event_sequences: EventSequencesTable;
  events: EventsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
}

export type OrganizationRow = Selectable<OrganizationsTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type MemberRow = Selectable<MembersTable>;
export type GroupRow = Selectable<GroupsTable>;
export type IdentityConfigRow = Selectable<IdentityConfigsTable>;
export type OAuthClientSecretRow = Selectable<OAuthClientSecretsTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
