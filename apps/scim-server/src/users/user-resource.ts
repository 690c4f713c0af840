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

/** The indexed columns derived from a user's SCIM data; the data stays the source of truth. */
export function userColumns(data: ResourceData) {
  return {
    user_name: String(data.userName),
    external_id: typeof data.externalId === 'string' ? data.externalId : null,
    display_name: typeof data.displayName === 'string' ? data.displayName : null,
    active: data.active !== false,
  };
}

/** The email rows that make `emails` filters index lookups. */
export function emailRows(orgId: string, memberId: string, data: ResourceData) {
  const emails = Array.isArray(data.emails) ? (data.emails as Record<string, unknown>[]) : [];
  return emails.flatMap((email, position) =>
    typeof email.value === 'string'
      ? [
          {
            org_id: orgId,
            member_id: memberId,
            position,
            value: email.value,
            type: typeof email.type === 'string' ? email.type : null,
          },
        ]
      : [],
  );
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
