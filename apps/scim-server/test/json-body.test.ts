/**
 * The body reader's answer when the client is gone before its body is read: a 400, not raw-body's
 * 500. Over HTTP the moment cannot be hit on purpose, so the reader is called directly.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { ScimError } from '@roster/scim-core/errors';
import Koa from 'koa';
import { expect, it } from 'vitest';
import { jsonBody } from '../src/http/json-body.js';

it('answers 400 when the client hung up before its body was read', async () => {
  const req = new IncomingMessage(new Socket());
  req.method = 'POST';
  req.headers = { 'content-type': 'application/scim+json', 'content-length': '2' };
  req.destroy();
  const ctx = new Koa().createContext(req, new ServerResponse(req));
  let reached = false;
  const read = jsonBody(1024)(ctx, async () => {
    reached = true;
  });
  await expect(read).rejects.toBeInstanceOf(ScimError);
  await expect(read).rejects.toMatchObject({ status: 400 });
  expect(reached).toBe(false);
});
