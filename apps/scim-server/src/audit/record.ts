/**
 * The audit trail of provisioning (docs/reference/product.md#audit): every SCIM write records, in its own
 * transaction, which credential made it, through which identity provider, and what changed.
 */
import type { Database } from '@roster/db';
import { type AuditEvent, auditEventInsertFrom, recordAuditEvent } from '@roster/directory/audit';
import type { DependentInsert } from '@roster/directory/members';
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

/** The audit event of a SCIM change by this caller. */
function scimChange(
  tenant: Tenant,
  action: string,
  target: { type: 'member' | 'group'; id: string },
  changes?: Record<string, unknown>,
): AuditEvent {
  return { orgId: tenant.orgId, actor: tenant.credential, idp: tenant.idp, action, target, changes };
}

export function recordScimChange(
  trx: Kysely<Database>,
  tenant: Tenant,
  action: string,
  target: { type: 'member' | 'group'; id: string },
  changes?: Record<string, unknown>,
): Promise<void> {
  return recordAuditEvent(trx, scimChange(tenant, action, target, changes));
}

/** `recordScimChange` as a part of the write's own statement (see `DependentInsert`). */
export function scimChangeInsert(
  tenant: Tenant,
  action: string,
  target: { type: 'member' | 'group'; id: string },
  changes?: Record<string, unknown>,
): DependentInsert {
  return (source) => auditEventInsertFrom(source, scimChange(tenant, action, target, changes));
}

/** The top-level attributes whose values differ (names only: the audit trail holds no profile data). */
export function changedAttributes(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name])).sort();
}
