/**
 * The architecture's import rules (.dependency-cruiser.cjs, run by the lint step of `npm test`)
 * against small trees laid out like the repository: each rule must fail on the import it forbids,
 * and the imports the architecture allows must pass.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const config = fileURLToPath(new URL('../../.dependency-cruiser.cjs', import.meta.url));
const depcruise = fileURLToPath(new URL('../node_modules/.bin/depcruise', import.meta.url));
// depcruise takes a few seconds on a busy 2-core machine.
const TIMEOUT = 60_000;
const SOURCES = ['apps', 'packages', 'conformance'];

const trees: string[] = [];
afterAll(async () => {
  await Promise.all(trees.map((tree) => rm(tree, { recursive: true, force: true })));
});

/** A throwaway tree with these files, a tsconfig.base.json like the root's, and fake npm packages. */
async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'roster-depcruise-'));
  trees.push(root);
  const all: Record<string, string> = {
    'tsconfig.base.json': JSON.stringify({
      compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' },
    }),
    ...Object.fromEntries(
      ['pg', 'kysely', 'koa'].flatMap((name) => [
        [`node_modules/${name}/package.json`, JSON.stringify({ name, main: 'index.js' })],
        [`node_modules/${name}/index.js`, 'module.exports = {};\n'],
      ]),
    ),
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** The violations depcruise finds with the repository's rules. */
async function violations(root: string): Promise<string[]> {
  const args = ['--config', config, '--output-type', 'json', ...SOURCES];
  const { stdout } = await promisify(execFile)(depcruise, args, { cwd: root, maxBuffer: 16 << 20 });
  const found: Violation[] = JSON.parse(stdout).summary.violations;
  return found.map(({ rule, from, to }) => `${rule.name}: ${from} -> ${to}`).sort();
}

/** The exit code of depcruise as the lint step runs it (its default `err` report). */
async function lintExitCode(root: string): Promise<number> {
  try {
    await promisify(execFile)(depcruise, ['--config', config, ...SOURCES], { cwd: root });
    return 0;
  } catch (error) {
    return (error as { code: number }).code;
  }
}

const exported = 'export const value = 1;\n';

describe('the dependency rules', () => {
  it(
    'pass the imports the architecture allows',
    async () => {
      const root = await tree({
        'packages/scim-core/src/errors.ts': exported,
        'packages/scim-core/src/patch.ts': "import { value } from './errors.js';\nexport const v = value;\n",
        'packages/db/src/index.ts':
          "import 'pg';\nimport 'kysely';\nimport 'node:fs';\nexport const db = 1;\n",
        'apps/scim-server/src/app.ts':
          "import 'koa';\nimport '../../../packages/db/src/index.js';\nimport '../../../packages/scim-core/src/patch.js';\n",
        'apps/portal-api/src/app.ts': "import '../../../packages/db/src/index.js';\n",
        // A route imports the edge and its service; the service imports neither.
        'apps/scim-server/src/http/context.ts': exported,
        'apps/scim-server/src/users/user.service.ts': "import '../../../../packages/db/src/index.js';\n",
        'apps/scim-server/src/users/user.routes.ts':
          "import '../http/context.js';\nimport './user.service.js';\n",
        'apps/roster/src/server.ts':
          "import '../../scim-server/src/app.js';\nimport '../../portal-api/src/app.js';\n",
        'conformance/src/run.ts': "import 'node:net';\n",
        'conformance/test/harness.ts': "import '../../apps/roster/src/server.js';\nimport '../src/run.js';\n",
        // The console's sources import each other; its tests start Roster.
        'apps/console/src/api.ts': exported,
        'apps/console/src/App.tsx': "import './api.js';\nexport const App = 1;\n",
        'apps/console/test/e2e/roster.ts': "import '../../../roster/src/server.js';\n",
      });
      expect(await violations(root)).toEqual([]);
      expect(await lintExitCode(root)).toBe(0);
    },
    TIMEOUT,
  );

  it(
    'fail on each forbidden import',
    async () => {
      const root = await tree({
        // A cycle, type-only on one side as most of the repository's were.
        'packages/directory/src/a.ts': "import type { B } from './b.js';\nexport type A = B;\n",
        'packages/directory/src/b.ts': "import { type A } from './a.js';\nexport type B = { a?: A };\n",
        // A package importing an app.
        'packages/auth/src/keys.ts': "import '../../../apps/scim-server/src/app.js';\n",
        'apps/scim-server/src/app.ts': exported,
        // An app importing another, and the SCIM service importing the process that composes it.
        'apps/portal-api/src/app.ts': "import '../../scim-server/src/app.js';\n",
        'apps/scim-server/src/main.ts': "import '../../roster/src/server.js';\n",
        'apps/roster/src/server.ts': exported,
        // Services importing the HTTP edge, in either app.
        'apps/scim-server/src/http/etag.ts': exported,
        'apps/scim-server/src/users/user.service.ts': "import '../http/etag.js';\n",
        'apps/portal-api/src/http/portal-error.ts': exported,
        'apps/portal-api/src/members/member.service.ts': "import '../http/portal-error.js';\n",
        // The conformance simulators importing an app.
        'conformance/src/run.ts': "import '../../apps/roster/src/server.js';\n",
        // scim-core doing I/O, each kind on its own.
        'packages/scim-core/src/fs.ts':
          "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
        'packages/scim-core/src/net.ts': "import 'net';\n",
        'packages/scim-core/src/pg.ts': "import 'pg';\n",
        'packages/scim-core/src/kysely.ts':
          "import type { Kysely } from 'kysely';\nexport type K = Kysely<never>;\n",
        'packages/scim-core/src/koa.ts': "import 'koa';\n",
        'packages/scim-core/src/db.ts': "import '../../db/src/index.js';\n",
        'packages/db/src/index.ts': exported,
        // The console's sources importing the server: an app, a package, a server library.
        'apps/console/src/a.ts': "import '../../portal-api/src/app.js';\n",
        'apps/console/src/b.ts': "import '../../../packages/db/src/index.js';\n",
        'apps/console/src/c.ts': "import 'koa';\n",
        // An import no rule could check.
        'conformance/src/missing.ts': "import './not-there.js';\n",
      });
      expect(await lintExitCode(root)).not.toBe(0);
      expect(await violations(root)).toEqual(
        [
          'no-circular: packages/directory/src/a.ts -> packages/directory/src/b.ts',
          'packages-not-to-apps: packages/auth/src/keys.ts -> apps/scim-server/src/app.ts',
          'apps-not-to-each-other: apps/portal-api/src/app.ts -> apps/scim-server/src/app.ts',
          'apps-not-to-each-other: apps/scim-server/src/main.ts -> apps/roster/src/server.ts',
          'services-not-to-http: apps/scim-server/src/users/user.service.ts -> apps/scim-server/src/http/etag.ts',
          'services-not-to-http: apps/portal-api/src/members/member.service.ts -> apps/portal-api/src/http/portal-error.ts',
          'conformance-src-not-to-apps: conformance/src/run.ts -> apps/roster/src/server.ts',
          'scim-core-no-io: packages/scim-core/src/fs.ts -> fs',
          'scim-core-no-io: packages/scim-core/src/net.ts -> net',
          'scim-core-no-io: packages/scim-core/src/pg.ts -> node_modules/pg/index.js',
          'scim-core-no-io: packages/scim-core/src/kysely.ts -> node_modules/kysely/index.js',
          'scim-core-no-io: packages/scim-core/src/koa.ts -> node_modules/koa/index.js',
          'scim-core-no-io: packages/scim-core/src/db.ts -> packages/db/src/index.ts',
          'console-not-to-server: apps/console/src/a.ts -> apps/portal-api/src/app.ts',
          'console-not-to-server: apps/console/src/b.ts -> packages/db/src/index.ts',
          'console-not-to-server: apps/console/src/c.ts -> node_modules/koa/index.js',
          'not-to-unresolvable: conformance/src/missing.ts -> ./not-there.js',
        ].sort(),
      );
    },
    TIMEOUT,
  );
});
