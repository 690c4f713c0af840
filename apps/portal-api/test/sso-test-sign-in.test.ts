/**
 * "Test sign-in" on the SSO page (issue 18): a manager's round trip to the identity provider with
 * the saved settings while SSO is off, through the same OIDC and SAML checks as a sign-in; the
 * callback records the outcome and signs nobody in; the test is the starting manager's only,
 * single use, short-lived, and cannot be turned into a sign-in.
 */
import { createSetupLink } from '@roster/directory/setup-links';
import { type FakeOidcProvider, startFakeOidcProvider } from '@roster/testkit/oidc-provider';
import { type FakeSamlIdp, startFakeSamlIdp } from '@roster/testkit/saml-idp';
import { sql } from 'kysely';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestOrg, usePortal } from './harness.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
const json = async (res: Response): Promise<any> => res.json();

const portal = usePortal();
let provider: FakeOidcProvider;
let idp: FakeSamlIdp;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1/);
  provider = await startFakeOidcProvider();
  idp = startFakeSamlIdp();
});
afterAll(() => {
  provider?.close();
  nock.enableNetConnect();
});

const cookieOf = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] as string)
    .find((c) => c.startsWith(`${name}=`) && c.length > name.length + 1);

/** An organization with OIDC saved but SSO off (the state the test is for). */
async function orgWithOidcOff(clientSecret = provider.clientSecret): Promise<TestOrg> {
  const org = await portal().newOrg({ plan: 'enterprise' });
  const saved = await org.manager.call('PUT', `/orgs/${org.slug}/identity/sso`, {
    enabled: false,
    oidc: {
      issuer: provider.issuer,
      clientId: provider.clientId,
      clientSecret,
      userNameClaim: 'preferred_username',
    },
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  return org;
}

/** The manager's browser session, from a setup link (SSO is off). */
async function managerSession(org: TestOrg, memberId = org.manager.id): Promise<string> {
  const link = await createSetupLink(portal().handle.db, { orgId: org.id, memberId, lifetimeSeconds: 600 });
  const res = await fetch(`${portal().origin}/sso/${org.slug}/setup/${link.token}`, {
    method: 'POST',
    redirect: 'manual',
  });
  return cookieOf(res, 'roster_session') as string;
}

const withSession = (session: string, method: string, path: string) =>
  fetch(`${portal().origin}/api/v1${path}`, {
    method,
    headers: { Cookie: session, Origin: portal().origin },
  });

const sessionCount = async (orgId: string) =>
  Number(
    (
      await portal()
        .handle.db.selectFrom('portal_sessions')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('org_id', '=', orgId)
        .executeTakeFirstOrThrow()
    ).n,
  );

/** The console's part: start a test, open its URL in the manager's browser (to the provider). */
async function startTest(org: TestOrg, session: string) {
  const started = await withSession(session, 'POST', `/orgs/${org.slug}/identity/sso/tests`);
  expect(started.status, await started.clone().text()).toBe(201);
  const { testId, url } = await json(started);
  const open = await fetch(url, { redirect: 'manual', headers: { Cookie: session } });
  expect(open.status, await open.clone().text()).toBe(302);
  return {
    testId: testId as string,
    url: url as string,
    location: open.headers.get('location') ?? '',
    cookie: `${session}; ${cookieOf(open, 'roster_sign_in')}`,
  };
}

/** The provider's redirect back to the callback, for some claims. */
function callbackFor(location: string, claims: Record<string, unknown>) {
  const request = new URL(location).searchParams;
  const callback = new URL(request.get('redirect_uri') as string);
  callback.searchParams.set('code', provider.code(location, { claims }));
  callback.searchParams.set('state', request.get('state') as string);
  return callback;
}

const getTest = (org: TestOrg, session: string, testId: string) =>
  withSession(session, 'GET', `/orgs/${org.slug}/identity/sso/tests/${testId}`);

describe('Test sign-in (OIDC)', () => {
  it('with SSO off: the provider round trip reports who signed in, and signs nobody in', async () => {
    const org = await orgWithOidcOff();
    const member = await org.addMember('basic');
    const userName = (await member.call('GET', `/orgs/${org.slug}/members/me`)).body.userName as string;
    const session = await managerSession(org);
    const test = await startTest(org, session);
    expect(test.url).toBe(`${portal().origin}/sso/${org.slug}/test/${test.testId}`);
    expect(`${new URL(test.location).origin}${new URL(test.location).pathname}`).toBe(
      `${provider.issuer}/authorize`,
    );
    expect((await json(await getTest(org, session, test.testId))).status).toBe('pending');

    const sessionsBefore = await sessionCount(org.id);
    const callback = callbackFor(test.location, {
      sub: 'idp-user-7',
      preferred_username: userName,
      email: 'someone@example.com',
    });
    const page = await fetch(callback, {
      redirect: 'manual',
      headers: { Cookie: test.cookie, Accept: 'text/html' },
    });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/html/);
    const text = await page.text();
    expect(text).toContain('Test sign-in succeeded');
    expect(text).toContain('You can close this window');
    expect(cookieOf(page, 'roster_session')).toBeUndefined();
    expect(await sessionCount(org.id)).toBe(sessionsBefore);

    const result = await json(await getTest(org, session, test.testId));
    expect(result).toMatchObject({
      id: test.testId,
      protocol: 'oidc',
      status: 'succeeded',
      error: null,
      identity: {
        issuer: provider.issuer,
        subject: 'idp-user-7',
        userName,
        userNameSource: 'the preferred_username claim',
        email: 'someone@example.com',
        signsInAs: userName,
        refusal: null,
      },
    });
    // Nobody was bound to the provider's account either: the member's first real sign-in binds.
    const bindings = await portal()
      .handle.db.selectFrom('member_sign_in_bindings')
      .selectAll()
      .where('org_id', '=', org.id)
      .execute();
    expect(bindings).toEqual([]);

    const audit = await org.manager.call('GET', `/orgs/${org.slug}/audit-events?limit=50`);
    const actions = (audit.body.events as { action: string; actor: { id: string } }[])
      .filter((e) => e.action.startsWith('identity.sso.test_'))
      .map((e) => [e.action, e.actor.id]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['identity.sso.test_started', org.manager.id],
        ['identity.sso.test_completed', org.manager.id],
      ]),
    );
  });

  it('reports an identity that names no member, and still signs nobody in', async () => {
    const org = await orgWithOidcOff();
    const session = await managerSession(org);
    const test = await startTest(org, session);
    const res = await fetch(
      callbackFor(test.location, { sub: 'x', preferred_username: 'stranger@example.com' }),
      {
        redirect: 'manual',
        headers: { Cookie: test.cookie, Accept: 'application/json' },
      },
    );
    expect(res.status).toBe(200);
    const result = await json(await getTest(org, session, test.testId));
    expect(result.status).toBe('succeeded');
    expect(result.identity.signsInAs).toBeNull();
    expect(result.identity.refusal).toMatch(/stranger@example.com is not a member/);
  });

  it("a wrong client secret: the failure in the provider's words", async () => {
    const org = await orgWithOidcOff('not-the-secret');
    const session = await managerSession(org);
    const test = await startTest(org, session);
    const page = await fetch(callbackFor(test.location, { sub: 'x', preferred_username: 'a@example.com' }), {
      redirect: 'manual',
      headers: { Cookie: test.cookie, Accept: 'text/html' },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Test sign-in failed');
    const result = await json(await getTest(org, session, test.testId));
    expect(result).toMatchObject({ status: 'failed', identity: null, error: { code: 'sign_in_failed' } });
    expect(result.error.message).toMatch(/invalid_client/);
  });

  it('needs saved settings that can make a request', async () => {
    const org = await portal().newOrg({ plan: 'enterprise' });
    const res = await org.manager.call('POST', `/orgs/${org.slug}/identity/sso/tests`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('sso_incomplete');
  });

  it("is for managers only, and the starting manager's only", async () => {
    const org = await orgWithOidcOff();
    const basic = await org.addMember('basic');
    const refused = await basic.call('POST', `/orgs/${org.slug}/identity/sso/tests`);
    expect(refused.status).toBe(403);

    const session = await managerSession(org);
    const started = await json(await withSession(session, 'POST', `/orgs/${org.slug}/identity/sso/tests`));
    expect((await basic.call('GET', `/orgs/${org.slug}/identity/sso/tests/${started.testId}`)).status).toBe(
      403,
    );
    // Another manager of the same organization: neither its result nor its URL.
    const other = await org.addMember('manager');
    expect((await other.call('GET', `/orgs/${org.slug}/identity/sso/tests/${started.testId}`)).status).toBe(
      404,
    );
    const otherSession = await managerSession(org, other.id);
    const opened = await fetch(started.url, {
      redirect: 'manual',
      headers: { Cookie: otherSession, Accept: 'application/json' },
    });
    expect(opened.status).toBe(404);
    expect(cookieOf(opened, 'roster_sign_in')).toBeUndefined();
    // Without a session (another browser) the URL starts nothing either.
    expect((await fetch(started.url, { redirect: 'manual' })).status).toBe(404);
    // Nor once the starter is no longer a manager.
    const demoted = await orgWithOidcOff();
    const stepDown = await demoted.addMember('manager');
    const stepDownSession = await managerSession(demoted, stepDown.id);
    const theirs = await json(
      await withSession(stepDownSession, 'POST', `/orgs/${demoted.slug}/identity/sso/tests`),
    );
    await demoted.manager.call('PATCH', `/orgs/${demoted.slug}/members/${stepDown.id}`, { role: 'basic' });
    expect(
      (await fetch(theirs.url, { redirect: 'manual', headers: { Cookie: stepDownSession } })).status,
    ).toBe(404);

    // Another organization's test id is not found from this one.
    const elsewhere = await orgWithOidcOff();
    expect(
      (await elsewhere.manager.call('GET', `/orgs/${elsewhere.slug}/identity/sso/tests/${started.testId}`))
        .status,
    ).toBe(404);
    const crossed = await fetch(started.url.replace(`/sso/${org.slug}/`, `/sso/${elsewhere.slug}/`), {
      redirect: 'manual',
      headers: { Cookie: await managerSession(elsewhere) },
    });
    expect(crossed.status).toBe(404);
  });

  it('cannot be replayed, nor used as a sign-in, with SSO on and the member known', async () => {
    const org = await orgWithOidcOff();
    await org.manager.call('PUT', `/orgs/${org.slug}/identity/sso`, {
      enabled: true,
      oidc: { issuer: provider.issuer, clientId: provider.clientId },
    });
    const manager = (await org.manager.call('GET', `/orgs/${org.slug}/members/me`)).body.userName as string;
    const session = await managerSession(org);
    const sessionsBefore = await sessionCount(org.id);
    const test = await startTest(org, session);
    const claims = { sub: 'idp-manager', preferred_username: manager };
    const first = await fetch(callbackFor(test.location, claims), {
      redirect: 'manual',
      headers: { Cookie: test.cookie, Accept: 'application/json' },
    });
    expect(first.status).toBe(200);
    expect((await json(first)).status).toBe('succeeded');
    expect(cookieOf(first, 'roster_session')).toBeUndefined();

    // The same pending login again (a replayed cookie, a fresh code): refused, nothing written.
    const again = await fetch(callbackFor(test.location, claims), {
      redirect: 'manual',
      headers: { Cookie: test.cookie, Accept: 'application/json' },
    });
    expect(again.status).toBe(409);
    expect((await json(again)).error.code).toBe('sso_test_not_pending');
    expect(cookieOf(again, 'roster_session')).toBeUndefined();

    // The test's answer in a real sign-in's browser: its state and PKCE are not that login's.
    const login = await fetch(`${portal().origin}/sso/${org.slug}/login`, { redirect: 'manual' });
    const loginCookie = cookieOf(login, 'roster_sign_in') as string;
    const injected = await fetch(callbackFor(test.location, claims), {
      redirect: 'manual',
      headers: { Cookie: loginCookie, Accept: 'application/json' },
    });
    expect(injected.status).toBe(401);
    expect(cookieOf(injected, 'roster_session')).toBeUndefined();
    expect(await sessionCount(org.id)).toBe(sessionsBefore);
  });

  it('expires after ten minutes: the late answer is refused and the test reads expired', async () => {
    const org = await orgWithOidcOff();
    const session = await managerSession(org);
    const test = await startTest(org, session);
    await sql`update sso_sign_in_tests set expires_at = now() - interval '1 second' where org_id = ${org.id}`.execute(
      portal().handle.db,
    );
    const late = await fetch(callbackFor(test.location, { sub: 'x', preferred_username: 'a@example.com' }), {
      redirect: 'manual',
      headers: { Cookie: test.cookie, Accept: 'application/json' },
    });
    expect(late.status).toBe(409);
    expect((await json(await getTest(org, session, test.testId))).status).toBe('expired');
    expect((await fetch(test.url, { redirect: 'manual', headers: { Cookie: session } })).status).toBe(404);
  });
});

describe('Test sign-in (SAML)', () => {
  it('with SSO off: reports the NameID and email, signs nobody in, and uses the assertion up', async () => {
    const org = await portal().newOrg({ plan: 'enterprise' });
    const saved = await org.manager.call('PUT', `/orgs/${org.slug}/identity/sso`, {
      enabled: false,
      protocol: 'saml',
      saml: { entryPoint: idp.ssoUrl, idpEntityId: idp.entityId, certificate: idp.certificate },
    });
    expect(saved.status).toBe(200);
    const manager = (await org.manager.call('GET', `/orgs/${org.slug}/members/me`)).body.userName as string;
    const session = await managerSession(org);
    const sessionsBefore = await sessionCount(org.id);
    const test = await startTest(org, session);
    expect(test.location.startsWith(idp.ssoUrl)).toBe(true);
    const { samlResponse, acsUrl } = idp.respond(test.location, {
      nameId: manager,
      email: 'boss@example.com',
    });
    const post = () =>
      fetch(acsUrl, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          Cookie: test.cookie,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: new URLSearchParams({ SAMLResponse: samlResponse }),
      });
    const res = await post();
    expect(res.status, await res.clone().text()).toBe(200);
    expect(cookieOf(res, 'roster_session')).toBeUndefined();
    const result = await json(await getTest(org, session, test.testId));
    expect(result).toMatchObject({
      protocol: 'saml',
      status: 'succeeded',
      identity: {
        issuer: idp.entityId,
        subject: manager,
        userName: manager,
        email: 'boss@example.com',
        signsInAs: manager,
      },
    });
    expect(result.identity.userNameSource).toBe('the NameID');
    expect(await sessionCount(org.id)).toBe(sessionsBefore);
    // Replayed: refused, no session.
    const replay = await post();
    expect(replay.status).toBe(409);
    expect(cookieOf(replay, 'roster_session')).toBeUndefined();
  });
});
