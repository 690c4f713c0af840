/** Recognising PostgreSQL errors by SQLSTATE and constraint name (the same codes under PGlite). */

interface DatabaseError {
  code: string;
  constraint?: string;
  message?: string;
}

function isDatabaseError(error: unknown): error is DatabaseError {
  return (
    typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
  );
}

/**
 * The violated constraint's name as the schema has it. On Citus the error comes from a worker's
 * shard: Citus passes on its message but not its constraint field, and the shard's constraint
 * carries the shard's id (`duplicate key value violates unique constraint "members__user_name_102008"`);
 * shard ids start at 102008, and no constraint of Roster's ends in six digits.
 */
function constraintOf(error: DatabaseError): string {
  const name = error.constraint ?? /constraint "([^"]+)"/.exec(error.message ?? '')?.[1] ?? '';
  return name.replace(/_\d{6,}$/, '');
}

/** The unique constraint or index a statement violated (SQLSTATE 23505), if that is what happened. */
export function uniqueViolation(error: unknown): string | undefined {
  if (!isDatabaseError(error) || error.code !== '23505') return undefined;
  return constraintOf(error);
}

/** The foreign key a statement violated (SQLSTATE 23503): a row it refers to was deleted meanwhile. */
export function foreignKeyViolation(error: unknown): string | undefined {
  if (!isDatabaseError(error) || error.code !== '23503') return undefined;
  return constraintOf(error);
}

/**
 * A prepared plan that a migration invalidated: PostgreSQL refuses to run a cached `select *` plan
 * whose columns changed (prepared-statements.ts). Its SQLSTATE, 0A000 feature_not_supported, also
 * covers statements that can never work, so the message decides.
 */
export function isPlanInvalidated(error: unknown): boolean {
  return (
    isDatabaseError(error) &&
    error.code === '0A000' &&
    /cached plan must not change result type/.test(error.message ?? '')
  );
}

/**
 * node-postgres's own messages for a connection that is gone or could not be made: "Connection
 * terminated unexpectedly" (the server went away), "Connection terminated due to connection
 * timeout", "timeout exceeded when trying to connect" (the pool's connectionTimeoutMillis),
 * "Client has encountered a connection error and is not queryable" (a query on a client whose
 * connection broke earlier, e.g. the ROLLBACK after a failed statement), "Client was closed and
 * is not queryable", "Query read timeout" (the server did not answer within query_timeout).
 */
const CONNECTION_LOST =
  /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|is not queryable|Query read timeout/i;

/**
 * Socket errors (Node's codes) and SQLSTATEs that mean "not now": 57P01 admin_shutdown,
 * 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up or shutting down), 53300
 * too_many_connections, 57014 query_canceled (a statement_timeout an administrator set, or
 * pg_cancel_backend); class 08 (connection exceptions) is matched by prefix.
 */
const UNAVAILABLE_CODES = new Set([
  '57014',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** Whether the error means the database could not be reached or is shutting down. */
export function isUnavailable(error: unknown): boolean {
  if (!isDatabaseError(error)) return error instanceof Error && CONNECTION_LOST.test(error.message);
  // Also a prepared plan invalidated by a migration (prepared-statements.ts): the retry runs unprepared.
  return error.code.startsWith('08') || isPlanInvalidated(error) || UNAVAILABLE_CODES.has(error.code);
}
