/**
 * API keys: `rsk_<key id>.<secret>`. The key id is public and locates the stored record (one
 * indexed lookup); the secret is 256 random bits, stored only as its SHA-256 and compared in
 * constant time. The key is shown to its creator once and can't be recovered.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'rsk_';
const KEY_ID = /^[0-9a-f]{16}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

export interface MintedKey {
  id: string;
  /** The full token to hand to the client, once. */
  token: string;
  secretHash: string;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function mintApiKey(): MintedKey {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, token: `${PREFIX}${id}.${secret}`, secretHash: hashSecret(secret) };
}

/** Splits a presented token into key id and secret; `undefined` when it is not shaped like one of ours. */
export function parseApiKey(token: string): { id: string; secret: string } | undefined {
  if (!token.startsWith(PREFIX)) return undefined;
  const [id, secret, ...rest] = token.slice(PREFIX.length).split('.');
  if (rest.length > 0 || !id || !secret || !KEY_ID.test(id) || !SECRET.test(secret)) return undefined;
  return { id, secret };
}

/** Compares a presented secret with a stored hash in constant time. */
export function verifySecret(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** A display form that identifies a key without revealing it (for listings and logs). */
export function maskApiKey(id: string): string {
  return `${PREFIX}${id}.…`;
}
