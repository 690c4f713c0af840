/**
 * Operator CLI (`npm run roster -- <command>`), against `DATABASE_URL` or the embedded database:
 *   create-org <slug> [name]   creates an organization and prints its SCIM key
 *   create-key <slug> [name]   mints another SCIM key for an organization (key rotation)
 */
import { openDatabase } from './bootstrap.js';
import { loadConfig } from './config.js';
import {
  createOrganization,
  createScimKey,
  findOrganizationBySlug,
} from './organizations/organizations.service.js';

const [command, slug, name] = process.argv.slice(2);
const usage = 'Usage: roster create-org <slug> [name] | roster create-key <slug> [key name]';

if (!command || !slug || !['create-org', 'create-key'].includes(command)) {
  console.error(usage);
  process.exit(2);
}

const config = loadConfig();
const database = await openDatabase(config);
try {
  const org =
    command === 'create-org'
      ? await createOrganization(database.db, { slug, name })
      : await findOrganizationBySlug(database.db, slug);
  if (!org) throw new Error(`No organization "${slug}".`);
  const token = await createScimKey(
    database.db,
    org.id,
    command === 'create-org' ? 'initial SCIM key' : (name ?? 'SCIM key'),
  );
  console.log(`Organization: ${org.slug} (${org.id})`);
  console.log(`SCIM base URL path: /scim/v2/${org.slug}`);
  console.log(`SCIM token: ${token}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await database.close();
}
