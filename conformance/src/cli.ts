#!/usr/bin/env node
/**
 * `pnpm conformance`: replays the provisioning sessions of a simulated Entra ID or Ping Identity
 * against a SCIM endpoint, prints a summary, and writes Markdown and JUnit reports. Parsing is a
 * pure function so tests can check it without running anything.
 */
import { realpathSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { EntraMode } from './entra/patch-body.js';
import { PING_PROFILES, type PingProfileId } from './ping/profiles.js';
import { junitReport } from './report/junit.js';
import { authLabel, checkCount, formatDuration, markdownReport } from './report/markdown.js';
import { RosterPortal } from './roster/portal.js';
import { DEFAULT_SIZES, type IdpProfile, type RunOptions, type RunResult, runConformance } from './run.js';
import { SESSIONS, unknownSessions } from './sessions/catalog.js';
import type { Sizes } from './sessions/context.js';

export const USAGE = `Usage: pnpm conformance --idp entra|ping [options]

Replays an IdP's provisioning sessions against a SCIM endpoint and reports what passed.

IdP
  --idp entra|ping              the SCIM client to simulate (required)
  --profile NAME                entra: default (default) or aadOptscim062020
                                ping: p1 (PingOne, default) or pf (PingFederate)
  --group-updates put|patch     ping: how group membership is written (default: the profile's)
  --session ID[,ID…]            sessions to run (default: all)
                                ${SESSIONS.map((s) => s.id).join(', ')}

Target
  --base-url URL                the SCIM base URL (required)
  --token T                     a long-lived bearer token, or OAuth client credentials:
  --client-id ID --client-secret S
  --token-url U                 the token endpoint
  --issuer I                    the authorization server, for discovery (needs this or --token-url)
  --scope S                     the scope to ask for

Sizes
  --users N                     users of the initial cycle (default ${DEFAULT_SIZES.users})
  --groups M                    groups of the initial cycle (default ${DEFAULT_SIZES.groups})
  --members-per-group K         (default ${DEFAULT_SIZES.membersPerGroup})
  --member-batch-size B         entra: members per membership PATCH
  --max-token-wait SECONDS      longest wait for a token to expire (default 10)

Roster portal (enables the checks only Roster can show; skipped otherwise)
  --portal-url ORIGIN --portal-org SLUG --portal-key KEY

Output
  --report-dir DIR              where conformance-report.md and .xml go (default: .)
  --help                        this text

Exit code: 0 when every session passed or was skipped, 1 when one failed, 2 on a usage error.`;

/** Bad command-line input: main prints the usage and the message, and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export type CommandLine = { options: RunOptions; reportDir: string } | { help: true };

const ENTRA_MODES: readonly EntraMode[] = ['default', 'aadOptscim062020'];
const PING_IDS = Object.keys(PING_PROFILES) as PingProfileId[];

const OPTIONS = {
  idp: { type: 'string' },
  profile: { type: 'string' },
  'group-updates': { type: 'string' },
  session: { type: 'string', multiple: true },
  'base-url': { type: 'string' },
  token: { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  'token-url': { type: 'string' },
  issuer: { type: 'string' },
  scope: { type: 'string' },
  users: { type: 'string' },
  groups: { type: 'string' },
  'members-per-group': { type: 'string' },
  'member-batch-size': { type: 'string' },
  'max-token-wait': { type: 'string' },
  'portal-url': { type: 'string' },
  'portal-org': { type: 'string' },
  'portal-key': { type: 'string' },
  'report-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

function positiveInteger(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  // Digits only: Number() would take '1e3', '0x10' or ' 5 '.
  const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`--${name} must be a positive integer, not "${value}"`);
  return n;
}

function httpUrl(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--${name} is not a URL: "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--${name} must be an http or https URL, not "${value}"`);
  return url;
}

function idpProfile(values: Values): IdpProfile {
  const { idp, profile } = values;
  const groupUpdates = values['group-updates'];
  if (!idp) throw new UsageError('--idp is required: entra or ping');
  if (idp === 'entra') {
    if (groupUpdates !== undefined) throw new UsageError('--group-updates applies to --idp ping only');
    const mode = (profile ?? 'default') as EntraMode;
    if (!ENTRA_MODES.includes(mode))
      throw new UsageError(`Unknown Entra profile "${profile}": use ${ENTRA_MODES.join(' or ')}`);
    return { idp, mode };
  }
  if (idp === 'ping') {
    if (values['member-batch-size'] !== undefined)
      throw new UsageError('--member-batch-size applies to --idp entra only');
    const id = (profile ?? 'p1') as PingProfileId;
    if (!PING_IDS.includes(id))
      throw new UsageError(`Unknown Ping profile "${profile}": use ${PING_IDS.join(' or ')}`);
    if (groupUpdates !== undefined && groupUpdates !== 'put' && groupUpdates !== 'patch')
      throw new UsageError(`--group-updates must be put or patch, not "${groupUpdates}"`);
    return { idp, profile: id, ...(groupUpdates ? { groupUpdates } : {}) };
  }
  throw new UsageError(`Unknown --idp "${idp}": use entra or ping`);
}

function target(values: Values): RunOptions['target'] {
  const baseUrl = values['base-url'];
  if (!baseUrl) throw new UsageError('--base-url is required');
  httpUrl('base-url', baseUrl);
  const { token, issuer, scope } = values;
  const clientId = values['client-id'];
  const clientSecret = values['client-secret'];
  const tokenUrl = values['token-url'];
  const oauthGiven = [clientId, clientSecret, tokenUrl, issuer, scope].some((v) => v !== undefined);
  if (token !== undefined && oauthGiven)
    throw new UsageError(
      'Give either --token or OAuth client credentials (--client-id, --client-secret), not both',
    );
  if (token !== undefined) {
    if (!token) throw new UsageError('--token is empty');
    return { baseUrl, token };
  }
  if (!oauthGiven) throw new UsageError('Give --token, or --client-id and --client-secret');
  if (!clientId) throw new UsageError('OAuth client credentials need --client-id');
  if (!clientSecret) throw new UsageError('OAuth client credentials need --client-secret');
  if (!tokenUrl && !issuer) throw new UsageError('OAuth client credentials need --token-url or --issuer');
  if (tokenUrl) httpUrl('token-url', tokenUrl);
  if (issuer) httpUrl('issuer', issuer);
  return {
    baseUrl,
    oauth: {
      clientId,
      clientSecret,
      ...(tokenUrl ? { tokenUrl } : {}),
      ...(issuer ? { issuer } : {}),
      ...(scope ? { scope } : {}),
    },
  };
}

function sessions(values: Values): string[] | undefined {
  if (!values.session) return undefined;
  const ids = values.session
    .flatMap((v) => v.split(','))
    .map((id) => id.trim())
    .filter(Boolean);
  if (!ids.length) throw new UsageError('--session names no session');
  const unknown = unknownSessions(ids);
  if (unknown) throw new UsageError(unknown);
  return [...new Set(ids)];
}

function portal(values: Values): RosterPortal | undefined {
  const given = { url: values['portal-url'], org: values['portal-org'], key: values['portal-key'] };
  const missing = Object.entries(given).filter(([, v]) => !v);
  if (missing.length === 3) return undefined;
  if (missing.length)
    throw new UsageError(
      `The Roster portal needs --portal-url, --portal-org and --portal-key; missing ${missing.map(([k]) => `--portal-${k}`).join(', ')}`,
    );
  const url = httpUrl('portal-url', given.url as string);
  // The portal appends /api/v1/orgs/…; a path here would be silently dropped, so refuse it.
  if (url.pathname !== '/' || url.search)
    throw new UsageError(`--portal-url takes an origin such as http://127.0.0.1:3000, not "${given.url}"`);
  return new RosterPortal({ origin: url.origin, org: given.org as string, managerKey: given.key as string });
}

/** The run the command line asks for; throws UsageError on bad input. */
export function parseCommandLine(argv: string[]): CommandLine {
  // `pnpm conformance -- --idp …` passes the separator through.
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  let values: Values;
  try {
    ({ values } = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return { help: true };

  const profile = idpProfile(values);
  const sizes: Partial<Sizes> = {};
  const users = positiveInteger('users', values.users);
  const groups = positiveInteger('groups', values.groups);
  const membersPerGroup = positiveInteger('members-per-group', values['members-per-group']);
  if (users !== undefined) sizes.users = users;
  if (groups !== undefined) sizes.groups = groups;
  if (membersPerGroup !== undefined) sizes.membersPerGroup = membersPerGroup;
  const memberBatchSize = positiveInteger('member-batch-size', values['member-batch-size']);
  const maxTokenWaitSeconds = positiveInteger('max-token-wait', values['max-token-wait']);
  const wanted = sessions(values);
  const rosterPortal = portal(values);

  const options: RunOptions = {
    profile,
    target: target(values),
    ...(wanted ? { sessions: wanted } : {}),
    ...(Object.keys(sizes).length ? { sizes } : {}),
    ...(memberBatchSize !== undefined ? { memberBatchSize } : {}),
    ...(maxTokenWaitSeconds !== undefined ? { maxTokenWaitSeconds } : {}),
    ...(rosterPortal ? { portal: rosterPortal } : {}),
  };
  return { options, reportDir: values['report-dir'] || '.' };
}

/** A plain-text table for the terminal, columns padded to their widest cell. */
function textTable(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function summary(result: RunResult): string {
  const rows = [
    ['Session', 'Status', 'Checks', 'Requests', 'Writes', 'Duration'],
    ...result.sessions.map((s) => [
      s.title,
      s.status,
      checkCount(s),
      String(s.requests),
      String(s.writes),
      formatDuration(s.ms),
    ]),
  ];
  return [
    `${result.label} · ${authLabel(result.auth)} · ${result.baseUrl}`,
    textTable(rows),
    result.passed ? 'Passed.' : 'Failed.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  let commandLine: CommandLine;
  try {
    commandLine = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${USAGE}\n\nError: ${error.message}\n`);
    return 2;
  }
  if ('help' in commandLine) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const { options, reportDir } = commandLine;
  const result = await runConformance({
    ...options,
    onProgress: (message) => process.stderr.write(`${message}\n`),
  });

  const dir = resolve(reportDir);
  await mkdir(dir, { recursive: true });
  const markdownPath = resolve(dir, 'conformance-report.md');
  const junitPath = resolve(dir, 'conformance-report.xml');
  await writeFile(markdownPath, markdownReport([result]));
  await writeFile(junitPath, junitReport([result]));

  process.stdout.write(`\n${summary(result)}\n\nReports:\n  ${markdownPath}\n  ${junitPath}\n`);
  return result.passed ? 0 : 1;
}

/** True when node runs this file, not when a test imports it; bin links resolve to the real path. */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
