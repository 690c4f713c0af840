/**
 * The operator's onboarding (docs/operations.md, "Onboarding a customer"): an organization is
 * created with SCIM off and no SSO, with its first manager, who gets a one-time setup link to
 * sign in and configure SSO, then provisioning. The same link is the operator's break-glass for
 * a manager locked out (create-manager). The plan is commercial and only the operator sets it.
 * Every change is audited with the system as its actor, and a member's creation or change makes
 * its provisioning event (docs/events.md) as the operator: the system.
 */
import { randomUUID } from 'node:crypto';
import { type Database, type OrganizationRow, type Plan, uniqueViolation } from '@roster/db';
import { recordAuditEvent } from '@roster/directory/audit';
import { getIdentityConfig } from '@roster/directory/identity';
import { findMember, insertMember, portalMemberData, updateMemberData } from '@roster/directory/members';
import {
  createOrganization,
  findOrganizationBySlug,
  updateOrganization,
} from '@roster/directory/organizations';
import { findMembersForSignIn } from '@roster/directory/sessions';
import { createSetupLink } from '@roster/directory/setup-links';
import { appendEvents, memberChangeEvents, type NewEvent } from '@roster/events';
import type { Config } from '@roster/scim-server/bootstrap';
import type { Kysely, Transaction } from 'kysely';

type Db = Kysely<Database>;

/** The operator's changes, as provisioning events name their actor. */
const OPERATOR = { type: 'system', id: 'operator' } as const;

export const PLANS: readonly Plan[] = ['free', 'team', 'enterprise'];

/** A refusal the operator can act on: the CLI prints its message and exits 1. */
export class OperatorError extends Error {}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface SetupLink {
  url: string;
  expiresAt: Date;
}

/** Where links printed for people point: PUBLIC_URL when set, else this machine's port. */
export function externalOrigin(config: Pick<Config, 'publicUrl' | 'port'>): string {
  return config.publicUrl ? config.publicUrl.href.replace(/\/+$/, '') : `http://localhost:${config.port}`;
}

export function setupLinkUrl(origin: string, slug: string, token: string): string {
  return `${origin}/sso/${slug}/setup/${token}`;
}

function checkEmail(email: string): string {
  const trimmed = email.trim();
  if (!EMAIL.test(trimmed)) throw new OperatorError(`"${email}" is not an email address.`);
  return trimmed;
}

export function checkPlan(plan: string): Plan {
  if (!(PLANS as readonly string[]).includes(plan)) {
    throw new OperatorError(`Unknown plan "${plan}": use one of ${PLANS.join(', ')}.`);
  }
  return plan as Plan;
}

async function issueLink(
  trx: Transaction<Database>,
  org: OrganizationRow,
  memberId: string,
  options: { origin: string; lifetimeSeconds: number },
): Promise<SetupLink> {
  const link = await createSetupLink(trx, {
    orgId: org.id,
    memberId,
    lifetimeSeconds: options.lifetimeSeconds,
  });
  await recordAuditEvent(trx, {
    orgId: org.id,
    actor: { type: 'system' },
    action: 'setup_link.created',
    target: { type: 'member', id: memberId },
    changes: { setupLinkId: link.id, expiresAt: link.expiresAt.toISOString() },
  });
  return { url: setupLinkUrl(options.origin, org.slug, link.token), expiresAt: link.expiresAt };
}

/**
 * A customer's organization: SCIM off, no SSO (its manager configures both, SSO first), its first
 * manager, and their one-time setup link; all or nothing.
 */
export async function onboardOrganization(
  db: Db,
  input: { slug: string; name?: string | undefined; plan: Plan; adminEmail: string },
  options: { origin: string; lifetimeSeconds: number },
): Promise<{ org: OrganizationRow; manager: { id: string; userName: string }; link: SetupLink }> {
  const email = checkEmail(input.adminEmail);
  try {
    return await db.transaction().execute(async (trx) => {
      const org = await createOrganization(trx, { slug: input.slug, name: input.name, plan: input.plan });
      await recordAuditEvent(trx, {
        orgId: org.id,
        actor: { type: 'system' },
        action: 'organization.created',
        target: { type: 'organization', id: org.id },
        changes: { slug: org.slug, name: org.name, plan: org.plan },
      });
      const manager = await insertMember(trx, {
        orgId: org.id,
        id: randomUUID(),
        data: portalMemberData(email),
        role: 'manager',
        managedBy: 'portal',
      });
      await recordAuditEvent(trx, {
        orgId: org.id,
        actor: { type: 'system' },
        action: 'member.created',
        target: { type: 'member', id: manager.id },
        changes: { userName: manager.user_name, role: 'manager' },
      });
      const link = await issueLink(trx, org, manager.id, options);
      // Last: the events' append holds the organization's counter until commit.
      await appendEvents(trx, org.id, memberChangeEvents(OPERATOR, undefined, manager));
      return { org, manager: { id: manager.id, userName: manager.user_name }, link };
    });
  } catch (error) {
    if (uniqueViolation(error) !== undefined) {
      throw new OperatorError(`An organization "${input.slug}" already exists: choose another slug.`);
    }
    if (error instanceof Error && /slug/.test(error.message)) throw new OperatorError(error.message);
    throw error;
  }
}

/**
 * Break-glass: makes the member with this email an active manager (creating them, portal-managed,
 * when there is none) and issues their one-time setup link, which replaces any earlier one.
 */
export async function ensureManager(
  db: Db,
  slug: string,
  adminEmail: string,
  options: { origin: string; lifetimeSeconds: number },
): Promise<{
  org: OrganizationRow;
  manager: { id: string; userName: string };
  change: 'created' | 'reactivated' | 'promoted' | 'unchanged';
  link: SetupLink;
}> {
  const email = checkEmail(adminEmail);
  return db.transaction().execute(async (trx) => {
    const org = await findOrganizationBySlug(trx, slug, { forUpdate: true });
    if (!org) throw new OperatorError(`No organization "${slug}".`);
    const found = await findMembersForSignIn(trx, org.id, email);
    if (found.length > 1) {
      throw new OperatorError(
        `More than one member of ${slug} has the userName ${email}, in different cases: remove the one that should not sign in, then retry.`,
      );
    }
    const existing = found[0] ? await findMember(trx, org.id, found[0].id, { forUpdate: true }) : undefined;
    let change: 'created' | 'reactivated' | 'promoted' | 'unchanged';
    let manager: { id: string; userName: string };
    let events: NewEvent[] = [];
    if (!existing) {
      const row = await insertMember(trx, {
        orgId: org.id,
        id: randomUUID(),
        data: portalMemberData(email),
        role: 'manager',
        managedBy: 'portal',
      });
      change = 'created';
      manager = { id: row.id, userName: row.user_name };
      events = memberChangeEvents(OPERATOR, undefined, row);
      await recordAuditEvent(trx, {
        orgId: org.id,
        actor: { type: 'system' },
        action: 'member.created',
        target: { type: 'member', id: row.id },
        changes: { userName: row.user_name, role: 'manager' },
      });
    } else {
      manager = { id: existing.id, userName: existing.user_name };
      change = !existing.active ? 'reactivated' : existing.role !== 'manager' ? 'promoted' : 'unchanged';
      if (change !== 'unchanged') {
        // The owner stays as it is: a member the identity provider manages is still its to change.
        const row = await updateMemberData(
          trx,
          org.id,
          existing.id,
          { ...existing.data, active: true },
          false,
          {
            role: 'manager',
          },
        );
        events = memberChangeEvents(OPERATOR, existing, row);
        await recordAuditEvent(trx, {
          orgId: org.id,
          actor: { type: 'system' },
          action: 'member.updated',
          target: { type: 'member', id: existing.id },
          changes: {
            ...(existing.active ? {} : { active: { from: false, to: true } }),
            ...(existing.role !== 'manager' ? { role: { from: existing.role, to: 'manager' } } : {}),
          },
        });
      }
    }
    const link = await issueLink(trx, org, manager.id, options);
    // Last: the events' append holds the organization's counter until commit.
    await appendEvents(trx, org.id, events);
    return { org, manager, change, link };
  });
}

/**
 * The plan, set by the operator. SCIM provisioning is part of Enterprise: leaving Enterprise while
 * it is on is refused, so an organization is never left provisioning on a plan without it.
 */
export async function setPlan(
  db: Db,
  slug: string,
  plan: Plan,
): Promise<{ org: OrganizationRow; from: Plan; to: Plan }> {
  return db.transaction().execute(async (trx) => {
    // Locked, so the check below holds until commit against the portal turning SCIM on (which
    // locks the same row first).
    const before = await findOrganizationBySlug(trx, slug, { forUpdate: true });
    if (!before) throw new OperatorError(`No organization "${slug}".`);
    if (plan !== 'enterprise' && (await getIdentityConfig(trx, before.id)).scimEnabled) {
      throw new OperatorError(
        `SCIM provisioning is on for ${slug}, and it is part of the Enterprise plan: its administrator first turns provisioning off (in the portal, PUT /api/v1/orgs/${slug}/identity/provisioning with "scimEnabled": false; the identity provider then stops provisioning), then set the plan again.`,
      );
    }
    const org = await updateOrganization(trx, before.id, { plan });
    if (before.plan !== plan) {
      await recordAuditEvent(trx, {
        orgId: org.id,
        actor: { type: 'system' },
        action: 'organization.updated',
        target: { type: 'organization', id: org.id },
        changes: { plan: { from: before.plan, to: plan } },
      });
    }
    return { org, from: before.plan, to: plan };
  });
}
