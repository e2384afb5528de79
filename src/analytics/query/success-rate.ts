/**
 * Key generation success rate: ok vs error, overall, per algorithm, and per algorithm per time bucket, in one
 * scan (GROUPING SETS). Counted from keygen.timing (performance scope) by default, or from the generate
 * APIs' api.call events (usage scope): never both, since one call can produce one of each. Read from the
 * hourly event counts (warehouse/rollups.ts) plus the raw events of the range's partial hours.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

import { eventCountsRollup, latencyHourlyRollup, QueryParameters } from '../warehouse/index.js';
import { filterConditions, type QueryFilter } from './query-filter.js';
import { rollupSource } from './rollup-source.js';
import { bucketStartMs, type BucketSize, rawPeriod } from './time-bucket.js';

export interface SuccessCounts {
  ok: number;
  error: number;
  /** ok / (ok + error); 0 when there were none. */
  rate: number;
}

export interface SuccessRate {
  overall: SuccessCounts;
  byAlgorithm: (SuccessCounts & { algorithm: string })[];
  /** Per algorithm, oldest bucket first. */
  overTime: (SuccessCounts & { algorithm: string; start: Date })[];
}

export interface SuccessRateOptions {
  bucket: BucketSize;
  /** Which events count. Default 'keygen.timing'. */
  source?: 'keygen.timing' | 'api.call';
}

function counts(row: Record<string, unknown>): SuccessCounts {
  const ok = Number(row['ok']);
  const error = Number(row['error']);
  return { ok, error, rate: ok + error === 0 ? 0 : ok / (ok + error) };
}

/**
 * keygen.timing counted by implementation: the event counts have no implementation column, the latency rollup
 * has (with the same hours and raw edges), so a filtered count reads it, shaped like the event counts. It holds
 * only the timings with a duration above 0: a timing of 0 ns (below the clock's resolution) is not counted.
 */
function timingsOfImplementation(filter: QueryFilter, parameters: QueryParameters, period: string | undefined): string {
  const latency = rollupSource(latencyHourlyRollup, filter, parameters, { rawPeriod: period });
  return `(SELECT hour, 'keygen.timing' AS type, api AS operation, algorithm, outcome, events
             FROM ${latency} WHERE ${filterConditions(filter, parameters, ['implementation'])})`;
}

/**
 * Honours the time range, algorithm and operation (the API), and for keygen.timing the implementation; the
 * outcome is what it counts.
 */
export async function successRate(connection: DuckDBConnection, filter: QueryFilter, options: SuccessRateOptions): Promise<SuccessRate> {
  const parameters = new QueryParameters();
  const bucket = bucketStartMs(options.bucket, parameters, 'hour');
  const period = rawPeriod(options.bucket, parameters);
  const counted =
    filter.implementation !== undefined && options.source !== 'api.call'
      ? timingsOfImplementation(filter, parameters, period)
      : rollupSource(eventCountsRollup, filter, parameters, { rawPeriod: period });
  const conditions = filterConditions(filter, parameters, ['algorithm', 'operation']);
  const source = options.source === 'api.call' ? `type = 'api.call' AND operation IN ('generateKeyPairSync', 'generateKeyPair')` : `type = 'keygen.timing'`;
  const sql = `
    SELECT algorithm, ${bucket} AS bucket_ms, GROUPING(algorithm, bucket_ms) AS level,
           coalesce(sum(events) FILTER (WHERE outcome = 'ok'), 0)::DOUBLE AS ok,
           coalesce(sum(events) FILTER (WHERE outcome = 'error'), 0)::DOUBLE AS error
      FROM ${counted}
     WHERE ${source} AND algorithm IS NOT NULL AND ${conditions}
     GROUP BY GROUPING SETS ((algorithm, bucket_ms), (algorithm), ())`;
  const rows = (await connection.runAndReadAll(sql, parameters.values, parameters.types)).getRowObjectsJS();
  // GROUPING() is a bit mask of the columns rolled up: 0 = both kept, 1 = bucket rolled up, 3 = both.
  const overallRow = rows.find((row) => Number(row['level']) === 3);
  return {
    overall: overallRow === undefined ? { ok: 0, error: 0, rate: 0 } : counts(overallRow),
    byAlgorithm: rows
      .filter((row) => Number(row['level']) === 1)
      .map((row) => ({ algorithm: String(row['algorithm']), ...counts(row) }))
      .sort((a, b) => a.algorithm.localeCompare(b.algorithm)),
    overTime: rows
      .filter((row) => Number(row['level']) === 0)
      .map((row) => ({ algorithm: String(row['algorithm']), start: new Date(Number(row['bucket_ms'])), ...counts(row) }))
      .sort((a, b) => a.algorithm.localeCompare(b.algorithm) || a.start.getTime() - b.start.getTime()),
  };
}
