import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { ingestPendingSpools } from '../../src/analytics/warehouse/ingest.js';
import { openAnalyticsDatabase } from '../../src/analytics/warehouse/open-analytics-database.js';
import { createRecorder } from '../../src/analytics/capture/recorder.js';
import type { AnalyticsDatabase } from '../../src/analytics/warehouse/analytics-database.js';
import type { AnalyticsPaths } from '../../src/analytics/events/paths.js';
import { consentFor, sampleEvents, tempAnalyticsPaths, testInstallId, testSessionId } from '../support/analytics-fixtures.js';

async function count(db: AnalyticsDatabase, where = 'true'): Promise<number> {
  return Number((await db.connection.runAndReadAll(`SELECT count(*) FROM events WHERE ${where}`)).getRowsJS()[0]![0]);
}

function line(type: 'command' | 'error', time: number): string {
  const event = type === 'command' ? sampleEvents.command : sampleEvents.error;
  return JSON.stringify({ time, installId: testInstallId, sessionId: testSessionId, keyscopeVersion: '0.1.0', ...event });
}

function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

async function withDatabase<T>(paths: AnalyticsPaths, fn: (db: AnalyticsDatabase) => Promise<T>): Promise<T> {
  const db = await openAnalyticsDatabase({ paths, ingest: false });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

describe('ingest: exactly once', () => {
  it('ingests recorded events once, however often it runs, and deletes the sealed spool', async () => {
    const paths = tempAnalyticsPaths();
    const recorder = createRecorder({ consent: consentFor(), paths, sessionId: testSessionId });
    for (let i = 0; i < 50; i++) recorder.record(i % 5 === 0 ? sampleEvents.error : sampleEvents.command);
    await withDatabase(paths, async (db) => {
      expect(await ingestPendingSpools(db)).toMatchObject({ files: 1, events: 50, deletedFiles: 0 });
      expect(await ingestPendingSpools(db)).toMatchObject({ files: 0, events: 0, deletedFiles: 0 });
      expect(await count(db)).toBe(50);
      const groups = (await db.connection.runAndReadAll('SELECT fingerprint, count FROM error_groups')).getRowsJS();
      expect(groups).toEqual([[sampleEvents.error.fingerprint, 10n]]);
    });
    for (let i = 0; i < 5; i++) recorder.record(sampleEvents.command);
    recorder.close();
    await withDatabase(paths, async (db) => {
      expect(await ingestPendingSpools(db)).toMatchObject({ files: 1, events: 5, deletedFiles: 1 });
      expect(await ingestPendingSpools(db)).toMatchObject({ files: 0, events: 0, deletedFiles: 0 });
      expect(await count(db)).toBe(55);
      expect(await count(db, "type = 'command' AND operation = 'keygen' AND algorithm = 'ed25519'")).toBe(45);
      const progress = (await db.connection.runAndReadAll('SELECT count(*) FROM spool_progress')).getRowsJS()[0]![0];
      expect(progress).toBe(0n);
    });
    expect(readdirSync(paths.spoolDir)).toEqual([]);
  });

  it("waits for a live writer's unfinished last line", async () => {
    const paths = tempAnalyticsPaths();
    mkdirSync(paths.spoolDir, { recursive: true });
    const file = join(paths.spoolDir, `events-${process.pid}-${Date.now()}-0a0b0c0d.jsonl`);
    const second = line('command', 2000);
    writeFileSync(file, `${line('command', 1000)}\n${second.slice(0, 30)}`);
    await withDatabase(paths, async (db) => {
      expect(await ingestPendingSpools(db)).toMatchObject({ events: 1, discardedLines: 0, deletedFiles: 0 });
      appendFileSync(file, `${second.slice(30)}\n`);
      expect(await ingestPendingSpools(db)).toMatchObject({ events: 1, discardedLines: 0 });
      expect(await count(db)).toBe(2);
      expect(existsSync(file)).toBe(true);
    });
  });

  it("discards a dead writer's torn last line and deletes its file", async () => {
    const paths = tempAnalyticsPaths();
    mkdirSync(paths.spoolDir, { recursive: true });
    const file = join(paths.spoolDir, `events-${deadPid()}-1-0a0b0c0e.jsonl`);
    writeFileSync(file, `${line('command', 1000)}\n${line('error', 1001)}\n${line('command', 1002).slice(0, 50)}`);
    await withDatabase(paths, async (db) => {
      expect(await ingestPendingSpools(db)).toMatchObject({ files: 1, events: 2, discardedLines: 1, deletedFiles: 1 });
      expect(await count(db)).toBe(2);
    });
    expect(existsSync(file)).toBe(false);
  });

  it('refuses lines that are not valid events (a changed spool cannot inject data)', async () => {
    const paths = tempAnalyticsPaths();
    mkdirSync(paths.spoolDir, { recursive: true });
    const forged = JSON.stringify({ ...JSON.parse(line('command', 1)), hostname: 'build-box' });
    writeFileSync(join(paths.spoolDir, `events-${deadPid()}-1-0a0b0c0f.jsonl`), `${forged}\nnot json\n${line('command', 2)}\n`);
    await withDatabase(paths, async (db) => {
      expect(await ingestPendingSpools(db)).toMatchObject({ events: 1, discardedLines: 2 });
    });
  });
});
