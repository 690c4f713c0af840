import { randomUUID } from 'node:crypto';
import { type DatabaseHandle, openDatabase } from '@roster/db';
import type {} from '@roster/testkit/vitest-global-setup';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { insertMember } from './members.js';
import { createOrganization } from './organizations.js';
import { bindSignIn, clearSignInBindings } from './sign-in-bindings.js';

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openDatabase({ url: inject('databaseUrl') });
});
afterAll(async () => handle?.close());

async function orgWithMembers(count: number) {
  const org = await createOrganization(handle.db, { slug: `b-${randomUUID().slice(0, 8)}` });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const member = await handle.db.transaction().execute((trx) =>
      insertMember(trx, {
        orgId: org.id,
        id: randomUUID(),
        data: { userName: `m${i}@x.example`, active: true },
        managedBy: 'portal',
      }),
    );
    ids.push(member.id);
  }
  return { org, ids };
}

const idp = 'https://idp.example.com';

describe('sign-in bindings', () => {
  it('binds once, then matches that account only; one account binds one member', async () => {
    const { org, ids } = await orgWithMembers(2);
    const [a, b] = ids as [string, string];
    expect(await bindSignIn(handle.db, org.id, a, { issuer: idp, subject: 's1' })).toEqual({
      outcome: 'bound',
    });
    expect(await bindSignIn(handle.db, org.id, a, { issuer: idp, subject: 's1' })).toEqual({
      outcome: 'matched',
    });
    expect(await bindSignIn(handle.db, org.id, a, { issuer: idp, subject: 's2' })).toEqual({
      outcome: 'other_account',
      bound: { issuer: idp, subject: 's1' },
    });
    expect(
      await bindSignIn(handle.db, org.id, a, { issuer: 'https://other.example', subject: 's1' }),
    ).toMatchObject({
      outcome: 'other_account',
    });
    expect(await bindSignIn(handle.db, org.id, b, { issuer: idp, subject: 's1' })).toEqual({
      outcome: 'account_taken',
    });
    expect(await clearSignInBindings(handle.db, org.id)).toBe(1);
    expect(await bindSignIn(handle.db, org.id, b, { issuer: idp, subject: 's1' })).toEqual({
      outcome: 'bound',
    });
  });

  it('two first sign-ins at once: one binds, the other is another account', async () => {
    const { org, ids } = await orgWithMembers(1);
    const member = ids[0] as string;
    const outcomes = await Promise.all(
      ['x1', 'x2'].map((subject) =>
        handle.db.transaction().execute((trx) => bindSignIn(trx, org.id, member, { issuer: idp, subject })),
      ),
    );
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['bound', 'other_account']);
  });

  it('clears only its own organization', async () => {
    const one = await orgWithMembers(1);
    const two = await orgWithMembers(1);
    await bindSignIn(handle.db, one.org.id, one.ids[0] as string, { issuer: idp, subject: 'p' });
    await bindSignIn(handle.db, two.org.id, two.ids[0] as string, { issuer: idp, subject: 'p' });
    expect(await clearSignInBindings(handle.db, one.org.id)).toBe(1);
    expect(
      await bindSignIn(handle.db, two.org.id, two.ids[0] as string, { issuer: idp, subject: 'p' }),
    ).toEqual({
      outcome: 'matched',
    });
  });
});
