/**
 * The identity provider is fetched by the server, so outside
 * development an issuer whose host resolves to a loopback address is refused at sign-in (after
 * resolution, without a connection), with a generic message and the detail in the log; in
 * development the same local provider works. A real provider on 127.0.0.1, no nock.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PortalHarness, usePortal } from './harness.js';

let server: Server;
let port: number;
let connections = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    const issuer = `http://localhost:${port}`;
    if (req.url === '/.well-known/openid-configuration') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
        }),
      );
    } else {
      res.writeHead(404).end();
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

const lines: string[] = [];
const production = usePortal({
  logger: pino(
    { level: 'warn' },
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  ),
});
const development = usePortal({ development: true });

async function orgWithIssuer(portal: PortalHarness, issuer: string) {
  const org = await portal.newOrg({ plan: 'enterprise' });
  const saved = await org.manager.call('PUT', `/orgs/${org.slug}/identity/sso`, {
    enabled: true,
    oidc: { issuer, clientId: 'roster', clientSecret: 'a-client-secret' },
  });
  return { org, saved };
}

describe('identity provider addresses', () => {
  it('outside development: a host resolving to 127.0.0.1 is refused at sign-in, generically, without connecting', async () => {
    // localhost is a name: it passes the check on save and is refused once resolved.
    const { org, saved } = await orgWithIssuer(production(), `https://localhost:${port}`);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const before = connections;
    const login = await fetch(`${production().origin}/sso/${org.slug}/login`, {
      redirect: 'manual',
      headers: { Accept: 'application/json' },
    });
    expect(login.status).toBe(409);
    const { error } = (await login.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('sso_provider_not_allowed');
    expect(error.message).toBe(
      "The identity provider's address is not allowed. An administrator checks the issuer under Identity configuration > SSO.",
    );
    expect(error.message).not.toMatch(/127\.0\.0\.1|loopback|localhost/);
    expect(connections).toBe(before);
    // The detail is in the log.
    const logged = lines.find((line) => line.includes('identity provider address refused')) ?? '';
    expect(logged).toMatch(/localhost resolves to (127\.0\.0\.1|::1)/);

    // Plain http is refused when saved.
    const http = await orgWithIssuer(production(), `http://localhost:${port}`);
    expect(http.saved.status).toBe(400);
    expect(http.saved.body.error.message).toMatch(/^The identity provider's address is not allowed/);
  });

  it('in development: the same local provider over plain http is reached', async () => {
    const { org, saved } = await orgWithIssuer(development(), `http://localhost:${port}`);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const login = await fetch(`${development().origin}/sso/${org.slug}/login`, { redirect: 'manual' });
    expect(login.status, await login.clone().text()).toBe(302);
    expect(login.headers.get('location')).toMatch(new RegExp(`^http://localhost:${port}/authorize\\?`));
  });

  it('an unreachable provider is a generic 502, the detail in the log', async () => {
    const { org } = await orgWithIssuer(development(), 'http://localhost:1');
    const login = await fetch(`${development().origin}/sso/${org.slug}/login`, {
      headers: { Accept: 'application/json' },
    });
    expect(login.status).toBe(502);
    const { error } = (await login.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('sso_provider_unavailable');
    expect(error.message).not.toMatch(/localhost|ECONNREFUSED/);
  });
});
