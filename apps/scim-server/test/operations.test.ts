/** Health, readiness and metrics: what a load balancer and a scraper see. */
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createScimApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { type Harness, startHarness } from './harness.js';

let harness: Harness;
let origin: string;
let close: () => Promise<void>;
const lifecycle = { draining: false };

beforeAll(async () => {
  harness = await startHarness('postgres');
  const app = createScimApp({
    db: harness.db,
    config: loadConfig({}),
    logger: pino({ level: 'silent' }),
    lifecycle,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise<void>((resolve) => server.close(() => resolve()));
});
afterAll(async () => {
  await close?.();
  await harness?.close();
});

it('is live and ready while the database answers, and not ready once draining', async () => {
  expect((await fetch(`${origin}/healthz`)).status).toBe(200);
  expect((await fetch(`${origin}/readyz`)).status).toBe(200);
  lifecycle.draining = true;
  const draining = await fetch(`${origin}/readyz`);
  expect(draining.status).toBe(503);
  expect((await fetch(`${origin}/healthz`)).status).toBe(200);
  lifecycle.draining = false;
});

it('counts requests by route pattern in Prometheus metrics, with request ids echoed', async () => {
  const probe = await fetch(`${origin}/scim/v2/nobody/Users`, { headers: { 'X-Request-Id': 'probe-123' } });
  expect(probe.status).toBe(401);
  expect(probe.headers.get('x-request-id')).toBe('probe-123');
  const metrics = await (await fetch(`${origin}/metrics`)).text();
  expect(metrics).toMatch(
    /roster_http_requests_total\{method="GET",route="\/scim\/v2\/:org\/Users",status="401"\} 1/,
  );
  expect(metrics).not.toContain('nobody');
});
