#!/usr/bin/env node
// @ts-check
// CI's dependency audit gate: the pinned pnpm's audit of production dependencies, where a high or
// critical advisory fails. An advisory service that cannot be asked is only a warning, because the
// registries this project builds against do not serve npm's advisory endpoints (they answer 405);
// anything else pnpm reports fails, so a broken audit can never pass as a clean one.
// Extra arguments go to pnpm (the tests pass --registry=http://127.0.0.1:PORT/).
// Tested by test/dependency-audit.test.ts.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';

// How pnpm 10 says it could not ask the advisory service, found against a local server. It prints an
// error as "CODE  message" on a line of its own (the code padded with thin spaces, U+2009), after any
// retry warnings:
// - both endpoints (POST /-/npm/v1/security/audits/quick, then /audits) answered 404:
//   ERR_PNPM_AUDIT_ENDPOINT_NOT_EXISTS;
// - any other non-200 pair: ERR_PNPM_AUDIT_BAD_RESPONSE, with both statuses in the message;
// - network failures: Node's code; a fetch timeout is ERR_SOCKET_TIMEOUT, not ETIMEDOUT.
// (pnpm retries 5xx answers and network failures twice, so those take over a minute to arrive.)
// A 200 whose body is not an audit report is a plain "ERROR" line, and so fails: it cannot be told
// apart from a broken advisory service.
const UNAVAILABLE =
  /^[^\S\n]*(ERR_PNPM_AUDIT_ENDPOINT_NOT_EXISTS|ERR_PNPM_AUDIT_BAD_RESPONSE|ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ERR_SOCKET_TIMEOUT|EHOSTUNREACH|ENETUNREACH)[^\S\n]/m;

const pnpm = fileURLToPath(new URL('./pnpm.mjs', import.meta.url));
const result = spawnSync(
  process.execPath,
  [pnpm, 'audit', '--prod', '--audit-level', 'high', ...process.argv.slice(2)],
  { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
);

// npx's own warnings (e.g. `npm warn Unknown user config "nodedir"`) are about npm, not the audit.
// Colours are stripped so that the codes above match even with FORCE_COLOR set.
const output = stripVTControlCharacters(`${result.stdout ?? ''}${result.stderr ?? ''}`)
  .split('\n')
  .filter((line) => !line.startsWith('npm warn '))
  .join('\n')
  .trimEnd();

if (result.status === 0) {
  if (output) console.log(output); // may list findings below the level, e.g. "Severity: 1 moderate"
  console.log('no high or critical advisories');
  process.exit(0);
}

const unavailable = UNAVAILABLE.exec(output);
if (unavailable && (unavailable[1] !== 'ERR_PNPM_AUDIT_BAD_RESPONSE' || onlyMissingService(output))) {
  console.log('warning: the advisory service could not be reached; the audit did not run:');
  console.log(output.slice(unavailable.index).split('\n').slice(0, 3).join('\n'));
  process.exit(0);
}

if (output) console.log(output);
if (result.error) console.log(String(result.error));
console.log(
  /vulnerabilities found/.test(output)
    ? 'error: high or critical advisories found'
    : `error: the audit failed unexpectedly (exit ${result.status ?? result.signal})`,
);
process.exit(1);

/**
 * Whether every status in ERR_PNPM_AUDIT_BAD_RESPONSE's message ("responded with 405: ...") means
 * there is no advisory service there (404, 405, 5xx). A 401 or 403, say, is a misconfiguration
 * that must not be waved through.
 * @param {string} output
 */
function onlyMissingService(output) {
  const statuses = [...output.matchAll(/responded with (\d{3}):/g)].map((match) => Number(match[1]));
  return statuses.length > 0 && statuses.every((status) => status === 404 || status === 405 || status >= 500);
}
