/**
 * Members (SCIM Users) as stored: the SCIM document is the source of truth; the scalar columns
 * and the email rows are indexed copies derived from it here, and only here, for every writer
 * (the SCIM service, the portal API, the demo set-up).
 */
import type { Database, ManagedBy, MemberRow, Role } from '@roster/db';
import { type Kysely, sql, type Transaction } from 'kysely';

type Db = Kysely<Database>;
/** A member's canonical SCIM attributes (see @roster/scim-core/resource). */
export type MemberData = Record<string, unknown>;

/** The indexed columns derived from a member's SCIM data. */
export function memberColumns(data: MemberData) {
  return {
    user_name: String(data.userName),
    external_id: typeof data.externalId === 'string' ? data.externalId : null,
    display_name: typeof data.displayName === 'string' ? data.displayName : null,
    active: data.active !== false,
  };
}

/** The email rows that make `emails` filters index lookups. */
export function emailRows(orgId: string, memberId: string, data: MemberData) {
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

export async function insertMember(
  trx: Transaction<Database>,
  member: { orgId: string; id: string; data: MemberData; role?: Role; managedBy?: ManagedBy },
): Promise<MemberRow> {
  const row = await trx
    .insertInto('members')
    .values({
      org_id: member.orgId,
      id: member.id,
      ...memberColumns(member.data),
      ...(member.role ? { role: member.role } : {}),
      ...(member.managedBy ? { managed_by: member.managedBy } : {}),
      data: JSON.stringify(member.data),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const emails = emailRows(member.orgId, member.id, member.data);
  if (emails.length > 0) await trx.insertInto('member_emails').values(emails).execute();
  return row;
}

/** Writes a member's new SCIM data (and its derived columns), bumping the version. */
export async function updateMemberData(
  trx: Transaction<Database>,
  orgId: string,
  id: string,
  data: MemberData,
  emailsChanged: boolean,
): Promise<MemberRow> {
  const row = await trx
    .updateTable('members')
    .set({
      ...memberColumns(data),
      data: JSON.stringify(data),
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (emailsChanged) {
    await trx.deleteFrom('member_emails').where('org_id', '=', orgId).where('member_id', '=', id).execute();
    const emails = emailRows(orgId, id, data);
    if (emails.length > 0) await trx.insertInto('member_emails').values(emails).execute();
  }
  return row;
}

export async function findMember(db: Db, orgId: string, id: string, options: { forUpdate?: boolean } = {}) {
  let query = db.selectFrom('members').selectAll().where('org_id', '=', orgId).where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}
