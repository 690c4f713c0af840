import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openSecret, sealSecret, secretKeyFrom } from './secret-box.js';

const key = randomBytes(32);

describe('secret box', () => {
  it('round-trips, with a fresh IV each time', () => {
    for (const plaintext of ['', 's3cr3t', 'ünïcødé ✓ 🔑', 'x'.repeat(10_000)]) {
      const sealed = sealSecret(plaintext, key);
      expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]*$/);
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
    for (const malformed of ['', 'v2.a.b.c', `${sealed}.extra`, 'v1.not base64.x.y', `v1.${iv}.${tag}`]) {
      expect(() => openSecret(malformed, key)).toThrow(/Cannot open the sealed secret/);
    }
  });

  it('refuses to open with another key', () => {
    const sealed = sealSecret('the secret', key);
    expect(() => openSecret(sealed, randomBytes(32))).toThrow(/different key/);
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => sealSecret('x', randomBytes(16))).toThrow(/32 bytes/);
    expect(() => openSecret('v1.a.b.c', randomBytes(31))).toThrow(/32 bytes/);
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
