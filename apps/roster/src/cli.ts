/**
 * Operator CLI (`npm run roster -- <command>`), against `DATABASE_URL` or the embedded database.
 * On the embedded database it is refused while a server runs on the same folder (only one process
 * may open it: packages/db/src/lock.ts); stop the server, run the command, start it again.
 * Exit codes: 0 done, 1 refused or failed (nothing written), 2 wrong usage.
 */
import { parseArgs } from 'node:util';
import { type Database, DataDirLockedError, openDatabase } from '@roster/db';
import { createScimKey, revokeApiKey } from '@roster/directory/api-keys';
import { findOrganizationBySlug } from '@roster/directory/organizations';
import { loadConfig } from '@roster/scim-server/bootstrap';
import type { Kysely } from 'kysely';
import {
  checkPlan,
  ensureManager,
  externalOrigin,
  OperatorError,
  onboardOrganization,
  PLANS,
  type SetupLink,
  setPlan,
} from './onboarding.js';

const USAGE = `Usage: npm run roster -- <command>

  create-org <slug> --admin <email> [--name <name>] [--plan ${PLANS.join('|')}]
      Creates an organization (SCIM off, no SSO; plan enterprise unless given) and its first
      manager, and prints the manager's one-time setup link.
  create-manager <org> <email>
      Break-glass: makes <email> an active manager of <org> (creating, reactivating or promoting
      them) and prints a new one-time setup link.
  set-plan <org> <${PLANS.join('|')}>
      Sets the plan. Leaving enterprise while SCIM provisioning is on is refused.
  create-key <org> [key name]
      Mints another SCIM key (rotation: add, switch the identity provider, revoke the old one).
  revoke-key <org> <key id>
      Revokes a key at once (the id is the part between "rsk_" and ".").

On the embedded database, stop the server first: the data folder is one process's at a time.
Setup links expire after ROSTER_SETUP_LINK_TTL seconds (default 86400) and point at PUBLIC_URL.`;

class UsageError extends Error {}

type Command = (
  db: Kysely<Database>,
  args: string[],
  options: Record<string, string | undefined>,
) => Promise<void>;

const config = loadConfig();
const linkOptions = { origin: externalOrigin(config), lifetimeSeconds: config.setupLinkTtlSeconds };

function printLink(link: SetupLink, email: string) {
  console.log(`One-time setup link for ${email} (valid until ${link.expiresAt.toISOString()}):`);
  console.log(`  ${link.url}`);
  console.log(
    `Send it to ${email} only: it signs them in to the portal once, to set up single sign-on and then provisioning.`,
  );
}

async function organization(db: Kysely<Database>, slug: string) {
  const org = await findOrganizationBySlug(db, slug);
  if (!org) throw new OperatorError(`No organization "${slug}".`);
  return org;
}

const COMMANDS: Record<string, { args: [number, number]; options?: string[]; run: Command }> = {
  'create-org': {
    args: [1, 1],
    options: ['admin', 'name', 'plan'],
    async run(db, [slug], { admin, name, plan }) {
      if (!admin) {
        throw new UsageError(
          'create-org needs --admin <email>: an organization without a manager could never be reached in the portal.',
        );
      }
      const created = await onboardOrganization(
        db,
        { slug: slug as string, name, plan: checkPlan(plan ?? 'enterprise'), adminEmail: admin },
        linkOptions,
      );
      console.log(`Organization: ${created.org.slug} (${created.org.id}), plan ${created.org.plan}`);
      console.log(`First manager: ${created.manager.userName}`);
      printLink(created.link, created.manager.userName);
    },
  },
  'create-manager': {
    args: [2, 2],
    async run(db, [slug, email]) {
      const result = await ensureManager(db, slug as string, email as string, linkOptions);
      const what = {
        created: 'created as a manager',
        reactivated: 'reactivated as a manager',
        promoted: 'promoted to manager',
        unchanged: 'already an active manager',
      }[result.change];
      console.log(`${result.manager.userName} of ${result.org.slug}: ${what}.`);
      printLink(result.link, result.manager.userName);
    },
  },
  'set-plan': {
    args: [2, 2],
    async run(db, [slug, plan]) {
      const result = await setPlan(db, slug as string, checkPlan(plan as string));
      console.log(
        result.from === result.to
          ? `${result.org.slug} is already on the ${result.to} plan.`
          : `${result.org.slug}: plan ${result.from} -> ${result.to}.`,
      );
    },
  },
  'create-key': {
    args: [1, 2],
    async run(db, [slug, keyName]) {
      const org = await organization(db, slug as string);
      const token = await createScimKey(db, org.id, keyName ?? 'SCIM key');
      console.log(`Organization: ${org.slug} (${org.id})`);
      console.log(`SCIM base URL: ${externalOrigin(config)}/scim/v2/${org.slug}`);
      console.log(`SCIM token: ${token}`);
    },
  },
  'revoke-key': {
    args: [2, 2],
    async run(db, [slug, keyId]) {
      const org = await organization(db, slug as string);
      if (!(await revokeApiKey(db, org.id, keyId as string))) {
        throw new OperatorError(`No live key "${keyId}" in "${slug}".`);
      }
      console.log(`Revoked key ${keyId} of ${org.slug}.`);
    },
  },
};

/** The command and its arguments, or a UsageError. */
function parse(argv: string[]) {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') throw new UsageError('');
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`Unknown command "${name}".`);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(
        (command.options ?? []).map((option) => [option, { type: 'string' as const }]),
      ),
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [min, max] = command.args;
  if (parsed.positionals.length < min || parsed.positionals.length > max) {
    throw new UsageError(`${name}: wrong number of arguments.`);
  }
  return { command, args: parsed.positionals, options: parsed.values as Record<string, string | undefined> };
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError && error.message) console.error(error.message);
    console.error(USAGE);
    return 2;
  }
  let database: Awaited<ReturnType<typeof openDatabase>>;
  try {
    database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    console.error(`${error.message} Nothing was written.`);
    return 1;
  }
  try {
    await parsed.command.run(database.db, parsed.args, parsed.options);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(error.message);
      console.error(USAGE);
      return 2;
    }
    if (!(error instanceof OperatorError)) throw error;
    console.error(error.message);
    return 1;
  } finally {
    await database.close();
  }
}

process.exitCode = await main();
