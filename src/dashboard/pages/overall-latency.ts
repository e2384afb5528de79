/**
 * Percentiles over a whole range and every series (all algorithms, both APIs, every implementation): the
 * latency rollups' HDR-rounded values summed per value in SQL (a few thousand rows however long the range),
 * then read with hdr-histogram-js's percentile rule (src/stats/hdr-counts.ts), so the histogram is merged exactly
 * rather than averaged from per-series percentiles. Whole days come from the daily rollup, whole hours from
 * the hourly one, the partial hours at the edges from raw events rounded the same way.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

import { latencyDailyRollup, latencyHourlyRollup, QueryParameters } from '../../analytics/warehouse/index.js';
import { filterConditions, type QueryFilter, rollupSource } from '../../analytics/query/index.js';
import { hdrPercentiles } from '../../stats/index.js';

export interface OverallLatency {
  count: number;
  p50Ns: number | null;
  p99Ns: number | null;
}

export async function overallLatency(connection: DuckDBConnection, filter: QueryFilter): Promise<OverallLatency> {
  const parameters = new QueryParameters();
  const source = rollupSource(latencyHourlyRollup, filter, parameters, { daily: latencyDailyRollup });
  const conditions = filterConditions(filter, parameters, ['algorithm', 'operation', 'outcome', 'implementation'], { operation: 'api' });
  const sql = `SELECT value::DOUBLE AS value, sum(events)::DOUBLE AS count FROM ${source} WHERE ${conditions} GROUP BY value`;
  const rows = (await connection.runAndReadAll(sql, parameters.values, parameters.types)).getRowsJS();
  const counts = rows.map(([value, count]) => ({ value: Number(value), count: Number(count) }));
  const total = counts.reduce((sum, row) => sum + row.count, 0);
  if (total === 0) return { count: 0, p50Ns: null, p99Ns: null };
  const [p50, p99] = hdrPercentiles(counts, [50, 99]) as [number, number];
  return { count: total, p50Ns: p50, p99Ns: p99 };
}
