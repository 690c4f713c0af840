/** The provisioning activity settings: recorded and kept 30 days by default, bounded values. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

describe('ROSTER_ACTIVITY_RECORDING and ROSTER_ACTIVITY_RETENTION_DAYS', () => {
  it('record, for 30 days, unless set otherwise', () => {
    expect(loadConfig({})).toMatchObject({ activityRecording: true, activityRetentionDays: 30 });
    expect(
      loadConfig({ ROSTER_ACTIVITY_RECORDING: 'false', ROSTER_ACTIVITY_RETENTION_DAYS: '7' }),
    ).toMatchObject({ activityRecording: false, activityRetentionDays: 7 });
  });

  it('refuse values out of range, naming the setting', () => {
    expect(() => loadConfig({ ROSTER_ACTIVITY_RETENTION_DAYS: '0' })).toThrow(
      /ROSTER_ACTIVITY_RETENTION_DAYS/,
    );
    expect(() => loadConfig({ ROSTER_ACTIVITY_RECORDING: 'off' })).toThrow(/ROSTER_ACTIVITY_RECORDING/);
  });
});

describe('ROSTER_EVENT_RETENTION_DAYS', () => {
  it('keeps provisioning events 30 days unless set otherwise, and refuses values out of range', () => {
    expect(loadConfig({})).toMatchObject({ eventRetentionDays: 30 });
    expect(loadConfig({ ROSTER_EVENT_RETENTION_DAYS: '90' })).toMatchObject({ eventRetentionDays: 90 });
    for (const value of ['0', '3651', 'a month']) {
      expect(() => loadConfig({ ROSTER_EVENT_RETENTION_DAYS: value })).toThrow(/ROSTER_EVENT_RETENTION_DAYS/);
    }
  });
});
