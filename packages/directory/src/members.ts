/**
 * Members (SCIM Users) as stored: the SCIM document is the source of truth; the scalar columns
 * and the email rows are indexed copies derived from it here, and only here, for every writer
 * (the SCIM service, the portal API, the demo set-up).
 */
import type { Database, ManagedBy, MemberRow, Role } from '@roster/db';
import { type Kysely, sql, type Transaction } from 'kysely';
import { likeContaining } from './search.js';

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

/**
 * The data of a member created in the portal (an invitation, or the operator's first manager):
 * the email is both the userName and the work email.
 */
export function portalMemberData(
  email: string,
  names: {
    givenName?: string | undefined;
    familyName?: string | undefined;
    displayName?: string | undefined;
  } = {},
): MemberData {
  const { givenName, familyName, displayName } = names;
  return {
    userName: email,
    ...(givenName || familyName
      ? { name: { ...(givenName ? { givenName } : {}), ...(familyName ? { familyName } : {}) } }
      : {}),
    ...(displayName ? { displayName } : {}),
    emails: [{ value: email, type: 'work', primary: true }],
    active: true,
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

type NewMember = { orgId: string; id: string; data: MemberData; role?: Role; managedBy?: ManagedBy };

function insertMemberRow(trx: Transaction<Database>, member: NewMember) {
  return trx.insertInto('members').values({
    org_id: member.orgId,
    id: member.id,
    ...memberColumns(member.data),
    ...(member.role ? { role: member.role } : {}),
    ...(member.managedBy ? { managed_by: member.managedBy } : {}),
    data: JSON.stringify(member.data),
  });
}

async function insertEmails(trx: Transaction<Database>, member: NewMember): Promise<void> {
  const emails = emailRows(member.orgId, member.id, member.data);
  if (emails.length > 0) await trx.insertInto('member_emails').values(emails).execute();
}

/** Inserts a member and its email rows; a taken userName is a unique violation (`members__user_name`). */
export async function insertMember(trx: Transaction<Database>, member: NewMember): Promise<MemberRow> {
  const row = await insertMemberRow(trx, member).returningAll().executeTakeFirstOrThrow();
  await insertEmails(trx, member);
  return row;
}

/**
 * Inserts a member and its email rows, or nothing when the userName is taken (`undefined`). For
 * writers that handle a taken userName themselves: trying the insert first costs a new userName,
 * the common case, one statement (data-modifying CTEs) instead of a lookup, an insert and the emails.
 */
export async function insertMemberUnlessTaken(
  trx: Transaction<Database>,
  member: NewMember,
): Promise<MemberRow | undefined> {
  const columns: Record<string, unknown> = {
    org_id: member.orgId,
    id: member.id,
    ...memberColumns(member.data),
    ...(member.role ? { role: member.role } : {}),
    ...(member.managedBy ? { managed_by: member.managedBy } : {}),
    data: JSON.stringify(member.data),
  };
  const emails = emailRows(member.orgId, member.id, member.data);
  const ctes = [
    ...(emails.length > 0
      ? [
          sql`emails as (
            insert into member_emails (org_id, member_id, position, value, type)
            select i.org_id, i.id, e.position, e.value, e.type
            from inserted as i
            cross join unnest(${emails.map((e) => e.position)}::int[], ${emails.map((e) => e.value)}::text[],
              ${emails.map((e) => e.type)}::text[]) as e(position, value, type))`,
        ]
      : []),
  ];
  const { rows } = await sql<MemberRow>`
    with inserted as (
      insert into members (${sql.join(Object.keys(columns).map((name) => sql.ref(name)))})
      values (${sql.join(Object.values(columns))})
      on conflict do nothing
      returning *
    )${ctes.length > 0 ? sql`, ${sql.join(ctes)}` : sql``}
    select * from inserted`.execute(trx);
  return rows[0];
}

/**
 * Writes a member's new SCIM data (and its derived columns), bumping the version; in the same
 * statement, a new role or owner when given (the IdP's `roles`, or its adoption of the member).
 * Every status change goes through here, the portal's and the IdP's.
 */
export async function updateMemberData(
  trx: Transaction<Database>,
  orgId: string,
  id: string,
  data: MemberData,
  emailsChanged: boolean,
  change: { role?: Role | undefined; managedBy?: ManagedBy | undefined } = {},
): Promise<MemberRow> {
  const row = await trx
    .updateTable('members')
    .set({
      ...memberColumns(data),
      ...(change.role ? { role: change.role } : {}),
      ...(change.managedBy ? { managed_by: change.managedBy } : {}),
      data: JSON.stringify(data),
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (!row.active) {
    // Deactivation ends the member's sign-in sessions at once, in this transaction; reactivation
    // does not revive them (their API keys, checked against `active`, simply work again).
    await trx
      .updateTable('portal_sessions')
      .set({ revoked_at: sql`now()` })
      .where('org_id', '=', orgId)
      .where('member_id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
  }
  if (emailsChanged) {
    await trx.deleteFrom('member_emails').where('org_id', '=', orgId).where('member_id', '=', id).execute();
    const emails = emailRows(orgId, id, data);
    if (emails.length > 0) await trx.insertInto('member_emails').values(emails).execute();
  }
  return row;
}

/** A member by id; `managedBy` narrows to the members one party manages (what SCIM may see). */
export async function findMember(
  db: Db,
  orgId: string,
  id: string,
  options: { forUpdate?: boolean; managedBy?: ManagedBy | undefined } = {},
) {
  let query = db.selectFrom('members').selectAll().where('org_id', '=', orgId).where('id', '=', id);
  if (options.managedBy) query = query.where('managed_by', '=', options.managedBy);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/**
 * Whether member `alias` is a manager through a group: one of their groups carries the manager
 * role and the organization has RBAC on. An EXISTS probe of `group_members__member`, so it adds
 * no query of its own wherever it appears. (Inner aliases are prefixed so they cannot shadow
 * the outer row.)
 */
/**
 * `orgId` is the organization as a constant (the caller's `alias.org_id` equals it): Citus routes a
 * correlated subquery to one shard only when its own `org_id` is a constant, not a reference to
 * the outer row.
 */
function managerThroughGroup(alias: string, orgId: string) {
  return sql<boolean>`exists (
    select 1 from group_members as role_gm
    join groups as role_g on role_g.org_id = role_gm.org_id and role_g.id = role_gm.group_id
    join organizations as role_o on role_o.id = role_gm.org_id
    where role_gm.org_id = ${orgId} and role_g.org_id = ${orgId} and role_gm.member_id = ${sql.ref(`${alias}.id`)}
      and role_g.role = 'manager' and role_o.rbac_enabled)`;
}

/**
 * The role member `alias` (of organization `orgId`) acts with, as SQL: manager when their own role
 * is manager, or when a group of theirs carries it while RBAC is on
 * (docs/reference/product.md#concepts); basic otherwise.
 */
export function effectiveRole(alias: string, orgId: string) {
  return sql<Role>`case when ${sql.ref(`${alias}.role`)} = 'manager' or ${managerThroughGroup(alias, orgId)}
    then 'manager' else 'basic' end`;
}

/**
 * Whether the organization still has an active member whose effective role is manager. Two
 * EXISTS rather than one over every member's effective role: a direct manager is usually found
 * at once, and the group path starts from the few manager groups.
 */
export async function hasActiveManager(db: Db, orgId: string): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`
    select exists (select 1 from members as m where m.org_id = ${orgId} and m.active and m.role = 'manager')
        or exists (select 1 from members as m where m.org_id = ${orgId} and m.active and ${managerThroughGroup('m', orgId)})
      as found`.execute(db);
  return rows[0]?.found === true;
}

/** A member row with its effective role and its sort key (`lower(user_name)`, as the database folds it). */
export type MemberWithRole = MemberRow & { effective_role: Role; sort_key: string };

export interface MemberQuery {
  status?: 'active' | 'deactivated' | undefined;
  role?: Role | undefined;
  managedBy?: ManagedBy | undefined;
  /** Case-insensitive substring of the userName, the displayName or an email. */
  q?: string | undefined;
  /** Only the members of this group. */
  groupId?: string | undefined;
  /** Keyset paging: the members after this (sort key, id). */
  after?: { key: string; id: string } | undefined;
  limit: number;
}

function selectMembersWithRole(db: Db, orgId: string) {
  return db
    .selectFrom('members as m')
    .selectAll('m')
    .select([effectiveRole('m', orgId).as('effective_role'), sql<string>`lower(m.user_name)`.as('sort_key')])
    .where('m.org_id', '=', orgId);
}

export function findMemberWithRole(db: Db, orgId: string, id: string): Promise<MemberWithRole | undefined> {
  return selectMembersWithRole(db, orgId).where('m.id', '=', id).executeTakeFirst();
}

/**
 * One page of members in (lower(user_name), id) order. The order and the keyset follow the
 * `members__user_name` index, so a page costs a short index walk at any depth; filters are
 * checked along that walk (a substring match cannot use a b-tree index).
 */
export function listMembers(db: Db, orgId: string, query: MemberQuery): Promise<MemberWithRole[]> {
  let select = selectMembersWithRole(db, orgId);
  if (query.status) select = select.where('m.active', '=', query.status === 'active');
  if (query.role) select = select.where('m.role', '=', query.role);
  if (query.managedBy) select = select.where('m.managed_by', '=', query.managedBy);
  if (query.q !== undefined) {
    const pattern = likeContaining(query.q);
    const matches = (column: string) =>
      sql<boolean>`lower(${sql.ref(column)}) like lower(${pattern}) escape '\\'`;
    select = select.where((eb) =>
      eb.or([
        matches('m.user_name'),
        matches('m.display_name'),
        eb.exists(
          eb
            .selectFrom('member_emails as e')
            .select(sql`1`.as('one'))
            .where('e.org_id', '=', orgId)
            .whereRef('e.member_id', '=', 'm.id')
            .where(matches('e.value')),
        ),
      ]),
    );
  }
  const { groupId, after } = query;
  if (groupId !== undefined) {
    select = select.where((eb) =>
      eb.exists(
        eb
          .selectFrom('group_members as gm')
          .select(sql`1`.as('one'))
          .where('gm.org_id', '=', orgId)
          .where('gm.group_id', '=', groupId)
          .whereRef('gm.member_id', '=', 'm.id'),
      ),
    );
  }
  if (after) select = select.where(sql<boolean>`(lower(m.user_name), m.id) > (${after.key}, ${after.id})`);
  return select.orderBy(sql`lower(m.user_name)`).orderBy('m.id').limit(query.limit).execute();
}

/** Which of these ids are members of the organization. */
export async function existingMemberIds(db: Db, orgId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('members')
    .select('id')
    .where('org_id', '=', orgId)
    .where('id', 'in', ids)
    .execute();
  return new Set(rows.map((row) => row.id));
}

/** Sets a member's own role (the `role` column), bumping the version. */
export async function setMemberRole(
  trx: Transaction<Database>,
  orgId: string,
  id: string,
  role: Role,
): Promise<void> {
  await trx
    .updateTable('members')
    .set({ role, version: sql`version + 1`, updated_at: sql`now()` })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .execute();
}

/** Deletes a member; email rows, group memberships and personal API keys go with it (foreign keys cascade). */
export async function deleteMember(db: Db, orgId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('members')
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * What an identity provider's adoption would do to a portal-managed member, once the organization
 * provisions existing users (the SCIM service adopts the portal member whose userName equals,
 * ignoring case, the one a POST /Users or a lookup sends):
 * - `hand_over`: the userName is an email address in lower case, the form IdPs send (Entra's
 *   userPrincipalName, Ping's mail): the IdP's user with that address adopts the member;
 * - `user_name_case`: an email address with capitals: still adopted (userNames compare ignoring
 *   case), but the IdP's spelling replaces this one;
 * - `not_matchable`: the userName is not an email address, so no IdP userName will equal it: the
 *   IdP creates a second member for the same person;
 * - `no_sign_in_email`: neither is there a work or primary email to sign in with (the rule the
 *   SCIM service applies to every member it writes).
 */
export type AdoptionKind = 'hand_over' | 'user_name_case' | 'not_matchable' | 'no_sign_in_email';

/** Email form as the SCIM service checks a userName (apps/scim-server's member rules). */
const EMAIL_FORM = '^[^[:space:]@]+@[^[:space:]@]+$';

/** The adoption kind of portal member `m`, as SQL (see AdoptionKind). */
function adoptionKind() {
  const emailUserName = sql<boolean>`(btrim(m.user_name) ~ ${EMAIL_FORM})`;
  const signInEmail = sql<boolean>`exists (
    select 1 from jsonb_array_elements(
      case when jsonb_typeof(m.data -> 'emails') = 'array' then m.data -> 'emails' else '[]'::jsonb end) as e
    where jsonb_typeof(e -> 'value') = 'string' and btrim(e ->> 'value') <> ''
      and (lower(e ->> 'primary') = 'true' or lower(e ->> 'type') = 'work'))`;
  return sql<AdoptionKind>`case
    when not ${emailUserName} and not ${signInEmail} then 'no_sign_in_email'
    when not ${emailUserName} then 'not_matchable'
    when m.user_name <> lower(m.user_name) then 'user_name_case'
    else 'hand_over' end`;
}

/** How many portal members fall under each adoption kind: one scan of the organization's members, counted in SQL. */
export async function countAdoptionKinds(db: Db, orgId: string): Promise<Record<AdoptionKind, number>> {
  const rows = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('members as m')
        .select(adoptionKind().as('kind'))
        .where('m.org_id', '=', orgId)
        .where('m.managed_by', '=', 'portal')
        .as('k'),
    )
    .select(['k.kind', (eb) => eb.fn.countAll<string>().as('count')])
    .groupBy('k.kind')
    .execute();
  const counts = { hand_over: 0, user_name_case: 0, not_matchable: 0, no_sign_in_email: 0 };
  for (const row of rows) counts[row.kind] = Number(row.count);
  return counts;
}

export type AdoptionCandidate = MemberWithRole & { kind: AdoptionKind };

/** The first `limit` portal members of the given kinds, by userName (case-insensitively), with their effective role. */
export function listAdoptionCandidates(
  db: Db,
  orgId: string,
  kinds: AdoptionKind[],
  limit: number,
): Promise<AdoptionCandidate[]> {
  return db
    .selectFrom((eb) =>
      eb
        .selectFrom('members as m')
        .selectAll('m')
        .select([
          effectiveRole('m', orgId).as('effective_role'),
          sql<string>`lower(m.user_name)`.as('sort_key'),
          adoptionKind().as('kind'),
        ])
        .where('m.org_id', '=', orgId)
        .where('m.managed_by', '=', 'portal')
        .as('c'),
    )
    .selectAll('c')
    .where('c.kind', 'in', kinds)
    .orderBy('c.sort_key')
    .orderBy('c.id')
    .limit(limit)
    .execute();
}
