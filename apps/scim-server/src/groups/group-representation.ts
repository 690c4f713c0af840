/** Between a `groups` row (plus its membership rows) and the SCIM Group representation (RFC 7643 §4.2). */
import type { GroupRow } from '@roster/db';
import type { Membership } from '@roster/directory/scim';
import type { ResourceData } from '@roster/scim-core/resource';
import { GROUP_SCHEMA } from '@roster/scim-core/schema';
import { etagOf } from '../versions.js';

export function groupToScim(
  row: GroupRow,
  baseUrl: string,
  members: Membership[] | undefined,
): Record<string, unknown> {
  return {
    schemas: [GROUP_SCHEMA],
    id: row.id,
    ...(row.data as ResourceData),
    ...(members && members.length > 0
      ? {
          members: members.map((m) => ({
            value: m.member_id,
            ...(m.display !== null ? { display: m.display } : {}),
            $ref: `${baseUrl}/Users/${m.member_id}`,
            type: 'User',
          })),
        }
      : {}),
    meta: {
      resourceType: 'Group',
      created: new Date(row.created_at).toISOString(),
      lastModified: new Date(row.updated_at).toISOString(),
      location: `${baseUrl}/Groups/${row.id}`,
      version: etagOf(row.version),
    },
  };
}
