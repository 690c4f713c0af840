import { describe, expect, it } from 'vitest';
import { hashSecret, maskApiKey, mintApiKey, parseApiKey, verifySecret } from './api-keys.js';

describe('API keys', () => {
  it('mints a token whose secret verifies against the stored hash only', () => {
    const key = mintApiKey();
    const parsed = parseApiKey(key.token);
    expect(parsed?.id).toBe(key.id);
    expect(verifySecret(parsed?.secret ?? '', key.secretHash)).toBe(true);
    expect(verifySecret(`${parsed?.secret.slice(0, -1)}x`, key.secretHash)).toBe(false);
  });

  it('never stores the secret itself', () => {
    const key = mintApiKey();
    const secret = parseApiKey(key.token)?.secret ?? '';
    expect(key.secretHash).not.toContain(secret);
    expect(key.secretHash).toBe(hashSecret(secret));
  });

  it('mints distinct keys', () => {
    const a = mintApiKey();
    const b = mintApiKey();
    expect(a.id).not.toBe(b.id);
    expect(a.token).not.toBe(b.token);
  });

  it.each([
    '',
    'Bearer x',
    'rsk_',
    'rsk_0123456789abcdef',
    'rsk_0123456789abcdeg.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    'rsk_0123456789abcdef.short',
    'rsk_0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.extra',
  ])('rejects the malformed token %j', (token) => {
    expect(parseApiKey(token)).toBeUndefined();
  });

  it('rejects a hash of the wrong length without throwing', () => {
    expect(verifySecret('anything', 'abcd')).toBe(false);
  });

  it('masks keys for display', () => {
    expect(maskApiKey('0123456789abcdef')).toBe('rsk_0123456789abcdef.…');
  });
});
