/**
 * The fetch against a real local server: a name resolving to 127.0.0.1 is refused outside
 * development and reached in development; plain http, literal private addresses and metadata
 * names are refused before any connection; redirects are not followed; size and time are capped.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDestination, checkedLookup, EgressError, egressFetch } from './egress.js';

let server: Server;
let port: number;
let connections = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/redirect') {
      res.writeHead(302, { Location: 'http://169.254.169.254/latest/meta-data/' }).end();
    } else if (req.url === '/large') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('x'.repeat(4096));
    } else if (req.url === '/slow') {
      setTimeout(() => res.end('late'), 1_000);
    } else {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () =>
        res
          .writeHead(200, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ method: req.method, body })),
      );
    }
  });
  server.on('connection', () => {
    connections++;
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A resolver where idp.example.test is on the loopback interface (as a rebinding name could be). */
const resolve = async (hostname: string) => {
  if (hostname === 'idp.example.test') return [{ address: '127.0.0.1', family: 4 }];
  if (hostname === 'mixed.example.test')
    return [
      { address: '93.184.215.14', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ];
  throw new Error(`ENOTFOUND ${hostname}`);
};

async function refusal(promise: Promise<unknown>): Promise<EgressError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EgressError);
  return error as EgressError;
}

describe('egressFetch', () => {
  it('refuses a name that resolves to a loopback address outside development, without connecting', async () => {
    const before = connections;
    const production = egressFetch({ development: false, resolve });
    // https, as production demands: the lookup refuses before any connection is made.
    const error = await refusal(production(`https://idp.example.test:${port}/x`));
    expect(error.failure).toBe('not_allowed');
    expect(error.message).toMatch(/127\.0\.0\.1 \(loopback\)/);
    // One private address among public ones is enough to refuse.
    expect((await refusal(production(`https://mixed.example.test:${port}/x`))).message).toMatch(
      /10\.0\.0\.7/,
    );
    expect(connections).toBe(before);
  });

  it('reaches the same name in development, plain http included', async () => {
    const development = egressFetch({ development: true, resolve });
    const res = await development(`http://localhost:${port}/echo`, {
      method: 'POST',
      body: new URLSearchParams({ a: 'b' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ method: 'POST', body: 'a=b' });
  });

  it('refuses plain http, literal private addresses and metadata names before resolving', async () => {
    const production = egressFetch({ development: false, resolve });
    for (const url of [
      'http://login.example.com/',
      `https://127.0.0.1:${port}/`,
      'https://[::1]/',
      'https://[::ffff:169.254.169.254]/',
      'https://169.254.169.254/latest/meta-data/',
      'https://metadata.google.internal/computeMetadata/v1/',
      'https://0x7f.1/',
      'file:///etc/passwd',
    ]) {
      expect((await refusal(production(url))).failure, url).toBe('not_allowed');
      expect(() => checkDestination(new URL(url), false), url).toThrow(EgressError);
    }
    expect(() => checkDestination(new URL('https://login.microsoftonline.com/x/v2.0'), false)).not.toThrow();
    expect(() => checkDestination(new URL('http://127.0.0.1:8080/'), true)).not.toThrow();
  });

  it('an unresolvable name could not be reached', async () => {
    const error = await refusal(
      egressFetch({ development: false, resolve })('https://nowhere.example.test/'),
    );
    expect(error.failure).toBe('unreachable');
  });

  it('does not follow redirects, caps the size and the time', async () => {
    const development = egressFetch({ development: true, maxResponseBytes: 1024, timeoutMs: 200 });
    const redirect = await development(`http://127.0.0.1:${port}/redirect`);
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toMatch(/169\.254/);
    const large = await refusal(development(`http://127.0.0.1:${port}/large`));
    expect(large.message).toMatch(/larger than 1024 bytes/);
    const slow = await refusal(development(`http://127.0.0.1:${port}/slow`));
    expect(slow.failure).toBe('unreachable');
    expect(slow.message).toMatch(/within 200 ms/);
  });
});

describe('checkedLookup', () => {
  const publicResolve = async () => [
    { address: '93.184.215.14', family: 4 },
    { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
  ];
  const call = (options: { all?: boolean; family?: number }) =>
    new Promise<unknown[]>((resolve) => {
      checkedLookup(publicResolve)('idp.example.com', options as never, (...args: unknown[]) =>
        resolve(args),
      );
    });

  it('hands the socket the addresses it checked, in both of Node’s callback shapes', async () => {
    expect(await call({ all: true })).toEqual([
      null,
      [
        { address: '93.184.215.14', family: 4 },
        { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
      ],
    ]);
    expect(await call({})).toEqual([null, '93.184.215.14', 4]);
    expect(await call({ family: 6 })).toEqual([null, '2606:2800:21f:cb07:6820:80da:af6b:8b2c', 6]);
  });
});
