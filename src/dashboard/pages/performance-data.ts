/**
 * GET /api/performance: key generation latency percentiles over time per algorithm and implementation (the
 * sync and async APIs folded together, exactly, in SQL), success rate from keygen.timing, and the bench runs
 * with the newest comparison (bench-data.ts).
 */
import type { DuckDBConnection } from '@duckdb/node-api';

import { latencyOverTime, successRate } from '../../analytics/query/index.js';
import type { AppliedFilters, LatencySeries, PerformanceData } from '../http/api-types.js';
import type { ResolvedQuery } from '../http/page-query.js';

export async function latencySeries(connection: DuckDBConnection, query: ResolvedQuery): Promise<LatencySeries[]> {
  const buckets = await latencyOverTime(connection, query.filter, { bucket: query.bucket, byImplementation: true, mergeApis: true });
  const series = new Map<string, LatencySeries>();
  for (const bucket of buckets) {
    const key = JSON.stringify([bucket.algorithm, bucket.implementation]);
    let entry = series.get(key);
    if (entry === undefined) {
      entry = { algorithm: bucket.algorithm, implementation: bucket.implementation, points: [] };
      series.set(key, entry);
    }
    entry.points.push({ t: bucket.start.toISOString(), count: bucket.count, p50: bucket.p50, p90: bucket.p90, p99: bucket.p99, max: bucket.max });
  }
  for (const entry of series.values()) entry.points.sort((a, b) => a.t.localeCompare(b.t));
  return [...series.values()];
}

/**
 * Latency reads keygen.timing with every filter; the success rate honours algorithm, operation and
 * implementation (the outcome is what it counts); bench runs are not analytics events.
 */
export const performanceAppliedFilters: AppliedFilters = {
  latency: ['algorithm', 'implementation', 'operation', 'outcome'],
  success: ['algorithm', 'implementation', 'operation'],
  'bench-history': [],
  comparison: [],
};

/** `bench` is read before, outside the database queue (bench-data.ts), so a slow store read never holds the queue. */
export async function performanceData(
  connection: DuckDBConnection,
  query: ResolvedQuery,
  bench: Pick<PerformanceData, 'benchRuns' | 'comparison'>,
): Promise<PerformanceData> {
  const latency = await latencySeries(connection, query);
  const success = await successRate(connection, query.filter, { bucket: query.bucket });
  return {
    range: query.range,
    appliedFilters: performanceAppliedFilters,
    latency,
    successRate: {
      overall: success.overall,
      byAlgorithm: success.byAlgorithm,
      overTime: success.overTime.map(({ start, ...counts }) => ({ ...counts, t: start.toISOString() })),
    },
    ...bench,
  };
}
