/** The command line's parsing: what it makes of good input, and the message it gives for bad. */
import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from '../src/cli.js';
import { RosterPortal } from '../src/roster/portal.js';

const BASE = ['--base-url', 'https://scim.example.com/scim/v2/acme'];

const usageError = (argv: string[]) => {
  try {
    parseCommandLine(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
  throw new Error(`no UsageError for ${argv.join(' ')}`);
};

describe('parseCommandLine', () => {
  it('reads an Entra run with a token', () => {
    const parsed = parseCommandLine([
      '--idp',
      'entra',
      ...BASE,
      '--token',
      'secret',
      '--session',
      'test-connection,initial-cycle',
      '--users',
      '5',
      '--member-batch-size',
      '10',
    ]);
    expect(parsed).toEqual({
      options: {
        profile: { idp: 'entra', mode: 'default' },
        target: { baseUrl: 'https://scim.example.com/scim/v2/acme', token: 'secret' },
        sessions: ['test-connection', 'initial-cycle'],
        sizes: { users: 5 },
        memberBatchSize: 10,
      },
      reportDir: '.',
    });
  });

  it('reads a Ping run with OAuth client credentials and a token URL', () => {
    const parsed = parseCommandLine([
      '--',
      '--idp',
      'ping',
      '--profile',
      'pf',
      '--group-updates',
      'patch',
      ...BASE,
      '--client-id',
      'ping-client',
      '--client-secret',
      's3cret',
      '--token-url',
      'https://scim.example.com/oauth/acme/token',
      '--portal-url',
      'http://127.0.0.1:3000',
      '--portal-org',
      'acme',
      '--portal-key',
      'mgr-key',
      '--report-dir',
      'out',
    ]);
    if ('help' in parsed) throw new Error('unexpected help');
    expect(parsed.reportDir).toBe('out');
    expect(parsed.options.profile).toEqual({ idp: 'ping', profile: 'pf', groupUpdates: 'patch' });
    expect(parsed.options.target).toEqual({
      baseUrl: 'https://scim.example.com/scim/v2/acme',
      oauth: {
        clientId: 'ping-client',
        clientSecret: 's3cret',
        tokenUrl: 'https://scim.example.com/oauth/acme/token',
      },
    });
    expect(parsed.options.portal).toBeInstanceOf(RosterPortal);
  });

  it('answers --help without checking the rest', () => {
    expect(parseCommandLine(['--help'])).toEqual({ help: true });
    expect(parseCommandLine(['--idp', 'okta', '-h'])).toEqual({ help: true });
  });

  it('refuses an unknown IdP or profile', () => {
    expect(usageError(['--idp', 'okta', ...BASE, '--token', 't'])).toMatch(
      /Unknown --idp "okta": use entra or ping/,
    );
    expect(usageError(['--idp', 'ping', '--profile', 'default', ...BASE, '--token', 't'])).toMatch(
      /Unknown Ping profile "default"/,
    );
    expect(usageError([...BASE, '--token', 't'])).toMatch(/--idp is required/);
  });

  it('wants exactly one authentication method', () => {
    expect(usageError(['--idp', 'entra', ...BASE, '--token', 't', '--client-id', 'c'])).toMatch(/not both/);
    expect(usageError(['--idp', 'entra', ...BASE])).toMatch(
      /Give --token, or --client-id and --client-secret/,
    );
    expect(usageError(['--idp', 'entra', ...BASE, '--client-id', 'c', '--token-url', 'https://x/t'])).toMatch(
      /need --client-secret/,
    );
    expect(usageError(['--idp', 'entra', ...BASE, '--client-id', 'c', '--client-secret', 's'])).toMatch(
      /need --token-url or --issuer/,
    );
  });

  it('wants a base URL that parses', () => {
    expect(usageError(['--idp', 'entra', '--token', 't'])).toMatch(/--base-url is required/);
    expect(usageError(['--idp', 'entra', '--base-url', 'scim.example.com', '--token', 't'])).toMatch(
      /--base-url is not a URL/,
    );
  });

  it('wants positive integers for sizes', () => {
    const entra = ['--idp', 'entra', ...BASE, '--token', 't'];
    expect(usageError([...entra, '--users', 'ten'])).toBe('--users must be a positive integer, not "ten"');
    expect(usageError([...entra, '--groups', '0'])).toMatch(/--groups must be a positive integer/);
    expect(usageError([...entra, '--max-token-wait', '1.5'])).toMatch(
      /--max-token-wait must be a positive integer/,
    );
  });

  it('refuses unknown options and sessions, and a partial portal', () => {
    const entra = ['--idp', 'entra', ...BASE, '--token', 't'];
    expect(usageError([...entra, '--verbose'])).toMatch(/verbose/);
    expect(usageError([...entra, '--session', 'nope'])).toMatch(/Unknown session nope/);
    expect(usageError([...entra, '--portal-url', 'http://127.0.0.1:3000'])).toMatch(
      /missing --portal-org, --portal-key/,
    );
  });
});
