/**
 * The dashboard's real-data fixtures (test/fixtures/dashboard, see its README): two exported quick bench runs and
 * the analytics events of two real sessions. Loaded into a fresh analytics home and run store with every time
 * moved by the same amount, so that the newest event lies `newestAgoMs` before `now`; the events go through the
 * real ingest (a sealed spool file the dashboard's open ingests), the runs through the store's import.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

import { eventSpoolName, sealedMarker } from '../../src/analytics/spool/event-spool.js';
import { type AnalyticsPaths, ensureAnalyticsHome } from '../../src/analytics/events/paths.js';
import { openStore } from '../../src/store/open-store.js';
import { repoRoot, tempAnalyticsPaths } from './analytics-fixtures.js';

export const realFixtureDir = join(repoRoot, 'test', 'fixtures', 'dashboard');

interface FixtureLine {
  time: number;
  sessionId: string;
  type: string;
  [key: string]: unknown;
}

export function realEvents(): FixtureLine[] {
  return readFileSync(join(realFixtureDir, 'events.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as FixtureLine);
}

export interface RealDataHome {
  paths: AnalyticsPaths;
  storePath: string;
  /** Events written to the spool. */
  events: FixtureLine[];
  /** The run ids, oldest first. */
  runIds: string[];
}

export async function realDataHome(now: number, newestAgoMs = 10 * 60_000): Promise<RealDataHome> {
  const paths = tempAnalyticsPaths('keyscope-dashboard-real-');
  const original = realEvents();
  const shiftMs = now - newestAgoMs - Math.max(...original.map((event) => event.time));
  const events = original.map((event) => ({ ...event, time: event.time + shiftMs }));
  ensureAnalyticsHome(paths);
  mkdirSync(paths.spoolDir, { recursive: true, mode: 0o700 });
  const spool = join(paths.spoolDir, eventSpoolName(process.pid, now, 'f1c7a2e9'));
  writeFileSync(spool, `${events.map((event) => JSON.stringify(event)).join('\n')}\n${sealedMarker}\n`, { mode: 0o600 });

  const storePath = join(paths.home, 'runs.duckdb');
  const store = await openStore(storePath);
  const runIds: string[] = [];
  try {
    for (const name of ['run-first', 'run-second']) {
      const document = JSON.parse(gunzipSync(readFileSync(join(realFixtureDir, `${name}.json.gz`))).toString('utf8')) as { run: { startedAt: string; endedAt: string | null } };
      const move = (iso: string) => new Date(Date.parse(iso) + shiftMs).toISOString();
      document.run.startedAt = move(document.run.startedAt);
      if (document.run.endedAt) document.run.endedAt = move(document.run.endedAt);
      const file = join(paths.home, `${name}.json`);
      writeFileSync(file, JSON.stringify(document));
      runIds.push(await store.importRun(file));
    }
  } finally {
    await store.close();
  }
  return { paths, storePath, events, runIds };
}
