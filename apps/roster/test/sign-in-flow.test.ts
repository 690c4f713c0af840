/**
 * Issue #5 end to end on the composed server: members the IdP provisions sign in with the IdP,
 * and lose that access at once when the IdP deactivates or deletes them. Provision via SCIM →
 * sign in → deactivate via SCIM → session refused → reactivate → sign in again; a role change
 * through SCIM shows in the next request.
 */
import { randomUUID } from 'node:crypto';
import type { DatabaseHandle } from '@roster/db';
import { createFirstManager } from '@roster/directory/api-keys';
import { createOrganization } from '@roster/directory/organizations';
import { browserSignIn, type FakeOidcProvider } from '@roster/testkit/oidc-provider';
import { browserSamlSignIn, startFakeSamlIdp } from '@roster/testkit/saml-idp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSignInServer } from './composed-server.js';

let origin: string;
let handle: DatabaseHandle;
let provider: FakeOidcProvider;
const samlIdp = startFakeSamlIdp();
let close: () => Promise<void>;

beforeAll(async () => {
  ({ origin, handle, provider, close } = await startSignInServer());
});
afterAll(async () => close?.());

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
type Json = any;

async function call(
  method: string,
  url: string,
  auth: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const res = await fetch(url, {
    method,
    headers: { ...auth, ...(body ? { 'Content-Type': 'application/json', Origin: origin } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

it.each(['oidc', 'saml'] as const)(
  'gives provisioned members sign-in (%s), and takes it away at once on deprovisioning',
  async (protocol) => {
    // The operator's organization and first manager; the admin sets up SSO and provisioning.
    const slug = `sso-${randomUUID().slice(0, 8)}`;
    const org = await createOrganization(handle.db, { slug, plan: 'enterprise' });
    const { token } = await createFirstManager(handle.db, org.id, `admin@${slug}.test`);
    const manager = { Authorization: `Bearer ${token}` };
    const api = `${origin}/api/v1/orgs/${slug}`;
    const sso =
      protocol === 'oidc'
        ? {
            enabled: true,
            oidc: {
              issuer: provider.issuer,
              clientId: provider.clientId,
              clientSecret: provider.clientSecret,
              // Entra ID's sign-in name.
              userNameClaim: 'preferred_username',
            },
          }
        : {
            enabled: true,
            protocol,
            saml: {
              entryPoint: samlIdp.ssoUrl,
              idpEntityId: samlIdp.entityId,
              certificate: samlIdp.certificate,
            },
          };
    expect((await call('PUT', `${api}/identity/sso`, manager, sso)).status).toBe(200);
    const key = await call('POST', `${api}/api-keys`, manager, {
      kind: 'system',
      name: 'Entra',
      scopes: ['scim'],
    });
    const saved = await call('PUT', `${api}/identity/provisioning`, manager, {
      mode: 'identity_provider',
      scimEnabled: true,
      authMethod: 'http_header',
      provisionExistingUsers: false,
      syncGroups: false,
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const scim = (method: string, path: string, body?: unknown) =>
      call(
        method,
        `${saved.body.scimEndpointUrl}${path}`,
        { Authorization: `Bearer ${key.body.token}` },
        body,
      );
    const patchUser = (id: string, op: object) =>
      scim('PATCH', `/Users/${id}`, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [op],
      });

    // The IdP provisions Ada; she signs in with the IdP.
    const userName = `ada@${slug}.test`;
    const created = await scim('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName,
      active: true,
    });
    expect(created.status).toBe(201);
    const claims = { sub: 'entra-object-id-ada', preferred_username: userName };
    const signIn = () =>
      protocol === 'oidc'
        ? browserSignIn(provider, origin, slug, claims)
        : browserSamlSignIn(samlIdp, origin, slug, { nameId: userName });
    const first = await signIn();
    expect(first.response.status).toBe(303);
    const session = { Cookie: first.session as string };
    const me = await call('GET', `${api}/members/me`, session);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: created.body.id, effectiveRole: 'basic' });

    // A role the IdP assigns shows in her next request.
    expect((await call('GET', `${api}/members`, session)).status).toBe(403);
    expect(
      (
        await patchUser(created.body.id, {
          op: 'add',
          path: 'roles',
          value: [{ value: 'manager', primary: true }],
        })
      ).status,
    ).toBe(204);
    expect((await call('GET', `${api}/members`, session)).status).toBe(200);

    // Deactivated by the IdP: her session is refused at once, and she cannot sign in.
    expect((await patchUser(created.body.id, { op: 'Replace', path: 'active', value: 'False' })).status).toBe(
      204,
    );
    const refused = await call('GET', `${api}/members/me`, session);
    expect(refused.status).toBe(401);
    const blocked = await signIn();
    expect(blocked.response.status).toBe(403);
    expect(blocked.session).toBeUndefined();

    // Reactivated: the old session stays ended, and she signs in again.
    expect((await patchUser(created.body.id, { op: 'Replace', path: 'active', value: 'True' })).status).toBe(
      204,
    );
    expect((await call('GET', `${api}/members/me`, session)).status).toBe(401);
    const again = await signIn();
    expect(again.response.status).toBe(303);
    expect((await call('GET', `${api}/members/me`, { Cookie: again.session as string })).status).toBe(200);

    // Deleted by the IdP: nothing of hers works any more.
    expect((await scim('DELETE', `/Users/${created.body.id}`)).status).toBe(204);
    expect((await call('GET', `${api}/members/me`, { Cookie: again.session as string })).status).toBe(401);
    expect((await signIn()).response.status).toBe(403);

    // The trail shows her sign-ins.
    const audit = await call('GET', `${api}/audit-events?action=member.signed_in`, manager);
    expect(audit.body.events).toHaveLength(2);
  },
);
