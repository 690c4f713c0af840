/**
 * The per-process cache of what authentication reads on every request: an organization by its
 * slug (its id and settings) and the credentials presented to it. Entries are dropped when a
 * notification names their organization (writers call `notifyCredentialChange` in the
 * transaction of the change, so it is delivered at commit), and all of them when the
 * notification connection is lost. Until that connection listens, and again while it is lost,
 * the cache is bypassed: every lookup goes to the database. A maximum age bounds an entry's life
 * as a backstop. It holds no secret: key entries carry the secret's hash, which the caller
 * compares in constant time on every request, and expiry times, which it checks on every request.
 */
import type { Database } from '@roster/db';
import { type Kysely, sql } from 'kysely';
import { LRUCache } from 'lru-cache';

/** hit / miss: a lookup while listening; invalidation: a notification; reset: everything dropped (connection lost). */
export type CredentialCacheEvent = 'hit' | 'miss' | 'invalidation' | 'reset';

export interface CredentialCacheOptions {
  /** How many entries at most (least recently used go first). */
  maxEntries?: number;
  /** The backstop: an entry is read again from the database after this long, notification or not. */
  maxAgeMs?: number;
  onEvent?: (event: CredentialCacheEvent) => void;
}

interface Entry {
  orgId: string;
  value: object;
}

export class CredentialCache {
  readonly #entries: LRUCache<string, Entry>;
  readonly #onEvent: (event: CredentialCacheEvent) => void;
  #listening = false;
  /**
   * Bumped by every invalidation: a lookup that was under way when one arrived does not store what
   * it read, which may predate the change.
   */
  #generation = 0;

  constructor({ maxEntries = 10_000, maxAgeMs = 60_000, onEvent = () => {} }: CredentialCacheOptions = {}) {
    this.#entries = new LRUCache({ max: maxEntries, ttl: maxAgeMs });
    this.#onEvent = onEvent;
  }

  /** Whether the cache is in use (its notification connection listens). */
  get listening(): boolean {
    return this.#listening;
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * The value under `key`, or what `load` reads (stored when found, while listening, and only if
   * no invalidation arrived during the read). `orgOf` names the organization a value belongs to.
   */
  async lookup<T extends object>(
    key: string,
    orgOf: (value: T) => string,
    load: () => Promise<T | undefined>,
  ): Promise<T | undefined> {
    if (!this.#listening) return load();
    const cached = this.#entries.get(key);
    if (cached) {
      this.#onEvent('hit');
      return cached.value as T;
    }
    this.#onEvent('miss');
    const generation = this.#generation;
    const value = await load();
    if (value !== undefined && this.#listening && generation === this.#generation) {
      this.#entries.set(key, { orgId: orgOf(value), value });
    }
    return value;
  }

  /** A notification: every entry of this organization goes. */
  invalidate(orgId: string): void {
    this.#generation += 1;
    for (const [key, entry] of this.#entries.entries()) {
      if (entry.orgId === orgId) this.#entries.delete(key);
    }
    this.#onEvent('invalidation');
  }

  /** The notification connection listens: the cache may be used from now on. */
  resume(): void {
    this.#generation += 1;
    this.#entries.clear();
    this.#listening = true;
  }

  /** The notification connection was lost (notifications may have been missed): forget everything, bypass until resumed. */
  reset(): void {
    this.#generation += 1;
    this.#listening = false;
    this.#entries.clear();
    this.#onEvent('reset');
  }
}

/** The channel writers notify and every process listens on; the payload is an organization id. */
export const CREDENTIAL_CHANNEL = 'roster_cache';

/**
 * Tells every process that something authentication reads about this organization changed: call
 * it in the transaction of the change (`inTransaction`), so the notification is sent at its
 * commit and never for a change rolled back. Within one transaction PostgreSQL sends a repeated
 * notification once.
 */
export async function notifyCredentialChange(trx: Kysely<Database>, orgId: string): Promise<void> {
  await sql`select pg_notify(${CREDENTIAL_CHANNEL}, ${orgId})`.execute(trx);
}

/** Runs `work` in the caller's transaction, or in a new one when `db` is not a transaction. */
export function inTransaction<T>(
  db: Kysely<Database>,
  work: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
