import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { expect, it } from 'vitest';
import { createLogger, loggablePath } from './logger.js';
import { createMetrics, observe } from './observability.js';

function capture(level: string) {
  const lines: string[] = [];
  return { lines, logger: createLogger(level, { write: (line: string) => lines.push(line) }) };
}

it('redacts credential headers and secret-named fields, wherever they sit, and keeps the rest', () => {
  const { lines, logger } = capture('trace');
  logger.info({
    req: {
      headers: {
        authorization: 'Bearer rsk_a.SECRET1',
        cookie: 'roster_session=SECRET2',
        'user-agent': 'Entra',
      },
    },
    res: { headers: { 'set-cookie': ['roster_sign_in=SECRET3'] } },
    token: 'SECRET4',
    oauth: { client_secret: 'SECRET5', refresh_token: 'SECRET6' },
    err: {
      cause: { body: { access_token: 'SECRET7', id_token: 'SECRET8' } },
      headers: { authorization: 'SECRET9' },
    },
    setupLink: 'https://roster.example.com/sso/acme/setup/SECRET10',
    keyId: 'rsk_public',
  });
  const text = lines.join('');
  expect(text).not.toMatch(/SECRET\d/);
  expect(text).toContain('"user-agent":"Entra"');
  expect(text).toContain('rsk_public');
  expect(text.match(/\[redacted\]/g)?.length).toBe(10);
});

it('cuts setup-link tokens and token-shaped segments from logged paths', () => {
  expect(loggablePath('/sso/acme/setup/abc123')).toBe('/sso/acme/setup/[redacted]');
  expect(loggablePath('/sso/acme/setup/abc123/extra')).toBe('/sso/acme/setup/[redacted]/extra');
  expect(loggablePath('/scim/v2/acme/Users/rsk_x1.s3cr3t')).toBe('/scim/v2/acme/Users/[redacted]');
  expect(loggablePath('/scim/v2/acme/Users/4f7c1c1e-2c9a-4a43-9d0e-0b5a1c7f2d11')).toBe(
    '/scim/v2/acme/Users/4f7c1c1e-2c9a-4a43-9d0e-0b5a1c7f2d11',
  );
  expect(loggablePath('/sso/acme/setup/')).toBe('/sso/acme/setup/');
});

it('at debug, request lines carry the headers with credentials redacted; at info, no headers', async () => {
  for (const level of ['debug', 'info']) {
    const { lines, logger } = capture(level);
    const app = new Koa();
    app.use(observe(logger, createMetrics()));
    app.use((ctx) => {
      ctx.set('Set-Cookie', 'roster_session=rss_x.SESSIONSECRET; HttpOnly');
      ctx.body = 'ok';
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    try {
      const { port } = server.address() as AddressInfo;
      await fetch(`http://127.0.0.1:${port}/sso/acme/setup/SETUPTOKEN?code=CODE`, {
        headers: { Authorization: 'Bearer rsk_k.KEYSECRET', Cookie: 'roster_session=COOKIESECRET' },
      });
    } finally {
      server.close();
    }
    const text = lines.join('');
    expect(text, level).not.toMatch(/SECRET|SETUPTOKEN|CODE/);
    const line = JSON.parse(lines[0] as string);
    expect(line.path).toBe('/sso/acme/setup/[redacted]');
    if (level === 'debug') {
      expect(line.req.headers.authorization).toBe('[redacted]');
      expect(line.req.headers.cookie).toBe('[redacted]');
      expect(line.res.headers['set-cookie']).toBe('[redacted]');
      expect(line.req.headers.host).toMatch(/^127\.0\.0\.1:/);
    } else {
      expect(line.req).toBeUndefined();
    }
  }
});
