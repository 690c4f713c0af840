/**
 * The console served at /console/ (src/console.ts), from a build output made here: hashed assets
 * cached for good, index.html revalidated, deep links answered with index.html, a CSP of this
 * origin only, and a 503 that says how to build it when there is no build.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ComposedServer, startComposedServer } from './composed-server.js';

const INDEX =
  '<!doctype html><title>Roster console</title><script type="module" src="/console/assets/index-abc123.js"></script>';

describe('the console at /console/', () => {
  let server: ComposedServer;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("hi")');
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    server = await startComposedServer({ consoleDir: dir });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${server.origin}${path}`, { headers, redirect: 'manual' });

  it('serves index.html, revalidated on every load, with a CSP of this origin only', async () => {
    const res = await get('/console/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe(INDEX);
  });

  it('answers deep links under /console/ with index.html (the app routes them)', async () => {
    for (const path of [
      '/console/acme/identity/provisioning',
      '/console/acme/',
      '/console/acme/api-keys?x=1',
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toBe(INDEX);
    }
    const bare = await get('/console');
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/console/');
  });

  it('caches hashed assets for a year (immutable); a missing asset is a 404, never index.html', async () => {
    const asset = await get('/console/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toBe('max-age=31536000,immutable');
    const missing = await get('/console/assets/index-old999.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('cache-control')).toBe('no-store');
    const favicon = await get('/console/favicon.svg');
    expect(favicon.status).toBe(200);
    expect(favicon.headers.get('content-type')).toMatch(/svg/);
  });

  it('serves nothing outside its folder', async () => {
    for (const path of [
      '/console/assets/../../package.json',
      '/console/assets/%2e%2e/%2e%2e/package.json',
      '/console/assets/..%2fx',
    ]) {
      const res = await get(path);
      expect([404, 200], path).toContain(res.status);
      expect(await res.text(), path).not.toContain('"name"');
    }
  });

  it('is read with GET only', async () => {
    const res = await fetch(`${server.origin}/console/`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('without a console build', () => {
  let server: ComposedServer;
  beforeAll(async () => {
    server = await startComposedServer({ consoleDir: join(tmpdir(), 'no-console-build-here') });
  });
  afterAll(async () => server?.close());

  it('answers 503 saying how to build it, as a page for a browser and as JSON otherwise', async () => {
    const page = await fetch(`${server.origin}/console/acme/`, { headers: { Accept: 'text/html' } });
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('npm start');
    const json = await fetch(`${server.origin}/console/assets/x.js`, {
      headers: { Accept: 'application/json' },
    });
    expect(json.status).toBe(503);
    expect(((await json.json()) as { error: { code: string } }).error.code).toBe('console_not_built');
    // The rest of the process is unaffected.
    expect((await fetch(`${server.origin}/healthz`)).status).toBe(200);
  });
});
