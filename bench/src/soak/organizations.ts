/**
 * The soak's organizations, one per simulated IdP: Entra ID in both of its PATCH modes, PingOne
 * and PingFederate. All but one authenticate with a system key (the HTTP Header method); the
 * Entra default-mode one uses OAuth 2.0 client credentials, set up through the portal API as an
 * administrator does it, so the soak also exercises discovery and the token endpoint (each round
 * is a new provisioning job, which gets a new token).
 */

import { RosterPortal } from '@roster/conformance/portal';
import type { IdpProfile, TargetCredentials } from '@roster/conformance/run';
import type { Database } from '@roster/db';
import { createFirstManager } from '@roster/directory/api-keys';
import { createOrganization } from '@roster/directory/organizations';
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
    const target = plan.oauth
      ? await setUpOAuth(db, origin, plan.slug)
      : await setUpSystemKey(db, origin, plan.slug);
    organizations.push({
      slug: plan.slug,
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
 * SSO, RBAC, identity-provider mode, SCIM and group sync on, and a system key: the HTTP Header
 * method. Like every onboarded organization it has a portal manager (the administrator): without
 * one, the first user the IdP makes a manager would become the only one, and the IdP's deletion
 * of that user would be refused (no SCIM write may leave an organization without a manager).
 */
async function setUpSystemKey(
  db: Kysely<Database>,
  origin: string,
  slug: string,
): Promise<TargetCredentials> {
  const org = await createBenchOrganization(db, slug);
  await createFirstManager(db, org.id, `admin@${slug}.example.com`);
  return { baseUrl: `${origin}/scim/v2/${slug}`, token: org.token };
}

/**
 * The administrator's set-up with the OAuth 2.0 method (docs/setup-entra.md), through the portal
 * API as the conformance sessions do it: what comes back is the client's id, its secret (shown
 * once) and the token endpoint, as the admin types them into the IdP.
 */
async function setUpOAuth(db: Kysely<Database>, origin: string, slug: string): Promise<TargetCredentials> {
  const org = await createOrganization(db, { slug });
  const manager = await createFirstManager(db, org.id, `admin@${slug}.example.com`);
  return new RosterPortal({ origin, org: slug, managerKey: manager.token }).setUpProvisioning('oauth2');
}
