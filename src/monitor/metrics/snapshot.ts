/**
 * One consistent read of everything the Prometheus and OTLP exporters publish, so that both say the same
 * and each scrape or push costs one set of queries. Totals read the rollups (analytics/warehouse/rollups.ts)
 * plus the raw events of the current partial hour, so a scrape costs the same with 10 million events as
 * with ten.
 *
 * Labels never carry free text: algorithm ids and implementation names come from the recorder's fixed lists,
 * error codes are KS_* / ERR_* / errno names, rule names match the rules file's [a-z0-9._-] pattern; anything
 * else that reached the database is published as "other" (label-values.ts).
 */
import { statSync } from 'node:fs';

import type { DuckDBConnection } from '@duckdb/node-api';

import { eventCountsRollup, failureCodeCondition, keygenLatency, latencyDailyRollup, latencyHourlyRollup, QueryParameters, rollupSource, spoolBacklogFiles } from '../../analytics/query/index.js';
import type { AnalyticsPaths } from '../../analytics/events/index.js';
import type { Alert, AlertSeverity } from '../alerts/index.js';
import { errorCodeLabel, nameLabel, outcomeLabel } from './label-values.js';

/** The latency quantiles cover this much time before the snapshot. */
export const latencyWindowSeconds = 300;

export interface MetricsSnapshot {
  /** ISO time the snapshot was taken (the end of every window in it). */
  takenAt: string;
  /** Keys timed (keygen.timing) since the oldest stored event, per algorithm, implementation and outcome. */
  keysGenerated: { algorithm: string; implementation: string; outcome: string; count: number }[];
  /** Per algorithm, the p50/p90/p99 of key generation (seconds) over the last 5 minutes; absent when no key was made. */
  keygenLatency: { algorithm: string; count: number; p50: number; p90: number; p99: number }[];
  /** Recorded errors since the oldest stored event, per code ("none" for errors without one). */
  errors: { code: string; count: number }[];
  /** Alerts firing, counted per rule and severity (as the caller evaluated them). */
  alertsFiring: { rule: string; severity: AlertSeverity; count: number }[];
  /** Spool files waiting in the spool directory (what `analytics inspect` calls pending). */
  spoolBacklogFiles: number;
  /** analytics.duckdb plus its write-ahead log, in bytes. */
  databaseBytes: number;
}

export interface SnapshotOptions {
  paths: AnalyticsPaths;
  alerts?: readonly Alert[];
  now?: Date;
}

/** Adds `count` to the entry of `key`, so that labels folded into "other" still add up. */
function tally<T extends { count: number }>(map: Map<string, T>, key: string, entry: T): void {
  const known = map.get(key);
  if (known === undefined) map.set(key, entry);
  else known.count += entry.count;
}

async function keysGenerated(connection: DuckDBConnection, now: Date): Promise<MetricsSnapshot['keysGenerated']> {
  const parameters = new QueryParameters();
  const source = rollupSource(latencyHourlyRollup, { until: now }, parameters, { daily: latencyDailyRollup });
  const sql = `
    SELECT algorithm, implementation, outcome, sum(events)::DOUBLE AS count
      FROM ${source}
     GROUP BY ALL
     ORDER BY ALL`;
  const rows = (await connection.runAndReadAll(sql, parameters.values, parameters.types)).getRowsJS();
  const totals = new Map<string, MetricsSnapshot['keysGenerated'][number]>();
  for (const [algorithm, implementation, outcome, count] of rows) {
    const entry = { algorithm: nameLabel(algorithm), implementation: nameLabel(implementation), outcome: outcomeLabel(outcome), count: Number(count) };
    tally(totals, `${entry.algorithm}\u0000${entry.implementation}\u0000${entry.outcome}`, entry);
  }
  return [...totals.values()];
}

async function errorCounts(connection: DuckDBConnection, now: Date): Promise<MetricsSnapshot['errors']> {
  const parameters = new QueryParameters();
  const source = rollupSource(eventCountsRollup, { until: now }, parameters);
  const sql = `
    SELECT error_code, sum(events)::DOUBLE AS count
      FROM ${source}
     WHERE type = 'error' AND ${failureCodeCondition(parameters)}
     GROUP BY ALL
     ORDER BY ALL`;
  const rows = (await connection.runAndReadAll(sql, parameters.values, parameters.types)).getRowsJS();
  const totals = new Map<string, { code: string; count: number }>();
  for (const [code, count] of rows) tally(totals, errorCodeLabel(code), { code: errorCodeLabel(code), count: Number(count) });
  return [...totals.values()];
}

async function recentLatency(connection: DuckDBConnection, now: Date): Promise<MetricsSnapshot['keygenLatency']> {
  const since = new Date(now.getTime() - latencyWindowSeconds * 1000);
  const summaries = await keygenLatency(connection, { since, until: now, outcome: 'ok' });
  // An algorithm id that is not a label value would merge percentiles, which cannot be added: leave it out.
  return summaries
    .filter((s) => nameLabel(s.algorithm) === s.algorithm)
    .map((s) => ({ algorithm: s.algorithm, count: s.count, p50: s.p50 / 1e9, p90: s.p90 / 1e9, p99: s.p99 / 1e9 }));
}

function alertsFiring(alerts: readonly Alert[]): MetricsSnapshot['alertsFiring'] {
  const totals = new Map<string, MetricsSnapshot['alertsFiring'][number]>();
  for (const alert of alerts) {
    const rule = nameLabel(alert.rule);
    tally(totals, `${rule}\u0000${alert.severity}`, { rule, severity: alert.severity, count: 1 });
  }
  return [...totals.values()];
}

function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0; // absent: nothing on disk yet
  }
}

/** One consistent read of what both exporters publish. `alerts` are passed in (the caller evaluates them). */
export async function collectMetricsSnapshot(connection: DuckDBConnection, options: SnapshotOptions): Promise<MetricsSnapshot> {
  const now = options.now ?? new Date();
  // One after another: a DuckDB connection runs one query at a time anyway.
  const keys = await keysGenerated(connection, now);
  const latency = await recentLatency(connection, now);
  const errors = await errorCounts(connection, now);
  return {
    takenAt: now.toISOString(),
    keysGenerated: keys,
    keygenLatency: latency,
    errors,
    alertsFiring: alertsFiring(options.alerts ?? []),
    spoolBacklogFiles: spoolBacklogFiles(options.paths),
    databaseBytes: fileBytes(options.paths.database) + fileBytes(`${options.paths.database}.wal`),
  };
}
