/** Between a `members` row and the SCIM User representation (RFC 7643 §4.1). */
import type { MemberRow } from '@roster/db';
import type { ResourceData } from '@roster/scim-core/resource';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from '@roster/scim-core/schema';
import { etagOf } from '../http/etag.js';

export interface GroupReference {
  value: string;
  display: string;
  $ref: string;
  type: 'direct';
}

export function userToScim(
  row: MemberRow,
  baseUrl: string,
  groups: GroupReference[] | undefined,
): Record<string, unknown> {
  const { [ENTERPRISE_USER_SCHEMA]: enterprise, ...core } = row.data as ResourceData;
  return {
    schemas: enterprise ? [USER_SCHEMA, ENTERPRISE_USER_SCHEMA] : [USER_SCHEMA],
    id: row.id,
    ...core,
    ...(groups && groups.length > 0 ? { groups } : {}),
    ...(enterprise ? { [ENTERPRISE_USER_SCHEMA]: enterprise } : {}),
    meta: {
      resourceType: 'User',
      created: new Date(row.created_at).toISOString(),
      lastModified: new Date(row.updated_at).toISOString(),
      location: `${baseUrl}/Users/${row.id}`,
      version: etagOf(row.version),
    },
  };
}
