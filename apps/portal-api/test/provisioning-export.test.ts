/**
 * Exports of the provisioning activity and the audit trail: NDJSON and CSV, every row
 * across pages, filters applied, CSV cells escaped; managers only.
 */
import { randomUUID } from 'node:crypto';
import { type ActivityEntry, insertActivity } from '@roster/activity/rows';
import { recordAuditEvent } from '@roster/directory/audit';
import { describe, expect, it } from 'vitest';
import { type TestOrg, usePortal } from './harness.js';

describe('exports', () => {
  const portal = usePortal();
  const entry = (org: TestOrg, status: number, extra: Partial<ActivityEntry> = {}): ActivityEntry => ({
    at: new Date(),
    orgId: org.id,
    orgSlug: org.slug,
    requestId: randomUUID(),
    credential: { type: 'api_key', id: 'key1' },
    method: 'POST',
    resourceType: 'Users',
    status,
    durationMs: 4,
    ...extra,
  });
  const download = async (org: TestOrg, path: string, token = org.manager.token) => {
    const res = await fetch(`${portal().origin}/api/v1/orgs/${org.slug}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };

  it('exports every row of the activity, past one page, as NDJSON and as CSV, with the filters', async () => {
    const org = await portal().newOrg({ plan: 'enterprise' });
    await insertActivity(portal().handle.db, [
      ...Array.from({ length: 1100 }, () => entry(org, 201)),
      entry(org, 409, { scimType: 'uniqueness', detail: 'A "quoted", comma\nand line' }),
      entry(org, 400, { detail: '=HYPERLINK("x")' }),
    ]);
    const ndjson = await download(org, '/provisioning/activity/export');
    expect(ndjson.status).toBe(200);
    expect(ndjson.type).toMatch(/^application\/x-ndjson/);
    const lines = ndjson.text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(1102);
    expect(new Set(lines.map((l) => l.id)).size).toBe(1102);
    expect(lines[0]).toMatchObject({ status: 400, credentialType: 'api_key', credentialId: 'key1' });

    const csv = await download(org, '/provisioning/activity/export?format=csv&outcome=failed');
    expect(csv.type).toMatch(/^text\/csv/);
    expect(csv.text.startsWith('id,at,requestId,credentialType,credentialId,idp,method,')).toBe(true);
    expect(csv.text).toContain(`,"'=HYPERLINK(""x"")",`);
    expect(csv.text).toContain('"A ""quoted"", comma\nand line"');
    expect(csv.text.split('\r\n').filter(Boolean)).toHaveLength(3);
  });

  it('exports the audit trail, for managers only', async () => {
    const org = await portal().newOrg({ plan: 'enterprise' });
    for (let i = 0; i < 3; i++) {
      await recordAuditEvent(portal().handle.db, {
        orgId: org.id,
        actor: { type: 'api_key', id: 'key1' },
        action: 'member.created',
        target: { type: 'member', id: randomUUID() },
        changes: { attributes: ['userName', 'emails'] },
      });
    }
    const ndjson = await download(org, '/audit-events/export?action=member.created');
    const events = ndjson.text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({
      action: 'member.created',
      actorType: 'api_key',
      changes: { attributes: ['userName', 'emails'] },
    });
    const csv = await download(org, '/audit-events/export?format=csv&action=member.created');
    expect(csv.text.split('\r\n').filter(Boolean)).toHaveLength(4);
    expect(csv.text).toContain('"{""attributes"":[""userName"",""emails""]}"');
    const basic = await org.addMember('basic');
    for (const path of ['/audit-events/export', '/provisioning/activity/export']) {
      expect((await download(org, path, basic.token)).status).toBe(403);
    }
    expect((await download(org, '/audit-events/export?format=xml')).status).toBe(400);
  });
});
