import type { Context } from 'koa';

export const SCIM_MEDIA_TYPE = 'application/scim+json';

/** Writes a SCIM JSON response; every SCIM answer goes through here or the error middleware. */
export function sendScim(
  ctx: Context,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  ctx.status = status;
  for (const [name, value] of Object.entries(headers)) ctx.set(name, value);
  if (body === undefined) {
    ctx.body = null;
    return;
  }
  ctx.type = `${SCIM_MEDIA_TYPE}; charset=utf-8`;
  ctx.body = JSON.stringify(body);
}
