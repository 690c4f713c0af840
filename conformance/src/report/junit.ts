/**
 * The JUnit XML report of conformance runs, for CI test views: a suite per run, a test case per
 * session. A session's failed checks are its failure; the IdP's failure log goes to system-out,
 * where CI shows it next to the test case.
 */
import type { Builder } from 'junit-report-builder';
import junit from 'junit-report-builder';
import type { RunResult, SessionResult } from '../run.js';
import { formatEntry } from '../sessions/context.js';
import { authLabel } from './markdown.js';

/**
 * The package is CommonJS (`module.exports = builder`) but its types declare `export default`:
 * Node hands the builder itself to a default import, while TypeScript expects it under `.default`.
 * Either way, `newBuilder()` then gives a builder of our own, with no state shared between reports.
 */
const root = ((junit as unknown as { default?: Builder }).default ?? junit) as unknown as Builder;

/**
 * XML 1.0 has no place for most control characters or lone surrogates, and xmlbuilder throws on
 * them; a target's error text can hold anything, so they become U+FFFD. The test is the XML `Char`
 * production, code point by code point (a string iterator yields a lone surrogate on its own).
 */
function xmlSafe(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const legal =
      code === 0x9 ||
      code === 0xa ||
      code === 0xd ||
      (code >= 0x20 && code <= 0xd7ff) ||
      (code >= 0xe000 && code <= 0xfffd) ||
      code >= 0x10000;
    out += legal ? char : '\uFFFD';
  }
  return out;
}

const seconds = (ms: number) => ms / 1000;

/** The failure message: one line, every failed check, and the error that stopped the session. */
function failureMessage(session: SessionResult): string {
  const failed = session.checks.filter((c) => !c.ok).map((c) => c.name);
  const parts = [
    ...(session.reason ? [`stopped by an error: ${session.reason}`] : []),
    ...(failed.length
      ? [`${failed.length} failed check${failed.length === 1 ? '' : 's'}: ${failed.join('; ')}`]
      : []),
  ];
  return parts.length ? parts.join(' — ') : 'failed';
}

/** The failure body: each failed check with its detail. */
function failureBody(session: SessionResult): string {
  const lines = session.reason ? [`Stopped by an error: ${session.reason}`, ''] : [];
  for (const check of session.checks.filter((c) => !c.ok)) {
    lines.push(`✗ ${check.name}`);
    if (check.detail) lines.push(`    ${check.detail}`);
  }
  return lines.join('\n');
}

/** What system-out carries: the skip reason, and the failures in the IdP's log. */
function standardOutput(session: SessionResult): string | undefined {
  const lines: string[] = [];
  if (session.status === 'skipped') lines.push(`Skipped: ${session.reason ?? 'no reason given'}`);
  if (session.log.length) {
    lines.push(`Failures in the IdP's provisioning log (${session.log.length}):`);
    for (const entry of session.log) lines.push(`cycle ${entry.cycle}: ${formatEntry(entry)}`);
  }
  return lines.length ? lines.join('\n') : undefined;
}

export function junitReport(results: RunResult[]): string {
  const builder = root.newBuilder();
  builder.name('Roster conformance');
  for (const run of results) {
    const suite = builder
      .testSuite()
      .name(xmlSafe(`${run.label} · ${authLabel(run.auth)}`))
      .timestamp(run.startedAt)
      .time(seconds(run.sessions.reduce((sum, s) => sum + s.ms, 0)))
      .property('baseUrl', xmlSafe(run.baseUrl))
      .property('auth', run.auth);
    for (const session of run.sessions) {
      const testCase = suite.testCase().className(xmlSafe(run.label)).name(xmlSafe(session.title));
      testCase.time(seconds(session.ms));
      if (session.status === 'skipped') testCase.skipped();
      if (session.status === 'failed') {
        testCase.failure(xmlSafe(failureMessage(session)), 'ConformanceFailure');
        // The library writes a failure's body through stacktrace().
        const body = failureBody(session);
        if (body) testCase.stacktrace(xmlSafe(body));
      }
      const out = standardOutput(session);
      if (out) testCase.standardOutput(xmlSafe(out));
    }
  }
  return builder.build();
}
