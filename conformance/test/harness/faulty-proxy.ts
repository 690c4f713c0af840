/**
 * "Another SCIM server" for the CLI to run against: a proxy in front of Roster that adds faults
 * seen in peer SCIM servers (docs/reference/ping.md#interoperability-problems,
 * docs/reference/entra.md#what-entra-expects-back, #group-membership), so a test can show that the simulators
 * notice them and the reports say so. Each fault is a switch.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Faults {
  /**
   * Filters must say `userName eq` exactly: PingOne's `username Eq` gets 400
   * (docs/reference/ping.md#filter-casing).
   */
  caseSensitiveFilters?: boolean;
  /**
   * Lookups leave deactivated users out, so Entra cannot re-activate them
   * (docs/reference/entra.md#reactivation).
   */
  hideInactiveUsers?: boolean;
  /**
   * Phone numbers are stored without spaces: not as sent (docs/reference/entra.md#what-entra-expects-back).
   */
  reformatPhoneNumbers?: boolean;
  /**
   * `Remove members` with a value array removes every member: the strict reading (entra.md#group-membership).
   */
  strictMemberRemove?: boolean;
  /** Every n-th request answers 429 with `Retry-After: 1`. */
  throttleEvery?: number;
}

export interface FaultyProxy {
  /** The proxy's origin; SCIM paths are the upstream's. */
  origin: string;
  throttled: number;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

function rewriteRequest(body: Json, faults: Faults): Json {
  const text = JSON.stringify(body);
  let out = body;
  if (faults.reformatPhoneNumbers) {
    out = JSON.parse(
      text.replace(/"(\+\d[\d ]+)"/g, (_, phone: string) => JSON.stringify(phone.replace(/ /g, ''))),
    ) as Json;
  }
  if (faults.strictMemberRemove && Array.isArray(out.Operations)) {
    out.Operations = (out.Operations as Json[]).map((op) =>
      String(op.op).toLowerCase() === 'remove' && op.path === 'members'
        ? { op: 'remove', path: 'members' }
        : op,
    );
  }
  return out;
}

export async function startFaultyProxy(upstream: string, faults: Faults): Promise<FaultyProxy> {
  let requests = 0;
  const proxy: FaultyProxy = { origin: '', throttled: 0, close: async () => {} };
  const server = createServer(async (req, res) => {
    requests += 1;
    const url = new URL(req.url ?? '/', upstream);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/scim+json', ...headers });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (faults.throttleEvery && requests % faults.throttleEvery === 0) {
      proxy.throttled += 1;
      return send(
        429,
        { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '429', detail: 'Slow down.' },
        { 'Retry-After': '1' },
      );
    }
    const filter = url.searchParams.get('filter') ?? '';
    if (faults.caseSensitiveFilters && filter && !/^(userName|displayName) eq /.test(filter)) {
      return send(400, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '400',
        scimType: 'invalidFilter',
        detail: `Unsupported filter ${filter}`,
      });
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString();
    const body = raw ? JSON.stringify(rewriteRequest(JSON.parse(raw) as Json, faults)) : undefined;
    const answer = await fetch(url, {
      method: req.method ?? 'GET',
      headers: {
        ...(req.headers.authorization ? { Authorization: req.headers.authorization } : {}),
        ...(body ? { 'Content-Type': 'application/scim+json' } : {}),
      },
      ...(body ? { body } : {}),
    });
    const text = await answer.text();
    let parsed: Json | undefined = text ? (JSON.parse(text) as Json) : undefined;
    if (faults.hideInactiveUsers && parsed && filter && Array.isArray(parsed.Resources)) {
      const active = (parsed.Resources as Json[]).filter((r) => r.active !== false);
      parsed = { ...parsed, Resources: active, totalResults: active.length };
    }
    const headers: Record<string, string> = {};
    const retryAfter = answer.headers.get('retry-after');
    if (retryAfter) headers['Retry-After'] = retryAfter;
    send(answer.status, parsed, headers);
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  proxy.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return proxy;
}
