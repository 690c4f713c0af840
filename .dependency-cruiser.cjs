/**
 * The architecture's import rules, checked by dependency-cruiser in the lint step of `npm test`
 * (the `lint` script of scripts/package.json). docs/architecture.md#dependency-rules explains them;
 * scripts/test/dependency-rules.test.ts shows that each rule fails on a forbidden import.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'No import cycles anywhere, type-only imports included: a cycle hides which module is the lower one.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'packages-not-to-apps',
      severity: 'error',
      comment: 'Packages are shared building blocks: they never import an app.',
      from: { path: '^packages/' },
      to: { path: '^apps/' },
    },
    {
      name: 'apps-not-to-each-other',
      severity: 'error',
      comment:
        'The SCIM service and the portal API never import each other or the process that composes them; ' +
        'only apps/roster (the composition root) imports them.',
      from: { path: '^apps/(scim-server|portal-api)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'services-not-to-http',
      severity: 'error',
      comment:
        "Services take parsed input and throw the app's error type; the HTTP edge (http/) parses, " +
        'maps errors and writes responses, so a service never imports it.',
      from: { path: '^apps/(scim-server|portal-api)/src/.+[.]service[.]ts$' },
      to: { path: '^apps/$1/src/http/' },
    },
    {
      name: 'conformance-src-not-to-apps',
      severity: 'error',
      comment:
        'The conformance simulators and sessions talk to any SCIM endpoint over HTTP; only its tests start Roster.',
      from: { path: '^conformance/src/' },
      to: { path: '^apps/' },
    },
    {
      name: 'scim-core-no-io',
      severity: 'error',
      comment: 'scim-core is pure SCIM semantics: no database, HTTP server, file system or network.',
      from: { path: '^packages/scim-core/' },
      to: {
        path: [
          '(^|/)node_modules/(pg|pg-[^/]+|kysely|koa|@koa/[^/]+|koa-[^/]+|@electric-sql/pglite)/',
          '^(node:)?(fs|fs/promises|net|http|https|http2|tls|dgram|dns|child_process|cluster|worker_threads)$',
          '^(apps|packages/(?!scim-core/))',
        ],
      },
    },
    {
      name: 'console-not-to-server',
      severity: 'error',
      comment:
        'The console runs in the browser and talks to the portal API over HTTP only (its generated client): ' +
        'its sources import no app, no package of the server and no server library; its tests may start Roster.',
      from: { path: '^apps/console/src/' },
      to: {
        path: [
          '^apps/(?!console/)',
          '^packages/',
          '(^|/)node_modules/(pg|pg-[^/]+|kysely|koa|@koa/[^/]+|koa-[^/]+|@electric-sql/pglite|@roster/[^/]+)/',
        ],
      },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import the rules cannot resolve cannot be checked.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // bench/peers: peers' servers, run with dependencies installed on demand outside the workspace.
    exclude: { path: '(^|/)(dist|coverage)/|^bench/peers/' },
    // Type-only imports count: the cycles the rules forbid were mostly types.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    // Workspace packages resolve through their `exports`, with `dev-source` pointing at src/, the way
    // tsc and vitest resolve them here.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['dev-source', 'import', 'types', 'default'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.tsx', '.mts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
    moduleSystems: ['es6', 'cjs'],
  },
};
