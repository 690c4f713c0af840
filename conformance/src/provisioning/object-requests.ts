/**
 * One object's requests during a cycle, as both IdPs make them: a failure is logged on the object
 * with the IdP's own code and ends that object's handling (the cycle goes on); a lookup expects a
 * ListResponse with at most one match; a read expects a resource with an id.
 */
import type { ScimClient, ScimResponse } from '../wire/scim-client.js';
import { type Resource, readPath, sameValue } from '../wire/scim-paths.js';
import {
  type Action,
  type CycleRecorder,
  listOf,
  type ObjectType,
  reasonOf,
  wireFailure,
} from './provisioner.js';

export interface ObjectRef {
  objectType: ObjectType;
  source: string;
  targetId?: string;
}

/** The IdP's names for what went wrong. */
export interface ErrorCodes {
  /** For an HTTP error answer; `linked` when the request addressed a known target id. */
  status(status: number, linked: boolean): string;
  /** An answer the IdP cannot use (no id, not a ListResponse, …). */
  incompatible: string;
  /** More than one match for a lookup. */
  duplicate: string;
  timeout: string;
  network: string;
}

/** Ends one object's handling; the cycle goes on with the next object. */
export class ObjectFailure extends Error {}

/** A 401 that a new credential did not cure. */
export class Unauthorized extends Error {}

export interface Difference {
  path: string;
  value: unknown;
  /** Whether the target had a value (Replace) or not (Add). */
  present: boolean;
}

/** The mapped attributes whose values the target does not hold exactly. */
export function differences(current: Resource, wanted: Record<string, unknown>): Difference[] {
  return Object.entries(wanted).flatMap(([path, value]) => {
    const stored = readPath(current, path);
    return sameValue(value, stored) ? [] : [{ path, value, present: stored !== undefined }];
  });
}

const ok = (status: number) => status >= 200 && status < 300;

export class ObjectRequests {
  constructor(
    private readonly client: ScimClient,
    private readonly codes: ErrorCodes,
  ) {}

  async send(
    recorder: CycleRecorder,
    entry: ObjectRef & { action: Action },
    method: string,
    path: string,
    options: { query?: Record<string, string | number>; body?: unknown; accept?: number[] } = {},
  ): Promise<ScimResponse> {
    const request = `${method} ${path}`;
    let res: ScimResponse;
    try {
      res = await this.client.request(method, path, options);
    } catch (error) {
      const failure = wireFailure(error);
      const errorCode = failure.code === 'Timeout' ? this.codes.timeout : this.codes.network;
      recorder.record({ ...entry, status: 'Failure', errorCode, reason: failure.reason, request });
      throw new ObjectFailure(failure.reason);
    }
    if (ok(res.status) || options.accept?.includes(res.status)) return res;
    const reason = reasonOf(res);
    recorder.record({
      ...entry,
      status: 'Failure',
      errorCode: this.codes.status(res.status, entry.targetId !== undefined),
      reason,
      request: `${request} → ${res.status}`,
    });
    if (res.status === 401) throw new Unauthorized(reason);
    throw new ObjectFailure(reason);
  }

  /** DELETE of a linked object; a 404 (already gone) counts as done. */
  async delete(recorder: CycleRecorder, entry: ObjectRef, path: string): Promise<void> {
    await this.send(recorder, { ...entry, action: 'Delete' }, 'DELETE', path, { accept: [404] });
    recorder.record({ ...entry, action: 'Delete', status: 'Success' });
  }

  async read(
    recorder: CycleRecorder,
    entry: ObjectRef,
    path: string,
    query?: Record<string, string>,
  ): Promise<Resource> {
    const res = await this.send(
      recorder,
      { ...entry, action: 'Lookup' },
      'GET',
      path,
      query ? { query } : {},
    );
    if (!res.body || typeof res.body.id !== 'string')
      throw this.incompatible(recorder, { ...entry, action: 'Lookup' }, `GET ${path} returned no resource.`);
    return res.body;
  }

  /** A filter lookup: the one match, or undefined. */
  async lookup(
    recorder: CycleRecorder,
    entry: ObjectRef,
    path: string,
    query: Record<string, string>,
  ): Promise<Resource | undefined> {
    const res = await this.send(recorder, { ...entry, action: 'Lookup' }, 'GET', path, { query });
    if (!Array.isArray(res.body?.Resources) && res.body?.totalResults !== 0)
      throw this.incompatible(
        recorder,
        { ...entry, action: 'Lookup' },
        'A query must answer a ListResponse.',
      );
    const found = listOf(res.body);
    if (found.length > 1) {
      const reason = `${found.length} objects match ${query.filter}.`;
      recorder.record({
        ...entry,
        action: 'Lookup',
        status: 'Failure',
        errorCode: this.codes.duplicate,
        reason,
      });
      throw new ObjectFailure(reason);
    }
    const match = found[0];
    if (match && typeof match.id !== 'string')
      throw this.incompatible(
        recorder,
        { ...entry, action: 'Lookup' },
        'A resource in the ListResponse has no id.',
      );
    return match;
  }

  /** POST of a new object, logged as a Create: the target's answer, which must carry an id. */
  async create(
    recorder: CycleRecorder,
    entry: ObjectRef,
    path: string,
    body: unknown,
  ): Promise<Resource & { id: string }> {
    const create = { ...entry, action: 'Create' as const };
    const res = await this.send(recorder, create, 'POST', path, { body });
    const id = res.body?.id;
    if (typeof id !== 'string' || !id)
      throw this.incompatible(recorder, create, 'The create response has no id.');
    recorder.record({ ...create, status: 'Success', targetId: id });
    return { ...res.body, id };
  }

  incompatible(
    recorder: CycleRecorder,
    entry: ObjectRef & { action: Action },
    reason: string,
  ): ObjectFailure {
    recorder.record({ ...entry, status: 'Failure', errorCode: this.codes.incompatible, reason });
    return new ObjectFailure(reason);
  }
}

/**
 * Handles objects one at a time. A failed object is remembered in `failed` (and retried on a later
 * cycle); an `Unauthorized` stops the whole cycle; `after` runs after every object.
 */
export async function eachObject<T extends { key: string }>(
  recorder: CycleRecorder,
  objects: T[],
  failed: Set<string>,
  handle: (object: T) => Promise<void>,
  after?: (handled: number) => Promise<void>,
): Promise<void> {
  for (const object of objects) {
    try {
      await handle(object);
    } catch (error) {
      if (!(error instanceof ObjectFailure)) throw error;
      failed.add(object.key);
    }
    recorder.handled += 1;
    await after?.(recorder.handled);
  }
}
