/** Between a `members` row and the SCIM User representation (RFC 7643 §4.1). */
import type { MemberRow } from '@roster/db';
import type { GroupOfMember } from '@roster/directory/scim';
import type { ResourceData } from '@roster/scim-core/resource';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from '@roster/scim-core/schema';
import { etagOf } from '../versions.js';

export function userToScim(
  row: MemberRow,
  baseUrl: string,
  groups: GroupOfMember[] | undefined,
): Record<string, unknown> {
  const { [ENTERPRISE_USER_SCHEMA]: enterprise, ...core } = row.data as ResourceData;
  return {
    schemas: enterprise ? [USER_SCHEMA, ENTERPRISE_USER_SCHEMA] : [USER_SCHEMA],
    id: row.id,
    ...core,
    ...(groups && groups.length > 0
      ? {
          groups: groups.map((g) => ({
            value: g.id,
            display: g.display_name,
            $ref: `${baseUrl}/Groups/${g.id}`,
            type: 'direct',
          })),
        }
      : {}),
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
