/**
 * GET /api/overview: the key numbers of the range, the same over the previous range of equal length (for the
 * trend arrows), keys and errors over time, and the most generated algorithms.
 *
 * Keys are the successful generate API calls (usage scope: api.call generateKeyPair/generateKeyPairSync with
 * outcome ok), the same count as the Usage page's algorithm share; success rate and latency come from keygen.timing (performance scope).
 */
import type { DuckDBConnection } from '@duckdb/node-api';

import { type BucketSize, errorFrequency, type QueryFilter, sessionDurations, successRate } from '../../analytics/query/index.js';
import type { AppliedFilters, OverviewData, Point } from '../http/api-types.js';
import { overallLatency } from './overall-latency.js';
import type { ResolvedQuery } from '../http/page-query.js';

export interface OverviewContext {
  /** Alerts firing now (the server evaluates them on its own schedule). */
  activeAlerts: number;
}

interface KeyCounts {
  keys: number;
  overTime: Point[];
  byAlgorithm: { algorithm: string; keys: number }[];
}

/**
 * Keys are successful generations: a failed request made no key. The filter for counting them, or null when it
 * asks for failures only (which made no keys at all).
 */
export function generatedKeysFilter(filter: QueryFilter): QueryFilter | null {
  return filter.outcome === 'error' ? null : { ...filter, outcome: 'ok' };
}

/** Successful generate calls per bucket and algorithm. */
async function keyCounts(connection: DuckDBConnection, filter: QueryFilter, bucket: BucketSize): Promise<KeyCounts> {
  if (generatedKeysFilter(filter) === null) return { keys: 0, overTime: [], byAlgorithm: [] };
  // successRate counts both outcomes side by side; only the ok ones are keys.
  const counted = await successRate(connection, filter, { bucket, source: 'api.call' });
  const valid = (row: { algorithm: string }) => row.algorithm !== '<invalid>';
  const perBucket = new Map<number, number>();
  for (const row of counted.overTime.filter(valid)) perBucket.set(row.start.getTime(), (perBucket.get(row.start.getTime()) ?? 0) + row.ok);
  const byAlgorithm = counted.byAlgorithm
    .filter(valid)
    .map((row) => ({ algorithm: row.algorithm, keys: row.ok }))
    .filter((row) => row.keys > 0);
  return {
    keys: byAlgorithm.reduce((sum, row) => sum + row.keys, 0),
    overTime: [...perBucket]
      .filter(([, value]) => value > 0)
      .sort(([a], [b]) => a - b)
      .map(([t, value]) => ({ t: new Date(t).toISOString(), value })),
    byAlgorithm,
  };
}

interface Totals {
  keys: number;
  errors: number;
  successRate: number | null;
  p50Ns: number | null;
  p99Ns: number | null;
  keysOverTime: Point[];
  errorsOverTime: Point[];
  byAlgorithm: { algorithm: string; keys: number }[];
}

async function totals(connection: DuckDBConnection, filter: QueryFilter, bucket: BucketSize): Promise<Totals> {
  const keys = await keyCounts(connection, filter, bucket);
  const errors = await errorFrequency(connection, filter, { bucket });
  const timings = await successRate(connection, filter, { bucket });
  const latency = await overallLatency(connection, filter);
  const timed = timings.overall.ok + timings.overall.error;
  return {
    keys: keys.keys,
    errors: errors.overTime.reduce((sum, row) => sum + row.errors, 0),
    successRate: timed === 0 ? null : timings.overall.ok / timed,
    p50Ns: latency.p50Ns,
    p99Ns: latency.p99Ns,
    keysOverTime: keys.overTime,
    errorsOverTime: errors.overTime.map((row) => ({ t: row.start.toISOString(), value: row.errors })),
    byAlgorithm: keys.byAlgorithm,
  };
}

async function openErrorGroups(connection: DuckDBConnection): Promise<number> {
  const row = (await connection.runAndReadAll(`SELECT count(*)::DOUBLE AS n FROM error_groups WHERE status <> 'resolved'`)).getRowsJS()[0];
  return Number(row?.[0] ?? 0);
}

/**
 * What each panel's numbers honour (see each query's filterConditions): keys are successful generate api.calls
 * (no implementation column; outcome=error leaves none), errors have no implementation or outcome, the
 * success rate and latency come from keygen.timing. The KPI tiles share algorithm and operation (the sessions
 * tile honours only the range); alerts and recommendations are over everything.
 */
export const overviewAppliedFilters: AppliedFilters = {
  kpis: ['algorithm', 'operation'],
  keys: ['algorithm', 'operation', 'outcome'],
  errors: ['algorithm', 'operation'],
  algorithms: ['algorithm', 'operation', 'outcome'],
  alerts: [],
  recommendations: [],
};

export async function overviewData(connection: DuckDBConnection, query: ResolvedQuery, context: OverviewContext): Promise<OverviewData> {
  const current = await totals(connection, query.filter, query.bucket);
  const previous = await totals(connection, query.previous, query.bucket);
  const sessions = await sessionDurations(connection, query.filter, { limit: 0 });
  return {
    range: query.range,
    appliedFilters: overviewAppliedFilters,
    totals: {
      keys: current.keys,
      errors: current.errors,
      successRate: current.successRate,
      p50Ns: current.p50Ns,
      p99Ns: current.p99Ns,
      sessions: sessions.summary.count,
      openErrorGroups: await openErrorGroups(connection),
      activeAlerts: context.activeAlerts,
    },
    previous: { keys: previous.keys, errors: previous.errors, successRate: previous.successRate, p50Ns: previous.p50Ns },
    keysOverTime: current.keysOverTime,
    errorsOverTime: current.errorsOverTime,
    topAlgorithms: current.byAlgorithm
      .sort((a, b) => b.keys - a.keys || a.algorithm.localeCompare(b.algorithm))
      .slice(0, 10)
      .map((row) => ({ ...row, share: current.keys === 0 ? 0 : row.keys / current.keys })),
  };
}
