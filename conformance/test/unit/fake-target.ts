/**
 * A small SCIM target played by nock for the provisioner tests: users and groups in memory,
 * `eq` filters on userName and displayName, paging, and a log of every request. A test answers
 * any request itself through `override` (return undefined to let the fake answer). Also the
 * renewable credentials the client and provisioner tests share.
 */
import nock from 'nock';
import type { Credentials } from '../../src/wire/credentials.js';
import type { Resource } from '../../src/wire/scim-paths.js';

export const HOST = 'http://scim.test';

export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

export interface Req {
  method: string;
  /** Path and query exactly as sent, e.g. `/Users?filter=userName+eq+%22a%22`. */
  uri: string;
  path: string;
  query: URLSearchParams;
  body: Resource | undefined;
  authorization: string | undefined;
}

export type Reply = [status: number, body?: unknown, headers?: Record<string, string>];

export const list = (resources: Resource[], totalResults = resources.length, startIndex = 1) => ({
  schemas: [LIST_RESPONSE],
  totalResults,
  startIndex,
  itemsPerPage: resources.length,
  Resources: resources,
});

export const scimError = (status: number, detail: string, scimType?: string) => ({
  schemas: [ERROR],
  status: String(status),
  detail,
  ...(scimType ? { scimType } : {}),
});

/** Credentials that hand out `tok-1`, `tok-2`, … and count renewals; a renewal always succeeds. */
export function rotatingCredentials(): Credentials & { renewals: number } {
  let n = 1;
  return {
    renewals: 0,
    authorization: async () => `Bearer tok-${n}`,
    async renew() {
      this.renewals += 1;
      n += 1;
      return true;
    },
    refreshIfExpired: async () => {},
    tokensFetched: 0,
    grantedLifetime: undefined,
  };
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export class FakeTarget {
  readonly requests: Req[] = [];
  readonly users = new Map<string, Resource>();
  readonly groups = new Map<string, Resource>();
  override?: (req: Req) => Reply | undefined;
  private sequence = 0;

  constructor(host = HOST) {
    const scope = nock(host).persist();
    const handle = (req: Req) => this.handle(req);
    for (const method of METHODS) {
      scope
        .intercept(() => true, method)
        .reply(function (uri, body) {
          const url = new URL(uri, host);
          const text = typeof body === 'string' ? body : '';
          const authorization = this.req.headers.authorization;
          return handle({
            method,
            uri,
            path: url.pathname,
            query: url.searchParams,
            body: text ? (JSON.parse(text) as Resource) : undefined,
            authorization: typeof authorization === 'string' ? authorization : undefined,
          }) as [number, nock.Body, Record<string, string>];
        });
    }
  }

  /** Adds a user or group to the target, as if created earlier or by someone else. */
  addUser(resource: Resource): Resource {
    const id = (resource.id as string | undefined) ?? this.nextId('u');
    const user = { ...resource, id };
    this.users.set(id, user);
    return user;
  }

  addGroup(resource: Resource): Resource {
    const id = (resource.id as string | undefined) ?? this.nextId('g');
    const group = { members: [], ...resource, id };
    this.groups.set(id, group);
    return group;
  }

  /** The requests after the first `skip`, as `METHOD uri` lines. */
  lines(skip = 0): string[] {
    return this.requests.slice(skip).map((r) => `${r.method} ${r.uri}`);
  }

  private nextId(prefix: string): string {
    this.sequence += 1;
    return `${prefix}-${this.sequence}`;
  }

  handle(req: Req): Reply {
    this.requests.push(req);
    const answer = this.override?.(req);
    if (answer) return answer;
    const [, collection, id] = req.path.split('/');
    const store = collection === 'Users' ? this.users : collection === 'Groups' ? this.groups : undefined;
    if (!store) return [404, scimError(404, `No ${req.path}`)];
    const withoutMembers = (r: Resource) => {
      if (req.query.get('excludedAttributes') !== 'members') return r;
      const { members: _members, ...rest } = r;
      return rest;
    };
    if (!id) {
      if (req.method === 'POST') {
        const created = collection === 'Users' ? this.addUser(req.body ?? {}) : this.addGroup(req.body ?? {});
        return [201, created];
      }
      const filter = req.query.get('filter');
      let found = [...store.values()];
      if (filter) {
        const match = /^(\w+) eq "(.*)"$/i.exec(filter);
        if (!match) return [400, scimError(400, `Unsupported filter ${filter}`, 'invalidFilter')];
        const [, attribute, value] = match as unknown as [string, string, string];
        found = found.filter((r) => {
          const key = Object.keys(r).find((k) => k.toLowerCase() === attribute.toLowerCase());
          return key !== undefined && String(r[key]).toLowerCase() === value.toLowerCase();
        });
      }
      const startIndex = Number(req.query.get('startIndex') ?? 1);
      const count = Number(req.query.get('count') ?? 100);
      const page = found.slice(startIndex - 1, startIndex - 1 + count).map(withoutMembers);
      return [200, list(page, found.length, startIndex)];
    }
    const current = store.get(id);
    if (!current) return [404, scimError(404, `Resource ${id} not found`)];
    switch (req.method) {
      case 'GET':
        return [200, withoutMembers(current)];
      case 'PUT': {
        const replaced = { ...(req.body ?? {}), id };
        store.set(id, replaced);
        return [200, replaced];
      }
      case 'PATCH':
        this.applyMembers(current, req.body);
        return [204];
      case 'DELETE':
        store.delete(id);
        return [204];
      default:
        return [405, scimError(405, 'Method not allowed')];
    }
  }

  /** Applies member add and remove operations; other operations are only recorded. */
  private applyMembers(resource: Resource, body: Resource | undefined): void {
    const operations = Array.isArray(body?.Operations) ? (body.Operations as Resource[]) : [];
    let members = Array.isArray(resource.members) ? (resource.members as Resource[]) : [];
    for (const op of operations) {
      const name = String(op.op).toLowerCase();
      const values = Array.isArray(op.value) ? (op.value as Resource[]).map((v) => v.value) : [];
      const filtered = /^members\[value eq "(.*)"\]$/.exec(String(op.path));
      if (name === 'add' && op.path === 'members')
        members = [...members, ...values.map((value) => ({ value }))];
      if (name === 'remove' && op.path === 'members')
        members = members.filter((m) => !values.includes(m.value));
      if (name === 'remove' && filtered) members = members.filter((m) => m.value !== filtered[1]);
    }
    resource.members = members;
  }
}
