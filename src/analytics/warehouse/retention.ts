/**
 * Retention: events older than the retention period are deleted whenever the database is opened. The period
 * is, first found: the caller's option, KEYSCOPE_ANALYTICS_RETENTION_DAYS, the consent file's retentionDays,
 * 180 days. The error groups of expired errors are recomputed from the errors left, or removed with the last.
 */
import { type DuckDBConnection } from '@duckdb/node-api';

import { readConsentFile } from '../capture/index.js';
import { reconcileErrorGroups } from './error-groups.js';
import { errorFingerprintsWhere, removeEvents } from './remove-events.js';
import type { AnalyticsPaths } from '../events/index.js';
import { inTransaction } from '../../duckdb/index.js';
import { refreshRollups } from './rollups.js';

export const defaultRetentionDays = 180;
const dayMs = 24 * 60 * 60 * 1000;

function positiveWholeNumber(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  const value = Number(text);
  return value > 0 ? value : undefined;
}

export function resolveRetentionDays(paths: AnalyticsPaths, option: number | undefined, env: NodeJS.ProcessEnv = process.env): number {
  if (option !== undefined && Number.isInteger(option) && option > 0) return option;
  const fromEnv = positiveWholeNumber(env['KEYSCOPE_ANALYTICS_RETENTION_DAYS']);
  if (fromEnv !== undefined) return fromEnv;
  const file = readConsentFile(paths);
  if (file.state === 'ok' && file.decision.retentionDays !== undefined) return file.decision.retentionDays;
  return defaultRetentionDays;
}

/** Deletes what is older than `days` before `nowMs`; returns the number of events removed. */
export async function applyRetention(connection: DuckDBConnection, days: number, nowMs: number): Promise<number> {
  const cutoffMicros = BigInt(Math.floor(nowMs - days * dayMs)) * 1000n;
  const cutoff = `make_timestamp(${cutoffMicros.toString()})`;
  // One transaction: a crash must not leave rollups summarising events that are already gone.
  return inTransaction(connection, async () => {
    const fingerprints = await errorFingerprintsWhere(connection, `time < ${cutoff}`);
    const removed = await removeEvents(connection, `time < ${cutoff}`);
    await reconcileErrorGroups(connection, fingerprints);
    // Every hour up to the cutoff's: the rollups must not keep what was deleted (nothing when nothing was).
    if (removed > 0) await refreshRollups(connection, { fromMs: 0, toMs: Math.floor(nowMs - days * dayMs) });
    await connection.run(`DELETE FROM error_groups WHERE last_seen < ${cutoff}`);
    return removed;
  });
}
