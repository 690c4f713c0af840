/**
 * Roster's portal API, as the conformance sessions use it: an administrator's set-up of SCIM
 * provisioning (the steps of docs/setup-entra.md and docs/setup-ping.md), and the effects of a
 * provisioning session that only Roster can show (roles, deactivated members' keys and sign-in,
 * group roles, audit events). Against another SCIM server there is no portal, and those checks are skipped.
 */
import type { TargetCredentials } from '../wire/target.js';

export interface ProvisioningSettings {
  mode: 'manual' | 'identity_provider';
  scimEnabled: boolean;
  authMethod: 'http_header' | 'oauth2';
  provisionExistingUsers: boolean;
  syncGroups: boolean;
}

export interface PortalMember {
  id: string;
  userName: string;
  status: 'active' | 'deactivated';
  role: 'basic' | 'manager';
  effectiveRole: 'basic' | 'manager';
  managedBy: 'portal' | 'scim';
}

export interface PortalGroup {
  id: string;
  displayName: string;
  role: 'manager' | null;
  managedBy: 'portal' | 'scim';
}

export interface AuditEvent {
  action: string;
  actor: { type: string; id: string };
  target: { type: string; id: string } | null;
}

export class PortalError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what}: HTTP ${status} ${JSON.stringify(body)}`);
  }
}

export interface RosterPortalOptions {
  /** The server's origin, e.g. `http://127.0.0.1:3000`. */
  origin: string;
  org: string;
  /** A manager's personal API key. */
  managerKey: string;
  /**
   * Mints a personal key for a provisioned member. Members get keys by signing in, which the
   * portal has no API for yet; a harness with the operator's access supplies this.
   */
  personalKey?: (memberId: string) => Promise<string>;
  /** The organization's OpenID provider, for SSO; a placeholder that nobody can sign in with if absent. */
  sso?: { issuer: string; clientId: string; clientSecret: string };
  /**
   * Signs a member in through the organization's provider as a browser would; returns the session
   * cookie (`roster_session=…`), or undefined when Roster refused. Needs a provider the harness
   * controls.
   */
  signIn?: (userName: string) => Promise<string | undefined>;
}

// biome-ignore lint/suspicious/noExplicitAny: portal answers are read field by field
type Json = any;

export class RosterPortal {
  constructor(private readonly options: RosterPortalOptions) {}

  get personalKey() {
    return this.options.personalKey;
  }

  get signIn() {
    return this.options.signIn;
  }

  /** The status a session cookie gets from the portal (200 while the member may act, else 401). */
  async sessionStatus(cookie: string): Promise<number> {
    const res = await fetch(`${this.options.origin}/api/v1/orgs/${this.options.org}/members/me`, {
      headers: { Cookie: cookie },
    });
    return res.status;
  }

  private async call(method: string, path: string, body?: unknown, token = this.options.managerKey) {
    const res = await fetch(`${this.options.origin}/api/v1/orgs/${this.options.org}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Json };
  }

  private async expect(status: number, method: string, path: string, body?: unknown): Promise<Json> {
    const res = await this.call(method, path, body);
    if (res.status !== status) throw new PortalError(res.status, res.body, `${method} ${path}`);
    return res.body;
  }

  /**
   * The administrator's set-up (docs/reference/product.md#the-administrators-flow): RBAC, SSO,
   * then provisioning with the chosen method. Returns what the admin types into the IdP. The
   * organization must already be on the Enterprise plan, which the operator sets (`roster
   * set-plan`), not the administrator.
   */
  async setUpProvisioning(authMethod: ProvisioningSettings['authMethod']): Promise<TargetCredentials> {
    await this.expect(200, 'PATCH', '', { rbacEnabled: true });
    await this.expect(200, 'PUT', '/identity/sso', {
      enabled: true,
      oidc: this.options.sso ?? {
        issuer: 'https://login.example.com/v2.0',
        clientId: 'roster',
        clientSecret: 'sso-app-secret',
      },
    });
    let token: string | undefined;
    if (authMethod === 'http_header') {
      const key = await this.expect(201, 'POST', '/api-keys', {
        kind: 'system',
        name: 'Identity provider',
        scopes: ['scim'],
      });
      token = key.token;
    }
    const saved = await this.expect(200, 'PUT', '/identity/provisioning', {
      mode: 'identity_provider',
      scimEnabled: true,
      authMethod,
      provisionExistingUsers: false,
      syncGroups: true,
      confirmSyncGroups: true,
    });
    if (token) return { baseUrl: saved.scimEndpointUrl, token };
    let clientSecret: string | undefined = saved.oauth?.clientSecret;
    if (!clientSecret) {
      clientSecret = (await this.expect(200, 'POST', '/identity/provisioning/oauth-client-secret'))
        .clientSecret;
    }
    return {
      baseUrl: saved.scimEndpointUrl,
      oauth: {
        clientId: saved.oauth.clientId,
        clientSecret: clientSecret as string,
        tokenUrl: saved.oauth.tokenEndpoint,
      },
    };
  }

  async provisioning(): Promise<ProvisioningSettings> {
    const body = await this.expect(200, 'GET', '/identity/provisioning');
    const { mode, scimEnabled, authMethod, provisionExistingUsers, syncGroups } = body;
    return { mode, scimEnabled, authMethod, provisionExistingUsers, syncGroups };
  }

  async setProvisioning(change: Partial<ProvisioningSettings>): Promise<void> {
    const settings = { ...(await this.provisioning()), ...change };
    await this.expect(200, 'PUT', '/identity/provisioning', {
      ...settings,
      ...(settings.syncGroups ? { confirmSyncGroups: true } : {}),
    });
  }

  async inviteMember(email: string, role: 'basic' | 'manager' = 'basic'): Promise<PortalMember> {
    return this.expect(201, 'POST', '/members', { email, role });
  }

  /** What a GET answers, or undefined when the portal answers 404. */
  private async found(path: string): Promise<Json> {
    const res = await this.call('GET', path);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new PortalError(res.status, res.body, `GET ${path}`);
    return res.body;
  }

  /** The member, or undefined when the portal answers 404. */
  async member(id: string): Promise<PortalMember | undefined> {
    return this.found(`/members/${id}`);
  }

  async createGroup(displayName: string, role: 'manager' | null = null): Promise<PortalGroup> {
    return this.expect(201, 'POST', '/groups', { displayName, role });
  }

  async group(id: string): Promise<PortalGroup | undefined> {
    return this.found(`/groups/${id}`);
  }

  /** Ids of the group's members, every page. */
  async groupMembers(id: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Json = await this.expect(
        200,
        'GET',
        `/groups/${id}/members?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      ids.push(...(page.items as { id: string }[]).map((m) => m.id));
      cursor = page.nextCursor;
    } while (cursor);
    return ids;
  }

  async auditEvents(query: Record<string, string>): Promise<AuditEvent[]> {
    const search = new URLSearchParams({ limit: '200', ...query });
    return (await this.expect(200, 'GET', `/audit-events?${search}`)).events;
  }

  /** The organization's provisioning health: its state and failure kinds with fix hints. */
  async provisioningHealth(): Promise<Json> {
    return this.expect(200, 'GET', '/provisioning/health');
  }

  /** The status a member's personal key gets from the portal (200 while they may act, else 401). */
  async keyStatus(token: string): Promise<number> {
    return (await this.call('GET', '/members/me', undefined, token)).status;
  }
}
