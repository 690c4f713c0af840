/**
 * Secrets the server must read back (e.g. the OIDC client secret it presents to the identity
 * provider), sealed at rest with AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>`, each part base64url.
 * A fresh random 12-byte IV per seal; the GCM tag makes any tampering or a wrong key fail to open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
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

export function sealSecret(plaintext: string, key: Buffer): string {
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [
    VERSION,
    iv.toString('base64url'),
    tag.toString('base64url'),
    ciphertext.toString('base64url'),
  ].join('.');
}

export function openSecret(sealed: string, key: Buffer): string {
  checkKey(key);
  const parts = sealed.split('.');
  const [version, ivPart, tagPart, ciphertextPart] = parts;
  if (
    parts.length !== 4 ||
    version !== VERSION ||
    ivPart === undefined ||
    tagPart === undefined ||
    ciphertextPart === undefined ||
    !parts.every((part) => B64URL.test(part))
  ) {
    throw new Error('Cannot open the sealed secret: it is not in the v1.<iv>.<tag>.<ciphertext> format.');
  }
  const iv = Buffer.from(ivPart, 'base64url');
  const tag = Buffer.from(tagPart, 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new Error('Cannot open the sealed secret: its IV or authentication tag has the wrong length.');
  }
  try {
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
