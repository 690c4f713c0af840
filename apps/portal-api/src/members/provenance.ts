/**
 * Which identity provider and credential provisioned a SCIM-managed member or group, so that a
 * read-only row can name who to change it in: read from the audit trail's latest `scim.*` event
 * of each row (one indexed query per page). Portal-managed rows have none.
 */
import type { Database, ManagedBy } from '@roster/db';
import { latestProvisioningChanges, type ProvisionedBy } from '@roster/directory/audit';
import type { Kysely } from 'kysely';

export type { ProvisionedBy };

export async function withProvenance<T extends { id: string; managed_by: ManagedBy }>(
  db: Kysely<Database>,
  orgId: string,
  type: 'member' | 'group',
  rows: T[],
): Promise<(T & { provisionedBy: ProvisionedBy | null })[]> {
  const scim = rows.filter((row) => row.managed_by === 'scim').map((row) => row.id);
  const found = await latestProvisioningChanges(db, orgId, type, scim);
  return rows.map((row) => ({ ...row, provisionedBy: found.get(row.id) ?? null }));
}

export async function oneWithProvenance<T extends { id: string; managed_by: ManagedBy }>(
  db: Kysely<Database>,
  orgId: string,
  type: 'member' | 'group',
  row: T,
): Promise<T & { provisionedBy: ProvisionedBy | null }> {
  const [result] = await withProvenance(db, orgId, type, [row]);
  return result as T & { provisionedBy: ProvisionedBy | null };
}
