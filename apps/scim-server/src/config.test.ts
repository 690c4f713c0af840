import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('PUBLIC_URL', () => {
  it('is an origin: scheme, host and port, with or without a trailing slash', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://roster.example.com' }).publicUrl?.origin).toBe(
      'https://roster.example.com',
    );
    expect(loadConfig({ PUBLIC_URL: 'http://localhost:8080/' }).publicUrl?.origin).toBe(
      'http://localhost:8080',
    );
    expect(loadConfig({}).publicUrl).toBeUndefined();
  });

  it('refuses a path (routes live at the root), a query, credentials and other schemes, naming the setting', () => {
    for (const raw of [
      'https://example.com/roster',
      'https://example.com/?a=1',
      'https://user:pass@example.com',
      'ftp://example.com',
      'roster.example.com',
    ]) {
      expect(() => loadConfig({ PUBLIC_URL: raw }), raw).toThrow(/^PUBLIC_URL must be/);
    }
  });
});
