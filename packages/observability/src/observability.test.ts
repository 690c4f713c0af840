import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import Koa from 'koa';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { createMetrics, FALLBACK_ROUTE, observe } from './observability.js';

it('logs one JSON line per request with the request id and app fields, and labels metrics by route pattern', async () => {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const metrics = createMetrics();
  const app = new Koa();
  app.use(observe(logger, metrics));
  const router = new Router();
  router.get('/things/:id', (ctx) => {
    ctx.state.logFields = { org: 'acme' };
    ctx.body = 'ok';
  });
  router.all(FALLBACK_ROUTE, '/{*rest}', (ctx) => {
    ctx.status = 404;
  });
  app.use(router.routes());
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const res = await fetch(`${origin}/things/42?secret=x`, { headers: { 'X-Request-Id': 'abc-1' } });
    expect(res.headers.get('x-request-id')).toBe('abc-1');
    const generated = await fetch(`${origin}/things/43`, {
      headers: { 'X-Request-Id': 'bad id with spaces' },
    });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await fetch(`${origin}/elsewhere`);
    expect(lines[0]).toMatchObject({
      msg: 'request',
      requestId: 'abc-1',
      path: '/things/42',
      route: '/things/:id',
      status: 200,
      org: 'acme',
    });
    expect(JSON.stringify(lines)).not.toContain('secret=x');
    const text = await metrics.registry.metrics();
    expect(text).toContain('roster_http_requests_total{method="GET",route="/things/:id",status="200"} 2');
    expect(text).toContain('route="unmatched",status="404"');
  } finally {
    server.close();
  }
});
