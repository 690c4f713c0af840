/**
 * CI's dependency audit gate (scripts/dependency-audit.mjs) against a fake advisory service on
 * 127.0.0.1: the real one is unreachable from this project's machines, so only here can the
 * "findings fail the run" branch be seen to work.
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../dependency-audit.mjs', import.meta.url));
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
// pnpm 10 posts the tree to the quick endpoint and, unless that answers 200, to the full one.
const QUICK = '/-/npm/v1/security/audits/quick';
const FULL = '/-/npm/v1/security/audits';
// Each run starts pnpm through npx, which takes seconds on a busy 2-core machine.
const TIMEOUT = 120_000;

type Severity = 'low' | 'moderate' | 'high' | 'critical';
type AuditTree = { dependencies: Record<string, { dependencies?: Record<string, { version: string }> }> };
type Answer = (tree: string) => { status: number; body: string } | undefined;

/**
 * npm's audit report for the tree pnpm sent: one advisory per severity against koa, a production
 * dependency of the SCIM server and the portal API, wherever the tree has it. Like the real service,
 * it reports nothing for a package that was not asked about.
 */
function auditReport(tree: string, severities: Severity[]): string {
  const importers = Object.entries((JSON.parse(tree) as AuditTree).dependencies).flatMap(
    ([name, importer]) =>
      importer.dependencies?.koa ? [{ name, version: importer.dependencies.koa.version }] : [],
  );
  const vulnerabilities = { info: 0, low: 0, moderate: 0, high: 0, critical: 0 };
  const advisories = importers.length === 0 ? [] : severities;
  for (const severity of advisories) vulnerabilities[severity] += 1;
  return JSON.stringify({
    actions: [],
    advisories: Object.fromEntries(
      advisories.map((severity, i) => [
        1000 + i,
        {
          id: 1000 + i,
          module_name: 'koa',
          severity,
          title: `Test ${severity} advisory`,
          url: `https://example.invalid/advisories/${1000 + i}`,
          vulnerable_versions: '>=0.0.0',
          patched_versions: '<0.0.0',
          cves: [],
          github_advisory_id: `GHSA-test-${1000 + i}`,
          findings: importers.map(({ name, version }) => ({ version, paths: [`${name}>koa`] })),
        },
      ]),
    ),
    muted: [],
    metadata: {
      vulnerabilities,
      dependencies: importers.length,
      devDependencies: 0,
      optionalDependencies: 0,
      totalDependencies: importers.length,
    },
  });
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  }
});

/** A fake advisory service on a free loopback port; `answer` undefined leaves the request hanging. */
async function advisoryService(answer: Answer) {
  const requests: { method: string | undefined; url: string | undefined; body: string }[] = [];
  const server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    requests.push({ method: request.method, url: request.url, body });
    const reply = answer(body);
    if (reply) response.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { registry: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, requests };
}

const reportWith =
  (...severities: Severity[]): Answer =>
  (tree) => ({ status: 200, body: auditReport(tree, severities) });
const status =
  (code: number): Answer =>
  () => ({ status: code, body: `{"error":"status ${code}"}` });

// The child reaches nothing but the fake service: no registry override from the environment (npx
// would follow it), no proxy for 127.0.0.1, npx takes pnpm from its cache (filled by `npm test`'s
// install) instead of asking the registry whether pnpm changed, and pnpm does not retry (a refused
// connection would take over a minute).
const childEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !/registry/i.test(name))),
  npm_config_noproxy: '127.0.0.1',
  npm_config_prefer_offline: 'true',
  npm_config_fetch_retries: '0',
};

async function audit(registry: string, env: Record<string, string> = {}) {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [script, `--registry=${registry}`], {
      cwd: repoRoot,
      env: { ...childEnv, ...env },
    });
    return { code: 0, stdout };
  } catch (error) {
    const { code, stdout } = error as { code: number; stdout: string };
    return { code, stdout };
  }
}

describe('dependency audit gate', { timeout: TIMEOUT }, () => {
  it('passes when there are no advisories, having sent the production tree only', async () => {
    const service = await advisoryService(reportWith());
    const { code, stdout } = await audit(service.registry);
    expect(stdout).toContain('no high or critical advisories');
    expect(code).toBe(0);
    expect(service.requests.map(({ method, url }) => `${method} ${url}`)).toEqual([`POST ${QUICK}`]);
    const [request] = service.requests;
    expect(request?.body).toContain('"koa":');
    expect(request?.body).not.toContain('"vitest":'); // a dev dependency: --prod
  });

  it.each(['high', 'critical'] as const)('fails on a %s advisory and names the package', async (severity) => {
    const service = await advisoryService(reportWith(severity));
    const { code, stdout } = await audit(service.registry);
    expect(stdout).toMatch(new RegExp(`${severity}\\s.*Test ${severity} advisory`));
    expect(stdout).toMatch(/Package\s.*koa/);
    expect(stdout).toContain('error: high or critical advisories found');
    expect(stdout).not.toContain('npm warn');
    expect(code).toBe(1);
    expect(service.requests.map(({ url }) => url)).toEqual([QUICK]);
  });

  it('passes when the only advisories are below high', async () => {
    const service = await advisoryService(reportWith('moderate', 'low'));
    const { code, stdout } = await audit(service.registry);
    expect(stdout).toContain('Severity: 1 low | 1 moderate');
    expect(stdout).toContain('no high or critical advisories');
    expect(code).toBe(0);
    expect(service.requests.map(({ url }) => url)).toEqual([QUICK]);
  });

  // 405 is what this project's registry answers; 404 is pnpm's ERR_PNPM_AUDIT_ENDPOINT_NOT_EXISTS.
  it.each([405, 404, 503])('warns, and passes, when the advisory endpoints answer %i', async (code) => {
    const service = await advisoryService(status(code));
    const result = await audit(service.registry);
    expect(result.stdout).toContain(
      'warning: the advisory service could not be reached; the audit did not run',
    );
    expect(result.stdout).toContain(`${service.registry.slice(0, -1)}${QUICK}`);
    expect(result.code).toBe(0);
    expect(service.requests.map(({ url }) => url)).toEqual([QUICK, FULL]);
  });

  it('fails when the advisory endpoints refuse access (403): a misconfiguration, not a missing service', async () => {
    const service = await advisoryService(status(403));
    const { code, stdout } = await audit(service.registry);
    expect(stdout).toContain('ERR_PNPM_AUDIT_BAD_RESPONSE');
    expect(stdout).toContain('error: the audit failed unexpectedly');
    expect(code).toBe(1);
    expect(service.requests.map(({ url }) => url)).toEqual([QUICK, FULL]);
  });

  it('warns, and passes, when nothing listens at the registry address', async () => {
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as AddressInfo;
    probe.close();
    await once(probe, 'close');
    const { code, stdout } = await audit(`http://127.0.0.1:${port}/`);
    expect(stdout).toContain('the audit did not run');
    expect(stdout).toContain('ECONNREFUSED');
    expect(code).toBe(0);
  });

  it('warns, and passes, when the advisory service does not answer in time', async () => {
    const service = await advisoryService(() => undefined);
    const { code, stdout } = await audit(service.registry, { npm_config_fetch_timeout: '1000' });
    expect(stdout).toContain('the audit did not run');
    expect(stdout).toContain('ERR_SOCKET_TIMEOUT');
    expect(code).toBe(0);
    expect(service.requests.map(({ url }) => url)).toEqual([QUICK]);
  });

  // pnpm reports a 200 whose body is not JSON as a plain ERROR (a JSON parse error, exit 1), not as an
  // unreachable service. The gate fails: something answered as the advisory service, and a broken
  // answer must not pass for "no advisories".
  it('fails when the advisory service answers 200 with something that is not an audit report', async () => {
    const service = await advisoryService(() => ({ status: 200, body: '<html>Welcome</html>' }));
    const { code, stdout } = await audit(service.registry);
    expect(stdout).toContain('is not valid JSON');
    expect(stdout).toContain('error: the audit failed unexpectedly');
    expect(code).toBe(1);
    expect(service.requests.map(({ url }) => url)).toEqual([QUICK]);
  });
});
