/**
 * The operator's one-time setup link over HTTP: the page that spends nothing, the POST that starts
 * the portal session SSO would (its cookie works on the API), single use, expiry, and refusals as
 * the portal's error body, never a 500.
 */
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createSetupLink } from '@roster/directory/setup-links';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createPortalApp } from '../src/app.js';
import { usePortal } from './harness.js';

const portal = usePortal();

async function linkForManager(lifetimeSeconds = 3600) {
  const org = await portal().newOrg();
  const link = await createSetupLink(portal().handle.db, {
    orgId: org.id,
    memberId: org.manager.id,
    lifetimeSeconds,
  });
  return { org, link, url: `${portal().origin}/sso/${org.slug}/setup/${link.token}` };
}

const post = (url: string, accept = 'application/json') =>
  fetch(url, { method: 'POST', redirect: 'manual', headers: { Accept: accept } });

const sessionCookie = (res: Response) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith('roster_session=') && !c.startsWith('roster_session=;'));

describe('the one-time setup link', () => {
  it('shows a page that spends nothing, then signs the manager in with the session cookie SSO gives', async () => {
    const { org, url } = await linkForManager();
    for (let i = 0; i < 2; i++) {
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/html/);
      expect(await page.text()).toContain('<form method="post">');
    }
    const res = await post(url, 'text/html');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/console/${org.slug}/`);
    const cookie = sessionCookie(res);
    expect(cookie).toMatch(/^roster_session=rss_[^;]+;.*HttpOnly/i);
    expect(cookie).toMatch(/Secure/);
    const me = await fetch(`${portal().origin}/api/v1/orgs/${org.slug}/members/me`, {
      headers: { Cookie: (cookie as string).split(';')[0] as string },
    });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { id: string }).id).toBe(org.manager.id);
    const audit = await org.manager.call('GET', `/orgs/${org.slug}/audit-events?action=member.signed_in`);
    expect(audit.body.events).toHaveLength(1);
    expect(audit.body.events[0]).toMatchObject({
      actor: { type: 'member', id: org.manager.id },
      changes: { method: 'setup_link' },
    });
    const session = await portal()
      .handle.db.selectFrom('portal_sessions')
      .select('method')
      .where('org_id', '=', org.id)
      .executeTakeFirstOrThrow();
    expect(session.method).toBe('setup_link');
  });

  it('works once: a second use is 410 setup_link_used, with no cookie', async () => {
    const { url } = await linkForManager();
    expect((await post(url)).status).toBe(303);
    const again = await post(url);
    expect(again.status).toBe(410);
    expect(sessionCookie(again)).toBeUndefined();
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('setup_link_used');
  });

  it('of two concurrent uses, one signs in and the other is refused', async () => {
    const { url } = await linkForManager();
    const statuses = (await Promise.all([post(url), post(url), post(url)])).map((r) => r.status).sort();
    expect(statuses).toEqual([303, 410, 410]);
  });

  it('refuses an expired link (410), an unknown one or another organization (404), as JSON or a page', async () => {
    const { org, link, url } = await linkForManager();
    await portal()
      .handle.db.updateTable('setup_links')
      .set({ expires_at: new Date(Date.now() - 1) })
      .where('org_id', '=', org.id)
      .where('id', '=', link.id)
      .execute();
    const expired = await post(url);
    expect(expired.status).toBe(410);
    expect(await expired.json()).toMatchObject({ error: { code: 'setup_link_expired' } });
    const other = await portal().newOrg();
    for (const wrong of [
      `${portal().origin}/sso/${other.slug}/setup/${link.token}`,
      `${portal().origin}/sso/no-such-org/setup/${link.token}`,
      `${portal().origin}/sso/${org.slug}/setup/rsl_garbage`,
    ]) {
      const res = await post(wrong);
      expect(res.status, wrong).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'setup_link_invalid' } });
    }
    const page = await post(`${portal().origin}/sso/${org.slug}/setup/rsl_garbage`, 'text/html');
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('not valid');
  });

  it('refuses the link of a manager deactivated since (403), without spending it', async () => {
    const { org, url } = await linkForManager();
    await portal()
      .handle.db.updateTable('members')
      .set({ active: false })
      .where('org_id', '=', org.id)
      .where('id', '=', org.manager.id)
      .execute();
    const res = await post(url);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'member_deactivated' } });
  });
});

it('never writes the link into the request log', async () => {
  const { org, link } = await linkForManager();
  let log = '';
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk, _encoding, done) {
        log += String(chunk);
        done();
      },
    }),
  );
  const app = createPortalApp({
    db: portal().handle.db,
    logger,
    config: { maxBodyBytes: 1024, trustProxy: false },
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sso/${org.slug}/setup/${link.token}`;
    expect((await fetch(url)).status).toBe(200);
    expect((await post(url)).status).toBe(303);
    expect((await post(url)).status).toBe(410);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  const requests = log.split('\n').filter((line) => line.includes('"msg":"request"'));
  expect(requests).toHaveLength(3);
  expect(requests.filter((line) => !line.includes(`"path":"/sso/${org.slug}/setup/[redacted]"`))).toEqual([]);
  expect(log).not.toContain(link.token.split('.')[1]);
  expect(log).not.toContain(link.id);
});
