/**
 * Operator CLI (`npm run roster -- <command>`), against `DATABASE_URL` or the embedded database:
 *   create-org <slug> [name]     creates an organization and prints its first SCIM key
 *   create-key <slug> [name]     mints another SCIM key for an organization (rotation: add, switch, revoke)
 *   revoke-key <slug> <key id>   revokes a key at once (the id is the part between "rsk_" and ".")
 */
import { openDatabase } from '@roster/db';
import { createScimKey, revokeApiKey } from '@roster/directory/api-keys';
import { enableScimProvisioning } from '@roster/directory/identity';
import { createOrganization, findOrganizationBySlug } from '@roster/directory/organizations';
import { loadConfig } from '@roster/scim-server/bootstrap';

const [command, slug, arg] = process.argv.slice(2);
const usage =
  'Usage: roster create-org <slug> [name] | create-key <slug> [key name] | revoke-key <slug> <key id>';

if (
  !command ||
  !slug ||
  !['create-org', 'create-key', 'revoke-key'].includes(command) ||
  (command === 'revoke-key' && !arg)
) {
  console.error(usage);
  process.exit(2);
}

const config = loadConfig();
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
try {
  const org =
    command === 'create-org'
      ? await createOrganization(database.db, { slug, name: arg })
      : await findOrganizationBySlug(database.db, slug);
  if (!org) throw new Error(`No organization "${slug}".`);
  if (command === 'revoke-key') {
    if (!(await revokeApiKey(database.db, org.id, arg ?? '')))
      throw new Error(`No live key "${arg}" in "${slug}".`);
    console.log(`Revoked key ${arg} of ${org.slug}.`);
  } else {
    // An organization set up by an operator is ready for its identity provider at once, as the
    // demo is; its administrators then configure SSO through the portal API.
    if (command === 'create-org') await enableScimProvisioning(database.db, org.id);
    const token = await createScimKey(
      database.db,
      org.id,
      command === 'create-org' ? 'initial SCIM key' : (arg ?? 'SCIM key'),
    );
    console.log(`Organization: ${org.slug} (${org.id})`);
    console.log(`SCIM base URL path: /scim/v2/${org.slug}`);
    console.log(`SCIM token: ${token}`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await database.close();
}
