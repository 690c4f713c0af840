/** Identity and Access Management > Identity Configuration: SSO, then provisioning (docs/reference/product.md#the-administrators-flow). */
import type { Database } from '@roster/db';
import type { Kysely } from 'kysely';
import type { IdentityDeps } from './identity.service.js';
import { oauthAuthorizationRoutes } from './oauth-authorization.routes.js';
import { oauthClientSecretRoutes } from './oauth-client-secrets.routes.js';
import { provisioningRoutes } from './provisioning.routes.js';
import { ssoRoutes } from './sso.routes.js';
import { ssoTestRoutes } from './sso-test.routes.js';

export function identityRoutes(db: Kysely<Database>, deps: IdentityDeps) {
  return [
    ...ssoRoutes(db, deps),
    ...ssoTestRoutes(db),
    ...provisioningRoutes(db),
    ...oauthClientSecretRoutes(db),
    ...oauthAuthorizationRoutes(db),
  ];
}
