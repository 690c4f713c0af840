import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openSecret, sealSecret, secretKeyFrom } from './secret-box.js';

const key = randomBytes(32);

describe('secret box', () => {
  it('round-trips, with a fresh IV each time', () => {
    for (const plaintext of ['', 's3cr3t', 'ünïcødé ✓ 🔑', 'x'.repeat(10_000)]) {
      const sealed = sealSecret(plaintext, key);
      expect(sealed).toMatch(/^v2\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]*$/);
      expect(openSecret(sealed, key)).toBe(plaintext);
    }
    const a = sealSecret('same', key);
    const b = sealSecret('same', key);
    expect(a).not.toBe(b);
    expect(a).not.toContain('same');
  });

  it('detects tampering with any part', () => {
    const sealed = sealSecret('the secret', key);
    const [version, iv, tag, ciphertext] = sealed.split('.') as [string, string, string, string];
    const flip = (part: string) => {
      const bytes = Buffer.from(part, 'base64url');
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      return bytes.toString('base64url');
    };
    for (const tampered of [
      [version, flip(iv), tag, ciphertext],
      [version, iv, flip(tag), ciphertext],
      [version, iv, tag, flip(ciphertext)],
      [version, iv, tag, `${ciphertext}AA`],
    ]) {
      expect(() => openSecret(tampered.join('.'), key)).toThrow(
        /tampered with, or sealed with a different key/,
      );
    }
    for (const malformed of [
      '',
      'v2.a.b.c',
      'v3.a.b.c',
      `${sealed}.extra`,
      'v2.not base64.x.y',
      `v2.${iv}.${tag}`,
    ]) {
      expect(() => openSecret(malformed, key)).toThrow(/Cannot open the sealed secret/);
    }
  });

  it('refuses to open with another key', () => {
    const sealed = sealSecret('the secret', key);
    expect(() => openSecret(sealed, randomBytes(32))).toThrow(/different key/);
  });

  it('seals stored secrets and cookies under keys derived for each, never the server key itself', () => {
    const secret = sealSecret('client secret', key);
    const cookie = sealSecret('{"org":"acme"}', key, 'cookie');
    expect(openSecret(secret, key, 'secret-box')).toBe('client secret');
    expect(openSecret(cookie, key, 'cookie')).toBe('{"org":"acme"}');
    // Neither opens as the other, nor with the server key used directly.
    expect(() => openSecret(secret, key, 'cookie')).toThrow(/different key/);
    expect(() => openSecret(cookie, key, 'secret-box')).toThrow(/different key/);
    const [, iv, tag, ciphertext] = secret.split('.') as [string, string, string, string];
    expect(() => openSecret(['v1', iv, tag, ciphertext].join('.'), key)).toThrow(/different key/);
  });

  it('still opens a stored secret sealed v1 with the server key itself (before keys were derived); a cookie never', () => {
    // What sealSecret wrote before: v1, AES-256-GCM under the server key.
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const ciphertext = Buffer.concat([cipher.update('old client secret', 'utf8'), cipher.final()]);
    const v1 = ['v1', iv, cipher.getAuthTag(), ciphertext]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
    expect(openSecret(v1, key)).toBe('old client secret');
    expect(() => openSecret(v1, randomBytes(32))).toThrow(/different key/);
    expect(() => openSecret(v1, key, 'cookie')).toThrow(/not in the v2/);
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => sealSecret('x', randomBytes(16))).toThrow(/32 bytes/);
    expect(() => openSecret('v2.a.b.c', randomBytes(31))).toThrow(/32 bytes/);
  });

  it('parses a 32-byte key from base64 or base64url, and nothing else', () => {
    const raw = randomBytes(32);
    expect(secretKeyFrom(raw.toString('base64')).equals(raw)).toBe(true);
    expect(secretKeyFrom(raw.toString('base64url')).equals(raw)).toBe(true);
    expect(secretKeyFrom(` ${raw.toString('base64')}\n`).equals(raw)).toBe(true);
    for (const bad of [
      '',
      'short',
      randomBytes(16).toString('base64'),
      randomBytes(33).toString('base64'),
      'not base64 at all!!',
      raw.toString('hex'),
    ]) {
      expect(() => secretKeyFrom(bad), bad).toThrow(/32 random bytes in base64 or base64url/);
    }
  });
});
