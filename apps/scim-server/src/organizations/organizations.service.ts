/** Creating organizations and their system keys (used by `npm start`, the operator CLI and tests). */
import { randomUUID } from 'node:crypto';
import { mintApiKey } from '@roster/auth/api-keys';
import type { Database, OrganizationRow, Plan } from '@roster/db';
import type { Kysely } from 'kysely';
import * as organizations from './organizations.repository.js';

type Db = Kysely<Database>;

/** Slugs appear in SCIM base URLs: lower-case letters, digits and dashes, 1–63 characters. */
export const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export async function createOrganization(
  db: Db,
  input: { slug: string; name?: string; plan?: Plan },
): Promise<OrganizationRow> {
  if (!SLUG.test(input.slug)) {
    throw new Error(
      `Organization slug "${input.slug}" is invalid: use 1–63 lower-case letters, digits and dashes.`,
    );
  }
  return organizations.insertOrganization(db, {
    id: randomUUID(),
    slug: input.slug,
    name: input.name ?? input.slug,
    plan: input.plan ?? 'enterprise',
  });
}

/** Mints a system key with the `scim` scope; the returned token is the only copy of the secret. */
export async function createScimKey(db: Db, orgId: string, name: string): Promise<string> {
  const key = mintApiKey();
  await organizations.insertApiKey(db, {
    org_id: orgId,
    id: key.id,
    kind: 'system',
    name,
    scopes: ['scim'],
    secret_hash: key.secretHash,
  });
  return key.token;
}

/** The demo organization of `npm start`: created on first start; each start mints a fresh key to print. */
export async function ensureDemoOrganization(db: Db, slug = 'demo') {
  const existing = await organizations.findOrganizationBySlug(db, slug);
  const org =
    existing ?? (await createOrganization(db, { slug, name: 'Demo organization', plan: 'enterprise' }));
  const token = await createScimKey(db, org.id, `demo key (${new Date().toISOString()})`);
  return { org, token };
}

export const findOrganizationBySlug = organizations.findOrganizationBySlug;
export const revokeApiKey = organizations.revokeApiKey;
