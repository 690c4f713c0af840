/** The URLs the portal shows and redirects to, all built from one public origin (`originOf`, @roster/observability/public-origin). */

/** The URLs the portal shows, for the request's origin (`https://roster.example.com`). */
export function identityUrls(origin: string, slug: string) {
  return {
    scimEndpointUrl: `${origin}/scim/v2/${slug}`,
    apiKeysUrl: `${origin}/api/v1/orgs/${slug}/api-keys`,
    tokenEndpoint: `${origin}/oauth/${slug}/token`,
    authorizationEndpoint: `${origin}/oauth/${slug}/authorize`,
    ssoUrl: `${origin}/api/v1/orgs/${slug}/identity/sso`,
    provisioningUrl: `${origin}/api/v1/orgs/${slug}/identity/provisioning`,
    organizationUrl: `${origin}/api/v1/orgs/${slug}`,
    signInUrl: `${origin}/sso/${slug}/login`,
    redirectUri: `${origin}/sso/${slug}/callback`,
    /** Also Roster's SAML entity id. */
    samlMetadataUrl: `${origin}/sso/${slug}/saml/metadata`,
    samlAcsUrl: `${origin}/sso/${slug}/saml/acs`,
  };
}

export type IdentityUrls = ReturnType<typeof identityUrls>;
