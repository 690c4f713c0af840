/**
 * The soak's organizations, one per simulated IdP: Entra ID in both of its PATCH modes, PingOne
 * and PingFederate. All but one authenticate with a system key (the HTTP Header method); the
 * Entra default-mode one uses OAuth 2.0 client credentials, set up through the portal API as an
 * administrator does it, so the soak also exercises discovery and the token endpoint (each round
 * is a new provisioning job, which gets a new token).
 */

import type { IdpProfile, TargetCredentials } from '@roster/conformance/run';
import type { Database } from '@roster/db';
import { createFirstManager } from '@roster/directory/api-keys';
import type { Kysely } from 'kysely';
import { createBenchOrganization } from '../environment/fixtures.js';

export interface SoakOrganization {
  slug: string;
  /** "Entra ID (aadOptscim062020)", "PingFederate, groups by PUT", … */
  label: string;
  /** Read from `target`, so a report saying OAuth means the simulator did use client credentials. */
  auth: 'token' | 'oauth';
  profile: IdpProfile;
  /** A system key (the HTTP Header method, which the background reads use too) or OAuth client credentials. */
  target: TargetCredentials;
  /** Ping's Remove Action during the round (the round's last cycle deletes in any case). */
  removeAction?: 'Disable' | 'Delete';
}

interface Plan {
  slug: string;
  label: string;
  profile: IdpProfile;
  oauth?: boolean;
  removeAction?: 'Disable' | 'Delete';
}

const PLANS: Plan[] = [
  {
    slug: 'soak-entra',
    label: 'Entra ID (aadOptscim062020)',
    profile: { idp: 'entra', mode: 'aadOptscim062020' },
  },
  {
    slug: 'soak-entra-oauth',
    label: 'Entra ID (default mode)',
    profile: { idp: 'entra', mode: 'default' },
    oauth: true,
  },
  {
    slug: 'soak-pingone',
    label: 'PingOne, groups by PATCH',
    profile: { idp: 'ping', profile: 'p1' },
    removeAction: 'Disable',
  },
  {
    slug: 'soak-pingfederate',
    label: 'PingFederate, groups by PUT',
    profile: { idp: 'ping', profile: 'pf' },
    removeAction: 'Delete',
  },
];

export async function createSoakOrganizations(
  db: Kysely<Database>,
  origin: string,
): Promise<SoakOrganization[]> {
  const organizations: SoakOrganization[] = [];
  for (const plan of PLANS) {
    // SSO, RBAC, identity-provider mode, SCIM and group sync on, and a system key: the HTTP Header method.
    const org = await createBenchOrganization(db, plan.slug);
    const target = plan.oauth
      ? await switchToOAuth(db, origin, org.id, org.slug)
      : { baseUrl: `${origin}/scim/v2/${org.slug}`, token: org.token };
    organizations.push({
      slug: org.slug,
      label: plan.label,
      auth: target.oauth ? 'oauth' : 'token',
      profile: plan.profile,
      target,
      ...(plan.removeAction ? { removeAction: plan.removeAction } : {}),
    });
  }
  return organizations;
}

/**
 * The administrator's switch to the OAuth 2.0 method (docs/setup-entra.md): a manager saves the
 * provisioning settings with `"authMethod": "oauth2"`, and the answer carries the client's id,
 * its secret (shown once) and the token endpoint.
 */
async function switchToOAuth(
  db: Kysely<Database>,
  origin: string,
  orgId: string,
  slug: string,
): Promise<TargetCredentials> {
  const manager = await createFirstManager(db, orgId, `admin@${slug}.example.com`);
  const response = await fetch(`${origin}/api/v1/orgs/${slug}/identity/provisioning`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${manager.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      mode: 'identity_provider',
      scimEnabled: true,
      authMethod: 'oauth2',
      provisionExistingUsers: false,
      syncGroups: true,
    }),
  });
  const body = (await response.json()) as {
    scimEndpointUrl?: string;
    oauth?: { clientId: string; clientSecret?: string; tokenEndpoint: string } | null;
  };
  const oauth = body.oauth;
  if (response.status !== 200 || !body.scimEndpointUrl || !oauth?.clientSecret) {
    throw new Error(`Switching ${slug} to OAuth: HTTP ${response.status} ${JSON.stringify(body)}`);
  }
  return {
    baseUrl: body.scimEndpointUrl,
    oauth: { clientId: oauth.clientId, clientSecret: oauth.clientSecret, tokenUrl: oauth.tokenEndpoint },
  };
}
