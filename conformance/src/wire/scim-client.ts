/**
 * The HTTP side of a simulated IdP: one SCIM endpoint, the IdP's credentials, its content type
 * and query encoding, and its reaction to throttling (429 with `Retry-After`) and to a refused
 * token (401: fetch a new one once). Every exchange is counted, so a session can tell reads from
 * writes.
 */
import type { Credentials } from './credentials.js';
import type { Resource } from './scim-paths.js';

export interface ScimClientOptions {
  /** The SCIM base URL, e.g. `https://roster.example.com/scim/v2/acme`. */
  baseUrl: string;
  credentials: Credentials;
  /**
   * How spaces in a query are encoded: Entra sends `+` (docs/reference/entra.md#query-encoding), Ping `%20`.
   */
  spaceEncoding?: '+' | '%20';
  /** Retries of a throttled request, honouring `Retry-After`; 0 turns retries off. */
  throttleRetries?: number;
  /** Longest wait for one `Retry-After`, in seconds; longer waits are cut to it. */
  maxRetryAfterSeconds?: number;
  /** Per-request timeout, in milliseconds. */
  timeoutMs?: number;
  userAgent?: string;
  /** How the client waits before a retry (tests pass their own, to see the waits). */
  wait?: (ms: number) => Promise<void>;
  /** What sends the requests: the global `fetch` when absent (a harness passes its own, to see the exchanges). */
  fetch?: typeof fetch;
}

export interface ScimResponse {
  status: number;
  headers: Headers;
  /** The parsed JSON body; undefined when empty; `{ unparsable: text }` when not JSON. */
  body: Resource | undefined;
}

export interface ClientStats {
  requests: number;
  writes: number;
  throttled: number;
  unauthorized: number;
}

export type QueryValue = string | number | undefined;

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** `Retry-After` as seconds: a number of seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ScimClient {
  readonly stats: ClientStats = { requests: 0, writes: 0, throttled: 0, unauthorized: 0 };
  /** The base URL without a trailing slash. */
  readonly baseUrl: string;

  constructor(private readonly options: ScimClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  get credentials(): Credentials {
    return this.options.credentials;
  }

  /** `path` is relative to the base URL (`/Users`); query values are encoded as the IdP does. */
  async request(
    method: string,
    path: string,
    options: { query?: Record<string, QueryValue>; body?: unknown } = {},
  ): Promise<ScimResponse> {
    const url = this.baseUrl + path + this.queryString(options.query);
    const retries = this.options.throttleRetries ?? 5;
    let renewed = false;
    let throttles = 0;
    for (;;) {
      const response = await this.send(method, url, options.body);
      if (response.status === 401) {
        this.stats.unauthorized += 1;
        if (!renewed && (await this.options.credentials.renew())) {
          renewed = true;
          continue;
        }
      }
      if (response.status === 429) {
        this.stats.throttled += 1;
        if (throttles < retries) {
          const wait = retryAfterSeconds(response.headers.get('retry-after')) ?? Math.min(2 ** throttles, 30);
          throttles += 1;
          await (this.options.wait ?? sleep)(Math.min(wait, this.options.maxRetryAfterSeconds ?? 60) * 1000);
          continue;
        }
      }
      return response;
    }
  }

  private queryString(query: Record<string, QueryValue> | undefined): string {
    const pairs = Object.entries(query ?? {}).filter(([, v]) => v !== undefined);
    if (pairs.length === 0) return '';
    const encode = (text: string) =>
      this.options.spaceEncoding === '%20'
        ? encodeURIComponent(text)
        : encodeURIComponent(text).replace(/%20/g, '+');
    return `?${pairs.map(([k, v]) => `${encode(k)}=${encode(String(v))}`).join('&')}`;
  }

  private async send(method: string, url: string, body: unknown): Promise<ScimResponse> {
    this.stats.requests += 1;
    if (WRITES.has(method)) this.stats.writes += 1;
    const headers: Record<string, string> = {
      Authorization: await this.options.credentials.authorization(),
      Accept: 'application/scim+json, application/json',
    };
    if (this.options.userAgent) headers['User-Agent'] = this.options.userAgent;
    if (body !== undefined) headers['Content-Type'] = 'application/scim+json';
    const res = await (this.options.fetch ?? fetch)(url, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
    });
    const text = await res.text();
    let parsed: Resource | undefined;
    if (text) {
      try {
        parsed = JSON.parse(text) as Resource;
      } catch {
        parsed = { unparsable: text.slice(0, 500) };
      }
    }
    return { status: res.status, headers: res.headers, body: parsed };
  }
}
