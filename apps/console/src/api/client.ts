/**
 * The portal API, typed by schema.d.ts (generated from its OpenAPI document): same origin, with the
 * sign-in session cookie. Changes carry this origin's Origin header, which the API requires of a
 * session (the browser adds it). Responses are never cached by the client beyond TanStack Query.
 */
import createClient from 'openapi-fetch';
import type { operations, paths } from './schema';

export const api = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' });

/** The body of a 200 (or 201) answer of an operation. */
export type Ok<Op extends keyof operations> = operations[Op]['responses'] extends infer R
  ? R extends { 200: { content: { 'application/json': infer B } } }
    ? B
    : R extends { 201: { content: { 'application/json': infer B } } }
      ? B
      : never
  : never;

/** A refusal of the API, with its own code and words (shown as they are). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** What was wrong with each field of a 400 invalid_request. */
    readonly fields: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** openapi-fetch's result as data or an ApiError thrown (for TanStack Query). */
export async function ok<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<NonNullable<T>> {
  const { data, error, response } = await call;
  if (response.ok) return data as NonNullable<T>;
  const body = error as { error?: { code?: string; message?: string; details?: unknown } } | undefined;
  const details = body?.error?.details;
  throw new ApiError(
    response.status,
    body?.error?.code ?? `http_${response.status}`,
    body?.error?.message ?? `The server answered ${response.status} ${response.statusText}.`,
    Array.isArray(details) ? (details as { path: string; message: string }[]) : [],
  );
}
