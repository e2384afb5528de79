/**
 * How often failures happen (errors.ts errorCodeKinds: an outcome an older keyscope recorded as an error is
 * not counted): error events per time bucket, and per fingerprint (with its code), in one scan of
 * the hourly event counts (warehouse/rollups.ts) plus the raw events of the range's partial hours.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

import { eventCountsRollup, failureCodeCondition, QueryParameters } from '../warehouse/index.js';
import { filterConditions, type QueryFilter } from './query-filter.js';
import { rollupSource } from './rollup-source.js';
import { bucketStartMs, type BucketSize, rawPeriod } from './time-bucket.js';

export interface ErrorFrequency {
  /** Oldest bucket first; buckets without errors are absent. */
  overTime: { start: Date; errors: number }[];
  /** Most frequent first. */
  byFingerprint: { fingerprint: string; code: string | null; errors: number }[];
}

/** Honours the time range, algorithm and operation (where the error surfaced). */
export async function errorFrequency(connection: DuckDBConnection, filter: QueryFilter, options: { bucket: BucketSize }): Promise<ErrorFrequency> {
  const parameters = new QueryParameters();
  const bucket = bucketStartMs(options.bucket, parameters, 'hour');
  const source = rollupSource(eventCountsRollup, filter, parameters, { rawPeriod: rawPeriod(options.bucket, parameters) });
  const conditions = filterConditions(filter, parameters, ['algorithm', 'operation']);
  const sql = `
    SELECT ${bucket} AS bucket_ms, fingerprint, any_value(error_code) AS code, GROUPING(bucket_ms) AS by_fingerprint,
           sum(events)::DOUBLE AS errors
      FROM ${source}
     WHERE type = 'error' AND ${failureCodeCondition(parameters)} AND ${conditions}
     GROUP BY GROUPING SETS ((bucket_ms), (fingerprint))`;
  const rows = (await connection.runAndReadAll(sql, parameters.values, parameters.types)).getRowObjectsJS();
  return {
    overTime: rows
      .filter((row) => Number(row['by_fingerprint']) === 0)
      .map((row) => ({ start: new Date(Number(row['bucket_ms'])), errors: Number(row['errors']) }))
      .sort((a, b) => a.start.getTime() - b.start.getTime()),
    byFingerprint: rows
      .filter((row) => Number(row['by_fingerprint']) === 1 && row['fingerprint'] !== null)
      .map((row) => ({ fingerprint: String(row['fingerprint']), code: row['code'] === null ? null : String(row['code']), errors: Number(row['errors']) }))
      .sort((a, b) => b.errors - a.errors || a.fingerprint.localeCompare(b.fingerprint)),
  };
}
