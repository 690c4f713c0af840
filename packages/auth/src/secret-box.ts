/**
 * Secrets the server must read back (e.g. the OIDC client secret it presents to the identity
 * provider, a login in progress kept in a cookie), sealed with AES-256-GCM:
 * `v2.<iv>.<tag>.<ciphertext>`, each part base64url, under a key derived from the server secret
 * for the purpose (@roster/auth/server-keys): stored secrets and cookies never share a key. A fresh
 * random 12-byte IV per seal; the GCM tag makes any tampering or a wrong key fail to open.
 *
 * `v1.` values were sealed with the server secret itself, before keys were derived. Stored
 * secrets sealed then (in the database of an existing deployment) still open; nothing is sealed
 * v1 any more, and a cookie never opens as v1 (its login would be at most ten minutes old).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { deriveKey } from './server-keys.js';

/** What is sealed: a secret at rest that Roster reads back, or a sign-in cookie. */
export type SealPurpose = 'secret-box' | 'cookie';

const VERSION = 'v2';
const LEGACY_VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const B64URL = /^[A-Za-z0-9_-]*$/;

function checkKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
    throw new Error(`The secret key must be ${KEY_BYTES} bytes (AES-256); got ${key?.length ?? 0}.`);
  }
}

/** Seals `plaintext` under the key derived from the server secret for `purpose`. */
export function sealSecret(
  plaintext: string,
  serverKey: Buffer,
  purpose: SealPurpose = 'secret-box',
): string {
  checkKey(serverKey);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, deriveKey(serverKey, purpose), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [
    VERSION,
    iv.toString('base64url'),
    tag.toString('base64url'),
    ciphertext.toString('base64url'),
  ].join('.');
}

export function openSecret(sealed: string, serverKey: Buffer, purpose: SealPurpose = 'secret-box'): string {
  checkKey(serverKey);
  const parts = sealed.split('.');
  const [version, ivPart, tagPart, ciphertextPart] = parts;
  const legacy = version === LEGACY_VERSION && purpose === 'secret-box';
  if (
    parts.length !== 4 ||
    (version !== VERSION && !legacy) ||
    ivPart === undefined ||
    tagPart === undefined ||
    ciphertextPart === undefined ||
    !parts.every((part) => B64URL.test(part))
  ) {
    throw new Error('Cannot open the sealed secret: it is not in the v2.<iv>.<tag>.<ciphertext> format.');
  }
  const iv = Buffer.from(ivPart, 'base64url');
  const tag = Buffer.from(tagPart, 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new Error('Cannot open the sealed secret: its IV or authentication tag has the wrong length.');
  }
  try {
    const key = legacy ? serverKey : deriveKey(serverKey, purpose);
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(tag);
    return Buffer.concat([
      decipher.update(Buffer.from(ciphertextPart, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  } catch (error) {
    throw new Error('Cannot open the sealed secret: it was tampered with, or sealed with a different key.', {
      cause: error,
    });
  }
}

/** Parses a 32-byte key given in base64 or base64url (e.g. from an environment variable). */
export function secretKeyFrom(value: string): Buffer {
  const trimmed = value.trim();
  const canonical = trimmed.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  const key = /^[A-Za-z0-9_-]+$/.test(canonical) ? Buffer.from(canonical, 'base64url') : undefined;
  // Re-encoding must give back the input: refuses stray characters and non-canonical trailing bits.
  if (!key || key.length !== KEY_BYTES || key.toString('base64url') !== canonical) {
    throw new Error(
      `The secret key must be ${KEY_BYTES} random bytes in base64 or base64url (e.g. \`openssl rand -base64 32\`).`,
    );
  }
  return key;
}

let processKey: Buffer | undefined;
/**
 * The fallback server key when none is configured: random, one per process, shared by every app
 * in it (so the SCIM service verifies the tokens the portal's authorization server signs). Fine
 * for tests; in production what it sealed or signed dies with the process.
 */
export function ephemeralSecretKey(): Buffer {
  processKey ??= randomBytes(KEY_BYTES);
  return processKey;
}
