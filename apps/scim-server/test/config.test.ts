import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

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

describe('ROSTER_ENV', () => {
  it('is development on the embedded database and production on PostgreSQL unless set', () => {
    expect(loadConfig({}).development).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/roster' }).development).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/roster', ROSTER_ENV: 'development' }).development).toBe(
      true,
    );
    expect(loadConfig({ ROSTER_ENV: 'production' }).development).toBe(false);
  });

  it('refuses any other value, naming the setting', () => {
    expect(() => loadConfig({ ROSTER_ENV: 'dev' })).toThrow(
      /^ROSTER_ENV must be "development" or "production"/,
    );
  });
});

describe('webhook delivery settings', () => {
  it('default to delivering in every process, retrying a day from 5 s, 60 s leases, a 1 s poll', () => {
    expect(loadConfig({}).webhooks).toEqual({
      delivery: true,
      retryWindowSeconds: 86_400,
      retryBaseMs: 5_000,
      leaseSeconds: 60,
      pollMs: 1_000,
    });
    expect(
      loadConfig({ ROSTER_WEBHOOK_DELIVERY: 'false', ROSTER_WEBHOOK_RETRY_WINDOW_SECONDS: '60' }).webhooks,
    ).toMatchObject({ delivery: false, retryWindowSeconds: 60 });
  });

  it('refuses values out of range, naming the setting', () => {
    expect(() => loadConfig({ ROSTER_WEBHOOK_LEASE_SECONDS: '1' })).toThrow(/^ROSTER_WEBHOOK_LEASE_SECONDS/);
    expect(() => loadConfig({ ROSTER_WEBHOOK_DELIVERY: 'yes' })).toThrow(/ROSTER_WEBHOOK_DELIVERY/);
  });
});
