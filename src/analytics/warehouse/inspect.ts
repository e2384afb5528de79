/**
 * `analytics inspect`: what the database holds, so a person can see exactly what was recorded about them:
 * counts per scope and type, the first and last event time, the file's size, what is still waiting in the
 * spool directory, and the last 20 events as recorded.
 */
import { statSync } from 'node:fs';

import type { AnalyticsDatabase } from './analytics-database.js';
import { listPendingSpools } from '../spool/index.js';

export interface InspectSummary {
  database: string;
  databaseBytes: number;
  events: number;
  byScopeAndType: { scope: string; type: string; events: number }[];
  firstEvent: string | null;
  lastEvent: string | null;
  errorGroups: number;
  pendingSpools: { files: number; bytes: number };
  /** The newest events, newest first, with their properties parsed back. */
  latest: Record<string, unknown>[];
}

export const latestEventCount = 20;

function iso(value: unknown): string | null {
  return value instanceof Date ? value.toISOString() : value === null || value === undefined ? null : String(value);
}

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  return value;
}

export async function inspectAnalytics(db: AnalyticsDatabase): Promise<InspectSummary> {
  const { connection } = db;
  const byScopeAndType = (
    await connection.runAndReadAll('SELECT scope, type, count(*) FROM events GROUP BY scope, type ORDER BY scope, type')
  )
    .getRowsJS()
    .map(([scope, type, count]) => ({ scope: String(scope), type: String(type), events: Number(count) }));
  const [range] = (await connection.runAndReadAll('SELECT min(time), max(time), count(*) FROM events')).getRowsJS();
  const errorGroups = Number((await connection.runAndReadAll('SELECT count(*) FROM error_groups')).getRowsJS()[0]![0]);
  const latest = (
    await connection.runAndReadAll(`SELECT * FROM events ORDER BY time DESC LIMIT ${latestEventCount}`)
  )
    .getRowObjectsJS()
    .map((row) => {
      const event: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(row)) {
        if (value === null) continue;
        event[key] = key === 'properties' && typeof value === 'string' ? (JSON.parse(value) as unknown) : plain(value);
      }
      return event;
    });
  const pending = listPendingSpools(db.paths.spoolDir);
  let databaseBytes = 0;
  try {
    databaseBytes = statSync(db.paths.database).size;
  } catch {
    // Not yet written to disk: zero is the truth.
  }
  return {
    database: db.paths.database,
    databaseBytes,
    events: Number(range?.[2] ?? 0),
    byScopeAndType,
    firstEvent: iso(range?.[0]),
    lastEvent: iso(range?.[1]),
    errorGroups,
    pendingSpools: { files: pending.length, bytes: pending.reduce((sum, spool) => sum + spool.bytes, 0) },
    latest,
  };
}
