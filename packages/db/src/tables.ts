/** Kysely table types: the shape of each table as the application sees it. */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<Record<string, unknown>, string, string>;

export type Plan = 'free' | 'team' | 'enterprise';
export type Role = 'basic' | 'manager';
export type ManagedBy = 'portal' | 'scim';

export interface OrganizationsTable {
  id: string;
  slug: string;
  name: string;
  plan: ColumnType<Plan, Plan | undefined, Plan>;
  created_at: Timestamp;
}

export interface ApiKeysTable {
  org_id: string;
  id: string;
  kind: 'system' | 'personal';
  name: string;
  scopes: string[];
  secret_hash: string;
  member_id: string | null;
  created_at: Timestamp;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface MembersTable {
  org_id: string;
  id: string;
  user_name: string;
  external_id: string | null;
  display_name: string | null;
  active: Generated<boolean>;
  role: Generated<Role>;
  managed_by: Generated<ManagedBy>;
  data: Json;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MemberEmailsTable {
  org_id: string;
  member_id: string;
  position: number;
  value: string;
  type: string | null;
}

export interface GroupsTable {
  org_id: string;
  id: string;
  display_name: string;
  external_id: string | null;
  role: Role | null;
  managed_by: Generated<ManagedBy>;
  data: Json;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface GroupMembersTable {
  org_id: string;
  group_id: string;
  member_id: string;
  display: string | null;
  created_at: Timestamp;
}

export interface Database {
  organizations: OrganizationsTable;
  api_keys: ApiKeysTable;
  members: MembersTable;
  member_emails: MemberEmailsTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
}

export type OrganizationRow = Selectable<OrganizationsTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type MemberRow = Selectable<MembersTable>;
export type InsertableMemberRow = Insertable<MembersTable>;
export type UpdateableMemberRow = Updateable<MembersTable>;
export type GroupRow = Selectable<GroupsTable>;
