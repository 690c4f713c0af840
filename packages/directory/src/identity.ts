/**
 * An organization's identity configuration: SSO settings and provisioning settings
 * (docs/reference/product.md#the-administrators-flow). One row per organization, created on first write; absent means "all off".
 */
import type {
  Database,
  IdentityConfigRow,
  OidcUserNameClaim,
  Plan,
  ProvisioningMode,
  ScimAuthMethod,
  SignInMethod,
} from '@roster/db';
import type { Kysely } from 'kysely';
import { inTransaction, notifyCredentialChange } from './credential-cache.js';
import { updateOrganization } from './organizations.js';

type Db = Kysely<Database>;

export interface IdentityConfig {
  ssoEnabled: boolean;
  /** The protocol members sign in with: OpenID Connect, or SAML 2.0. */
  ssoProtocol: SignInMethod;
  oidcIssuer: string | null;
  oidcClientId: string | null;
  /** Sealed with the server's secret key; opened only to talk to the IdP. */
  oidcClientSecretEncrypted: string | null;
  /** The one ID token claim matched against userName (email only when email_verified is true). */
  oidcUserNameClaim: OidcUserNameClaim;
  provisioningMode: ProvisioningMode;
  scimEnabled: boolean;
  scimAuthMethod: ScimAuthMethod;
  provisionExistingUsers: boolean;
  syncGroups: boolean;
  oauthClientId: string | null;
  /** Where the authorization-code grant may send its code (registered by the administrator). */
  oauthRedirectUris: string[];
  /** The SAML identity provider's single sign-on URL (HTTP-Redirect binding). */
  samlEntryPoint: string | null;
  /** Its entity id, the Issuer of its responses; any issuer when null. */
  samlIdpEntityId: string | null;
  /** Its signing certificate (PEM): responses and assertions are checked against it. */
  samlIdpCertificate: string | null;
  /** The one SAML attribute matched against userName; null: the NameID. */
  samlUserNameAttribute: string | null;
}

/**
 * The issuer members' sign-in bindings belong to: the OIDC issuer, or the SAML IdP's entity id
 * (null: any). When it changes, the bindings no longer mean anything and the portal clears them.
 */
export const signInIssuer = (config: IdentityConfig): string | null =>
  config.ssoProtocol === 'oidc' ? config.oidcIssuer : config.samlIdpEntityId;

/** What decides, on every SCIM request, whether and how an identity provider may provision. */
export interface ScimSwitches {
  plan: Plan;
  scimEnabled: boolean;
  scimAuthMethod: ScimAuthMethod;
  provisionExistingUsers: boolean;
  syncGroups: boolean;
}

/** What to select for `scimSwitches`, from `organizations as o` left-joined with `identity_configs as c`. */
export const SCIM_SWITCH_COLUMNS = [
  'o.plan',
  'c.scim_enabled',
  'c.scim_auth_method',
  'c.provision_existing_users',
  'c.sync_groups',
] as const;

/** The switches from a row joining organizations with a (possibly absent) identity_configs row. */
export function scimSwitches(row: {
  plan: Plan;
  scim_enabled: boolean | null;
  scim_auth_method: ScimAuthMethod | null;
  provision_existing_users: boolean | null;
  sync_groups: boolean | null;
}): ScimSwitches {
  return {
    plan: row.plan,
    scimEnabled: row.scim_enabled ?? false,
    scimAuthMethod: row.scim_auth_method ?? 'http_header',
    provisionExistingUsers: row.provision_existing_users ?? false,
    syncGroups: row.sync_groups ?? false,
  };
}

export const DEFAULT_IDENTITY_CONFIG: IdentityConfig = Object.freeze({
  ssoEnabled: false,
  ssoProtocol: 'oidc',
  oidcIssuer: null,
  oidcClientId: null,
  oidcClientSecretEncrypted: null,
  oidcUserNameClaim: 'email',
  provisioningMode: 'manual',
  scimEnabled: false,
  scimAuthMethod: 'http_header',
  provisionExistingUsers: false,
  syncGroups: false,
  oauthClientId: null,
  oauthRedirectUris: [],
  samlEntryPoint: null,
  samlIdpEntityId: null,
  samlIdpCertificate: null,
  samlUserNameAttribute: null,
});

const fromRow = (row: IdentityConfigRow): IdentityConfig => ({
  ssoEnabled: row.sso_enabled,
  ssoProtocol: row.sso_protocol,
  oidcIssuer: row.oidc_issuer,
  oidcClientId: row.oidc_client_id,
  oidcClientSecretEncrypted: row.oidc_client_secret_encrypted,
  oidcUserNameClaim: row.oidc_user_name_claim,
  provisioningMode: row.provisioning_mode,
  scimEnabled: row.scim_enabled,
  scimAuthMethod: row.scim_auth_method,
  provisionExistingUsers: row.provision_existing_users,
  syncGroups: row.sync_groups,
  oauthClientId: row.oauth_client_id,
  oauthRedirectUris: row.oauth_redirect_uris,
  samlEntryPoint: row.saml_entry_point,
  samlIdpEntityId: row.saml_idp_entity_id,
  samlIdpCertificate: row.saml_idp_certificate,
  samlUserNameAttribute: row.saml_user_name_attribute,
});

/** The organization's configuration; `forUpdate` locks it so concurrent changes serialise. */
export async function getIdentityConfig(
  db: Db,
  orgId: string,
  options: { forUpdate?: boolean } = {},
): Promise<IdentityConfig> {
  let query = db.selectFrom('identity_configs').selectAll().where('org_id', '=', orgId);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? fromRow(row) : { ...DEFAULT_IDENTITY_CONFIG, oauthRedirectUris: [] };
}

/**
 * Writes the whole configuration (callers check preconditions first); every process's credential
 * cache hears of it at commit (the SCIM switches, the auth method, the OAuth client).
 */
export async function saveIdentityConfig(
  db: Db,
  orgId: string,
  config: IdentityConfig,
): Promise<IdentityConfig> {
  const values = {
    sso_enabled: config.ssoEnabled,
    oidc_issuer: config.oidcIssuer,
    oidc_client_id: config.oidcClientId,
    oidc_client_secret_encrypted: config.oidcClientSecretEncrypted,
    provisioning_mode: config.provisioningMode,
    scim_enabled: config.scimEnabled,
    scim_auth_method: config.scimAuthMethod,
    provision_existing_users: config.provisionExistingUsers,
    sync_groups: config.syncGroups,
    oauth_client_id: config.oauthClientId,
    oauth_redirect_uris: config.oauthRedirectUris,
    sso_protocol: config.ssoProtocol,
    saml_entry_point: config.samlEntryPoint,
    saml_idp_entity_id: config.samlIdpEntityId,
    saml_idp_certificate: config.samlIdpCertificate,
    oidc_user_name_claim: config.oidcUserNameClaim,
    saml_user_name_attribute: config.samlUserNameAttribute,
    updated_at: new Date(),
  };
  return inTransaction(db, async (trx) => {
    const row = await trx
      .insertInto('identity_configs')
      .values({ org_id: orgId, ...values })
      .onConflict((oc) => oc.column('org_id').doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
    await notifyCredentialChange(trx, orgId);
    return fromRow(row);
  });
}

/**
 * Leaves an organization as an administrator does after the whole flow of docs/reference/product.md#the-administrators-flow with the
 * HTTP Header method and group sync: SSO enabled, RBAC on, identity-provider mode, SCIM on, groups
 * synced. For set-up code (the demo, tests, the operator CLI); the portal API checks each
 * precondition instead.
 */
export async function enableScimProvisioning(
  db: Db,
  orgId: string,
  sso: { issuer: string; clientId: string } = { issuer: 'https://login.example.com', clientId: 'roster' },
): Promise<IdentityConfig> {
  await updateOrganization(db, orgId, { rbacEnabled: true });
  const current = await getIdentityConfig(db, orgId);
  return saveIdentityConfig(db, orgId, {
    ...current,
    ssoEnabled: true,
    oidcIssuer: current.oidcIssuer ?? sso.issuer,
    oidcClientId: current.oidcClientId ?? sso.clientId,
    provisioningMode: 'identity_provider',
    scimEnabled: true,
    scimAuthMethod: 'http_header',
    syncGroups: true,
  });
}
