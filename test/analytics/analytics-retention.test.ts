import { describe, expect, it } from 'vitest';

import { openAnalyticsDatabase } from '../../src/analytics/warehouse/open-analytics-database.js';
import { resolveRetentionDays } from '../../src/analytics/warehouse/retention.js';
import { consentFileFormat, writeConsentFile } from '../../src/analytics/capture/consent/consent-file.js';
import { dayMs, recordAt, sampleEvents, tempAnalyticsPaths, testInstallId } from '../support/analytics-fixtures.js';

const now = Date.UTC(2026, 5, 1);

async function countAfterOpen(paths: ReturnType<typeof tempAnalyticsPaths>, retentionDays?: number): Promise<number> {
  const db = await openAnalyticsDatabase({ paths, now: () => now, retentionDays });
  try {
    return Number((await db.connection.runAndReadAll('SELECT count(*) FROM events')).getRowsJS()[0]![0]);
  } finally {
    await db.close();
  }
}

describe('retention', () => {
  it('removes events older than 180 days on open, keeps the rest', async () => {
    const paths = tempAnalyticsPaths();
    await recordAt(paths, [
      { event: sampleEvents.command, time: now - 181 * dayMs },
      { event: sampleEvents.error, time: now - 200 * dayMs },
      { event: sampleEvents.command, time: now - 179 * dayMs },
      { event: sampleEvents.command, time: now - 1 * dayMs },
    ]);
    expect(await countAfterOpen(paths)).toBe(2);
    // The error group of the expired error event went with it.
    const db = await openAnalyticsDatabase({ paths, now: () => now });
    expect((await db.connection.runAndReadAll('SELECT count(*) FROM error_groups')).getRowsJS()[0]![0]).toBe(0n);
    await db.close();
  });

  it('takes the option, then KEYSCOPE_ANALYTICS_RETENTION_DAYS, then the consent file, then 180', async () => {
    const paths = tempAnalyticsPaths();
    expect(resolveRetentionDays(paths, undefined, {})).toBe(180);
    writeConsentFile(paths, { format: consentFileFormat, scopes: ['usage'], noticeVersion: 1, decidedAt: new Date(now).toISOString(), installId: testInstallId, retentionDays: 30 });
    expect(resolveRetentionDays(paths, undefined, {})).toBe(30);
    expect(resolveRetentionDays(paths, undefined, { KEYSCOPE_ANALYTICS_RETENTION_DAYS: '7' })).toBe(7);
    expect(resolveRetentionDays(paths, undefined, { KEYSCOPE_ANALYTICS_RETENTION_DAYS: 'soon' })).toBe(30);
    expect(resolveRetentionDays(paths, 3, { KEYSCOPE_ANALYTICS_RETENTION_DAYS: '7' })).toBe(3);
  });

  it('applies a shorter retention given by option', async () => {
    const paths = tempAnalyticsPaths();
    await recordAt(paths, [
      { event: sampleEvents.command, time: now - 10 * dayMs },
      { event: sampleEvents.command, time: now - 3 * dayMs },
    ]);
    expect(await countAfterOpen(paths, 5)).toBe(1);
  });
});
