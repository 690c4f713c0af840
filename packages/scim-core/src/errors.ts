/**
 * The one SCIM error model (RFC 7644 §3.12). Every failure the SCIM service reports is a
 * {@link ScimError}; the HTTP layer maps it to a response body exactly once.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7644#section-3.12
 */

export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** The `scimType` keywords RFC 7644 §3.12 defines. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

export type ScimErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 412 | 413 | 415 | 429 | 500 | 501 | 503;

/** Which `scimType` values may accompany which status: the RFC ties each keyword to 400 or 409. */
const ALLOWED_TYPES: Partial<Record<ScimErrorStatus, readonly ScimType[]>> = {
  400: [
    'invalidFilter',
    'tooMany',
    'mutability',
    'invalidSyntax',
    'invalidPath',
    'noTarget',
    'invalidValue',
    'invalidVers',
    'sensitive',
  ],
  409: ['uniqueness'],
};

export interface ScimErrorBody {
  schemas: [typeof ERROR_SCHEMA];
  status: string;
  scimType?: ScimType;
  detail: string;
}

export class ScimError extends Error {
  readonly status: ScimErrorStatus;
  readonly scimType: ScimType | undefined;
  /** Extra response headers, e.g. `Retry-After` on 429 and 503, `WWW-Authenticate` on 401. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: ScimErrorStatus,
    detail: string,
    options: { scimType?: ScimType; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(detail, { cause: options.cause });
    const allowed = ALLOWED_TYPES[status] ?? [];
    if (options.scimType && !allowed.includes(options.scimType)) {
      // A programmer error: the RFC does not allow this pairing, so refuse to build it.
      throw new TypeError(`scimType "${options.scimType}" cannot accompany status ${status}`);
    }
    this.name = 'ScimError';
    this.status = status;
    this.scimType = options.scimType;
    this.headers = options.headers ?? {};
  }

  get detail(): string {
    return this.message;
  }

  toBody(): ScimErrorBody {
    return {
      schemas: [ERROR_SCHEMA],
      status: String(this.status),
      ...(this.scimType ? { scimType: this.scimType } : {}),
      detail: this.message,
    };
  }
}

/** Shorthands for the errors raised most often; each names the RFC keyword it carries. */
export const scimErrors = {
  invalidFilter: (detail: string) => new ScimError(400, detail, { scimType: 'invalidFilter' }),
  invalidSyntax: (detail: string) => new ScimError(400, detail, { scimType: 'invalidSyntax' }),
  invalidPath: (detail: string) => new ScimError(400, detail, { scimType: 'invalidPath' }),
  invalidValue: (detail: string) => new ScimError(400, detail, { scimType: 'invalidValue' }),
  noTarget: (detail: string) => new ScimError(400, detail, { scimType: 'noTarget' }),
  mutability: (detail: string) => new ScimError(400, detail, { scimType: 'mutability' }),
  tooMany: (detail: string) => new ScimError(400, detail, { scimType: 'tooMany' }),
  uniqueness: (detail: string) => new ScimError(409, detail, { scimType: 'uniqueness' }),
  notFound: (detail: string) => new ScimError(404, detail),
  preconditionFailed: (detail: string) => new ScimError(412, detail),
};

export function isScimError(value: unknown): value is ScimError {
  return value instanceof ScimError;
}
