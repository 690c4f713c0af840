/**
 * The console (apps/console, a single-page app) served from its build output under /console/:
 * hashed assets cached for a year (immutable: a new build has new names), index.html revalidated
 * on every load (no-cache) so a deploy is picked up at once, and every other path under /console/
 * answered with index.html, so deep links (/console/{org}/identity/provisioning) work. The content
 * security policy allows scripts, styles, images and requests from this origin only. Files are
 * served by koa-send (it refuses paths out of the folder). Without a build, a 503 says how to make one.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Metrics, observe } from '@roster/observability';
import Koa, { type Context } from 'koa';
import send from 'koa-send';
import type { Logger } from 'pino';

/** The console's build output in this checkout (apps/console/dist), from src/ or dist/ alike. */
export const CONSOLE_DIST = fileURLToPath(new URL('../../console/dist/', import.meta.url));

export const CONSOLE_PATHS = /^\/console(?:[/?]|$)/;

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const YEAR_MS = 365 * 24 * 3600 * 1000;

function securityHeaders(ctx: Context) {
  ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('X-Frame-Options', 'DENY');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.set('Cross-Origin-Resource-Policy', 'same-origin');
  ctx.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
}

function notBuilt(ctx: Context, root: string) {
  const message = `The console is not built (no ${join(root, 'index.html')}). Build it with "npm start", or "node scripts/pnpm.mjs --filter @roster/console build", then reload.`;
  ctx.status = 503;
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Retry-After', '60');
  if (ctx.accepts('json', 'html') === 'html') {
    ctx.type = 'html';
    ctx.body = `<!doctype html><title>Console not built</title><h1>The console is not built</h1><p>${message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</p>`;
  } else {
    ctx.body = { error: { code: 'console_not_built', message } };
  }
}

export function createConsoleApp({
  root = CONSOLE_DIST,
  logger,
  metrics,
}: {
  /** The console's build output (apps/console/dist). */
  root?: string;
  logger: Logger;
  metrics: Metrics;
}): Koa {
  const app = new Koa();
  app.on('error', (error) => logger.warn({ err: error }, 'connection error'));
  app.use(observe(logger, metrics));
  app.use(async (ctx) => {
    securityHeaders(ctx);
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.status = 405;
      ctx.set('Allow', 'GET, HEAD');
      ctx.body = { error: { code: 'method_not_allowed', message: 'The console is read with GET only.' } };
      return;
    }
    if (ctx.path === '/console') {
      ctx.status = 301;
      ctx.redirect('/console/');
      return;
    }
    // Checked on each request, so a build made while the server runs is served without a restart.
    if (!existsSync(join(root, 'index.html'))) return notBuilt(ctx, root);
    const file = ctx.path.slice('/console/'.length);
    if (file.startsWith('assets/')) {
      // Hashed names: a missing one is a 404 (an old page asking for a previous build's file), never index.html.
      await sendOr404(ctx, file, root, { immutable: true, maxage: YEAR_MS });
      return;
    }
    if (/^[\w.-]+\.(?:svg|ico|png|txt|webmanifest)$/.test(file) && existsSync(join(root, file))) {
      await sendOr404(ctx, file, root, {});
      ctx.set('Cache-Control', 'no-cache');
      return;
    }
    // index.html for /console/ and every deep link below it.
    await send(ctx, 'index.html', { root });
    ctx.set('Cache-Control', 'no-cache');
  });
  return app;
}

async function sendOr404(
  ctx: Context,
  file: string,
  root: string,
  options: { immutable?: boolean; maxage?: number },
) {
  try {
    await send(ctx, file, { root, ...options });
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status !== 404 && status !== 400 && status !== 403) throw error;
    ctx.status = 404;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { error: { code: 'not_found', message: `The console has no file ${ctx.path}.` } };
  }
}
