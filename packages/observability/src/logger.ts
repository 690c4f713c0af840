/**
 * The process's logger: pino, JSON lines, with credentials redacted from every line whatever
 * logs them. Redaction is the second line of defence: request lines never carry query strings
 * or bodies, and the path is cut where it carries a token (`loggablePath`); but headers (logged
 * at debug), error objects and their causes (an identity provider's token response) can hold a
 * credential, and each such field is replaced by "[redacted]" before the line is written.
 */
import { type DestinationStream, type Logger, pino } from 'pino';

const CREDENTIAL_HEADERS = ['.authorization', '["proxy-authorization"]', '.cookie', '["set-cookie"]'];
/** Field names that hold a secret wherever they appear (the OAuth and OIDC names included). */
const SECRET_FIELDS = [
  'token',
  'secret',
  'password',
  'clientSecret',
  'client_secret',
  'access_token',
  'refresh_token',
  'id_token',
  'code_verifier',
  'assertion',
  'client_assertion',
  'SAMLResponse',
  'setupLink',
  'setupUrl',
];

/** What pino's `redact` removes: headers of requests, responses and errors; secret-named fields up to three levels down. */
export const REDACTED_PATHS: readonly string[] = [
  ...[
    'req.headers',
    'res.headers',
    'headers',
    'err.headers',
    'err.request.headers',
    'err.response.headers',
  ].flatMap((prefix) => CREDENTIAL_HEADERS.map((header) => `${prefix}${header}`)),
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`, `*.*.*.${field}`]),
];

export const REDACTED = '[redacted]';

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: [...REDACTED_PATHS], censor: REDACTED } };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * The request's path as it may be logged: a one-time setup link's token
 * (`/sso/{org}/setup/{token}`) and anything shaped like one of Roster's tokens (`rsk_…`, `rss_…`,
 * `rrt_…`: pasted into a URL by mistake) are replaced.
 */
export function loggablePath(path: string): string {
  const segments = path.split('/');
  return segments
    .map((segment, i) =>
      (i > 0 && segments[i - 1] === 'setup' && segment !== '') || /^(?:rsk|rss|rrt)_[^/]*\./.test(segment)
        ? REDACTED
        : segment,
    )
    .join('/');
}
