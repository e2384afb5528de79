import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';

import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';

import { ErrorCodes, KeyscopeError } from '../../src/core/errors.js';
import { exportEvents } from '../../src/analytics/warehouse/export-events.js';
import { openAnalyticsDatabase } from '../../src/analytics/warehouse/open-analytics-database.js';
import { dayMs, recordAt, sampleEvents, tempAnalyticsPaths } from '../support/analytics-fixtures.js';

const now = Date.UTC(2026, 5, 1);

async function populated() {
  const paths = tempAnalyticsPaths();
  const events = [
    ...Array.from({ length: 6 }, (_, i) => ({ event: sampleEvents.command, time: now - (i + 1) * dayMs })),
    ...Array.from({ length: 3 }, (_, i) => ({ event: sampleEvents.error, time: now - (i + 1) * dayMs })),
    { event: sampleEvents.keygenTiming, time: now - 10 * dayMs },
    { event: sampleEvents.burst, time: now - 20 * dayMs },
  ];
  await recordAt(paths, events);
  return { paths, db: await openAnalyticsDatabase({ paths, now: () => now }) };
}

describe('analytics export', () => {
  it('JSON to a stream: an array of every event, counts per scope', async () => {
    const { db } = await populated();
    try {
      const stdout = new PassThrough();
      const chunks: Buffer[] = [];
      stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      const result = await exportEvents(db, { format: 'json', stdout });
      expect(result).toMatchObject({ events: 11, byScope: { usage: 6, errors: 3, performance: 1, security: 1 }, path: null });
      const rows = JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>[];
      expect(rows).toHaveLength(11);
      expect(rows[0]).toMatchObject({ scope: 'security', type: 'security.burst', algorithm: 'ed25519' });
      expect(String(rows[0]!['time'])).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    } finally {
      await db.close();
    }
  });

  it('CSV and Parquet files round-trip the selected counts', async () => {
    const { paths, db } = await populated();
    try {
      const csv = join(paths.home, 'out.csv');
      const csvResult = await exportEvents(db, { format: 'csv', out: csv, scopes: ['usage', 'errors'], sinceMs: now - 2 * dayMs });
      expect(csvResult).toMatchObject({ events: 4, byScope: { usage: 2, errors: 2 }, path: csv });
      const lines = readFileSync(csv, 'utf8').trim().split('\n');
      expect(lines[0]).toMatch(/^time,scope,type,install_id,/);
      expect(lines).toHaveLength(1 + 4);

      const parquet = join(paths.home, 'out.parquet');
      expect(await exportEvents(db, { format: 'parquet', out: parquet, untilMs: now - 7 * dayMs })).toMatchObject({ events: 2 });
      const instance = await DuckDBInstance.create(':memory:');
      const connection = await instance.connect();
      const read = (await connection.runAndReadAll(`SELECT type FROM read_parquet('${parquet}') ORDER BY time`)).getRowsJS();
      expect(read).toEqual([['security.burst'], ['keygen.timing']]);
      connection.closeSync();
      instance.closeSync();
    } finally {
      await db.close();
    }
  });

  it('Parquet needs a file', async () => {
    const { db } = await populated();
    try {
      const error = await exportEvents(db, { format: 'parquet' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KeyscopeError);
      expect((error as KeyscopeError).code).toBe(ErrorCodes.usage);
    } finally {
      await db.close();
    }
  });
});
