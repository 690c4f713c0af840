/**
 * The Markdown report of conformance runs, for a pull request, a CI summary or an IdP vendor's
 * review: per run a table of sessions, then what went wrong in each session, with the IdP's
 * failures laid out as its provisioning log lays them out, so they read like the admin's view.
 */
import type { LogEntry } from '../provisioning/provisioner.js';
import type { RunResult, SessionResult } from '../run.js';
import type { AuthKind } from '../sessions/context.js';

/** How the report names an authentication method. */
export const authLabel = (auth: AuthKind) => (auth === 'oauth' ? 'OAuth client credentials' : 'token');

export const formatDuration = (ms: number) => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

export const checkCount = (session: SessionResult) =>
  `${session.checks.filter((c) => c.ok).length}/${session.checks.length}`;

/**
 * A table cell: a `|` would end the cell and a line break the row. GFM honours `\|` even inside
 * code spans, and `<br>` keeps a multi-line reason readable in one cell.
 */
const cell = (value: string | number | undefined) =>
  String(value ?? '')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>');

/** Text in a list item: continuation lines are indented so they stay in the item. */
const listText = (value: string) => value.replace(/\r?\n/g, '\n  ');

const table = (header: string[], rows: (string | number | undefined)[][]) =>
  [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');

const statusText = (status: SessionResult['status']) => (status === 'failed' ? '**failed**' : status);

function summaryTable(run: RunResult): string {
  return table(
    ['Session', 'Status', 'Checks', 'Requests', 'Writes', 'Duration'],
    run.sessions.map((s) => [
      s.title,
      statusText(s.status),
      checkCount(s),
      s.requests,
      s.writes,
      formatDuration(s.ms),
    ]),
  );
}

/** The failures as the IdP's provisioning log lists them (Entra's log, Ping's sync summary). */
function logTable(entries: LogEntry[]): string {
  return table(
    ['Cycle', 'Action', 'Object', 'Source', 'Status', 'Error code', 'Reason', 'Request'],
    entries.map((e) => [
      e.cycle,
      e.action,
      e.targetId ? `${e.objectType} ${e.targetId}` : e.objectType,
      e.source,
      e.status,
      e.errorCode,
      e.reason,
      e.request,
    ]),
  );
}

/** A session's section, or nothing when it passed and the IdP logged no failure. */
function sessionSection(session: SessionResult): string | undefined {
  const failedChecks = session.checks.filter((c) => !c.ok);
  if (session.status === 'passed' && session.log.length === 0) return undefined;
  const parts = [`### ${session.title} — ${session.status}`];
  if (session.status === 'skipped') {
    parts.push(`Skipped: ${listText(session.reason ?? 'no reason given')}`);
  } else if (session.reason) {
    // A reason on a failed session is the error that stopped it before its last check.
    parts.push(`Stopped by an error: ${listText(session.reason)}`);
  }
  if (failedChecks.length) {
    parts.push(
      [
        'Failed checks:',
        '',
        ...failedChecks.map((c) => `- ${listText(c.name)}${c.detail ? `  \n  ${listText(c.detail)}` : ''}`),
      ].join('\n'),
    );
  }
  if (session.log.length) {
    // Sessions provoke some failures on purpose (a 409 on a duplicate), so a passed session may list some.
    parts.push(`Failures in the IdP's provisioning log (${session.log.length}):\n\n${logTable(session.log)}`);
  }
  return parts.join('\n\n');
}

function runSection(run: RunResult): string {
  const counts = (['passed', 'failed', 'skipped'] as const)
    .map((status) => `${run.sessions.filter((s) => s.status === status).length} ${status}`)
    .join(', ');
  const sections = run.sessions.map(sessionSection).filter((s): s is string => s !== undefined);
  return [
    `## ${run.label} · ${authLabel(run.auth)}`,
    [
      `- Target: ${run.baseUrl}`,
      `- Authentication: ${authLabel(run.auth)}`,
      `- Started: ${run.startedAt}`,
      `- Result: ${run.passed ? 'passed' : '**failed**'} (${counts})`,
    ].join('\n'),
    summaryTable(run),
    ...sections,
  ].join('\n\n');
}

export function markdownReport(results: RunResult[]): string {
  const overall = results.every((r) => r.passed) ? 'passed' : 'failed';
  return `${['# Roster conformance report', `Overall: ${overall}`, ...results.map(runSection)].join('\n\n')}\n`;
}
