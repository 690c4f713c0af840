/**
 * The audit trail of provisioning (docs/reference/product.md#audit): every SCIM write records, in its own
 * transaction, which credential made it, through which identity provider, and what changed; and
 * the change's provisioning events (docs/events.md), in the same statement as its audit entry.
 */
import type { Database, EventActor } from '@roster/db';
import { type AuditEvent, auditEventInsert, recordAuditEvent } from '@roster/directory/audit';
import { appendEvents, type NewEvent } from '@roster/events';
import type { Kysely } from 'kysely';
import type { Tenant } from '../auth/tenant.js';

/**
 * Which identity provider is calling, as far as it says so. Neither Entra nor Ping documents its
 * User-Agent (docs/reference/entra.md#headers: not documented), so known names are recognised and anything
 * else is kept as sent, shortened.
 */
export function idpOf(userAgent: string): string | undefined {
  if (!userAgent) return undefined;
  if (/entra|azure|microsoft|aad/i.test(userAgent)) return 'entra';
  if (/ping/i.test(userAgent)) return 'ping';
  return userAgent.slice(0, 100);
}

/** Who made a SCIM change, as its events name them: the credential, and an API key's name. */
export function scimActor(tenant: Tenant): EventActor {
  return {
    ...tenant.credential,
    ...(tenant.credentialName !== undefined ? { label: tenant.credentialName } : {}),
  };
}

/**
 * Records a change in the audit trail and appends its events, in one statement: every SCIM write
 * calls it as its last write, which the events' append requires (packages/events).
 */
export async function recordScimChange(
  trx: Kysely<Database>,
  tenant: Tenant,
  action: string,
  target: { type: 'member' | 'group'; id: string },
  changes?: Record<string, unknown>,
  events: readonly NewEvent[] = [],
): Promise<void> {
  const audit: AuditEvent = {
    orgId: tenant.orgId,
    actor: tenant.credential,
    idp: tenant.idp,
    action,
    target,
    changes,
  };
  if (events.length === 0) return recordAuditEvent(trx, audit);
  await appendEvents(trx, tenant.orgId, events, { alongside: [auditEventInsert(trx, audit)] });
}

/** The top-level attributes whose values differ (names only: the audit trail holds no profile data). */
export function changedAttributes(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name])).sort();
}
