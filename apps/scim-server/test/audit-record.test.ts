import { describe, expect, it } from 'vitest';
import { changedAttributes, idpOf } from '../src/audit/record.js';

describe('idpOf', () => {
  it('recognises Entra and Ping, keeps any other User-Agent shortened, and nothing for none', () => {
    expect(idpOf('Azure Active Directory SCIM Provisioning')).toBe('entra');
    expect(idpOf('Microsoft.Identity.Provisioning/1.0')).toBe('entra');
    expect(idpOf('PingOne-Provisioning/2.3')).toBe('ping');
    expect(idpOf(`okta-scim/${'x'.repeat(200)}`)).toHaveLength(100);
    expect(idpOf('')).toBeUndefined();
  });
});

describe('changedAttributes', () => {
  it('names the top-level attributes added, removed or changed, sorted', () => {
    expect(
      changedAttributes(
        { userName: 'a', active: true, name: { givenName: 'A' }, title: 'x' },
        { userName: 'a', active: false, name: { givenName: 'B' }, emails: [] },
      ),
    ).toEqual(['active', 'emails', 'name', 'title']);
  });
});
