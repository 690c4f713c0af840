/**
 * The one way the server makes requests of its own to addresses an administrator configured
 * (OIDC discovery, JWKS and token calls; later webhooks): a `fetch` that, outside development,
 * - takes `https:` only;
 * - resolves the host once, refuses it if ANY address it resolves to is not public (see
 *   addresses.ts) or if it is a metadata service's name, and connects to exactly the addresses it
 *   checked (the check is the socket's own `lookup`, so there is no second resolution for a DNS
 *   rebinding attacker to win);
 * - never follows redirects (a 3xx is returned as it is), gives up after a short timeout, and
 *   refuses a response larger than a cap.
 * In development (`ROSTER_ENV=development`) plain http and every address are allowed, so a local
 * identity provider works. Failures are `EgressError`s whose message is for the log, not for the
 * caller.
 */
import { promises as dns, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { addressRange, isMetadataHost, isPublicAddress } from './addresses.js';

export { addressRange, isMetadataHost, isPublicAddress } from './addresses.js';

/** `not_allowed`: the destination is refused by the rules; `unreachable`: it failed or misbehaved. */
export type EgressFailure = 'not_allowed' | 'unreachable';

export class EgressError extends Error {
  constructor(
    readonly failure: EgressFailure,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'EgressError';
  }
}

/** The first EgressError in an error's chain of causes (libraries wrap what fetch throws). */
export function egressErrorIn(error: unknown): EgressError | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof EgressError) return e;
  }
  return undefined;
}

export interface EgressOptions {
  /** `config.development`: plain http and private addresses allowed. */
  development: boolean;
  /** Per request, connection to last byte (default 10 s). */
  timeoutMs?: number;
  /** Largest response body (default 1 MiB: discovery documents and key sets are a few KiB). */
  maxResponseBytes?: number;
  /** How host names are resolved (default: the system resolver, every address). For tests. */
  resolve?: (hostname: string) => Promise<LookupAddress[]>;
}

export type EgressFetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

const systemResolve = (hostname: string) => dns.lookup(hostname, { all: true, verbatim: true });

/**
 * What can be refused before any resolution: the scheme, a metadata service's name, an address
 * written into the URL. For checking a URL when it is saved; the fetch checks it again.
 */
export function checkDestination(url: URL, development: boolean): void {
  if (url.protocol !== 'https:' && !(development && url.protocol === 'http:')) {
    throw new EgressError(
      'not_allowed',
      `${url.href}: ${url.protocol} is refused (https only outside development)`,
    );
  }
  if (development) return;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isMetadataHost(host)) throw new EgressError('not_allowed', `${url.href}: a metadata service's name`);
  if (isIP(host) && !isPublicAddress(host)) {
    throw new EgressError(
      'not_allowed',
      `${url.href}: ${host} is not a public address (${addressRange(host)})`,
    );
  }
}

/** The socket's lookup: resolve once, refuse unless every address is public, hand over those. */
export function checkedLookup(resolve: (hostname: string) => Promise<LookupAddress[]>): LookupFunction {
  return (hostname, options, callback) => {
    const done = callback as (
      error: Error | null,
      address?: string | LookupAddress[],
      family?: number,
    ) => void;
    resolve(hostname).then(
      (addresses) => {
        const refused = addresses.filter((a) => !isPublicAddress(a.address));
        if (refused.length > 0) {
          const list = refused.map((a) => `${a.address} (${addressRange(a.address)})`).join(', ');
          return done(
            new EgressError('not_allowed', `${hostname} resolves to ${list}: not a public address`),
          );
        }
        const usable = addresses.filter((a) => !options.family || a.family === options.family);
        const first = usable[0];
        if (!first) return done(new EgressError('unreachable', `${hostname} resolves to no usable address`));
        if (options.all) return done(null, usable);
        return done(null, first.address, first.family);
      },
      (error: unknown) =>
        done(new EgressError('unreachable', `${hostname} could not be resolved`, { cause: error })),
    );
  };
}

async function bodyOf(body: RequestInit['body']): Promise<Buffer | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof URLSearchParams) return Buffer.from(body.toString());
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return Buffer.from(body as Uint8Array);
  return Buffer.from(await new Response(body).arrayBuffer());
}

const NULL_BODY = new Set([101, 204, 205, 304]);

/** A fetch for server-side requests under the rules above (compatible with openid-client's customFetch). */
export function egressFetch(options: EgressOptions): EgressFetch {
  const { development, timeoutMs = 10_000, maxResponseBytes = 1024 * 1024 } = options;
  const lookup = checkedLookup(options.resolve ?? systemResolve);
  return async (input, init = {}) => {
    const url = new URL(String(input));
    checkDestination(url, development);
    const body = await bodyOf(init.body);
    const headers = new Headers(init.headers);
    headers.set('accept-encoding', 'identity');
    if (body) headers.set('content-length', String(body.length));
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return new Promise<Response>((resolve, reject) => {
      const fail = (error: unknown) =>
        reject(
          egressErrorIn(error) ??
            new EgressError(
              'unreachable',
              `${init.method ?? 'GET'} ${url.href}: ${timeout.aborted ? `no answer within ${timeoutMs} ms` : error instanceof Error ? error.message : String(error)}`,
              { cause: error },
            ),
        );
      const client = url.protocol === 'https:' ? https : http;
      const request = client.request(
        url,
        {
          method: init.method ?? 'GET',
          headers: Object.fromEntries(headers),
          signal,
          // Outside development, the socket connects only to the addresses the lookup checked.
          ...(development ? {} : { lookup }),
        },
        (response) => {
          response.on('error', fail);
          const tooLarge = () =>
            new EgressError(
              'unreachable',
              `${url.href}: the response is larger than ${maxResponseBytes} bytes`,
            );
          let refused = false;
          const refuseTooLarge = () => {
            refused = true;
            fail(tooLarge());
            request.destroy();
          };
          if (Number(response.headers['content-length'] ?? 0) > maxResponseBytes) return refuseTooLarge();
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxResponseBytes) refuseTooLarge();
            else if (!refused) chunks.push(chunk);
          });
          response.on('end', () => {
            if (refused) return;
            const status = response.statusCode ?? 502;
            const responseHeaders = new Headers();
            for (const [name, value] of Object.entries(response.headers)) {
              for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
                responseHeaders.append(name, one);
              }
            }
            try {
              const answer = new Response(NULL_BODY.has(status) ? null : Buffer.concat(chunks), {
                status,
                statusText: response.statusMessage ?? '',
                headers: responseHeaders,
              });
              Object.defineProperty(answer, 'url', { value: url.href });
              resolve(answer);
            } catch (error) {
              fail(error);
            }
          });
        },
      );
      request.on('error', fail);
      request.end(body);
    });
  };
}
