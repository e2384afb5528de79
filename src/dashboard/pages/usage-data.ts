/**
 * GET /api/usage: algorithm share of the generate calls, feature adoption over sessions, session durations
 * (with sessions started per bucket) and the flows between commands.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

import { QueryParameters, sessionHoursRollup } from '../../analytics/warehouse/index.js';
import { algorithmShare, bucketStartMs, featureAdoption, flows, rollupSource, sessionDurations } from '../../analytics/query/index.js';
import type { AppliedFilters, Point, UsageData } from '../http/api-types.js';
import { generatedKeysFilter } from './overview-data.js';
import type { ResolvedQuery } from '../http/page-query.js';

/**
 * Sessions per bucket of their first event in the range, from the same per-(hour, session) rollup that
 * sessionDurations reads (a session spanning hours is stitched with min() first, so it counts once).
 */
async function sessionsOverTime(connection: DuckDBConnection, query: ResolvedQuery): Promise<Point[]> {
  const parameters = new QueryParameters();
  const hours = rollupSource(sessionHoursRollup, query.filter, parameters);
  const bucket = bucketStartMs(query.bucket, parameters, 'start');
  const sql = `
    SELECT ${bucket} AS bucket_ms, count(*)::DOUBLE AS sessions
      FROM (SELECT session_id, min(first_time) AS start FROM ${hours} GROUP BY session_id)
     GROUP BY bucket_ms
     ORDER BY bucket_ms`;
  const rows = (await connection.runAndReadAll(sql, parameters.values, parameters.types)).getRowsJS();
  return rows.map((row) => ({ t: new Date(Number(row[0])).toISOString(), value: Number(row[1]) }));
}

/**
 * The algorithm share counts successful generate api.calls, as the Overview's keys do (algorithm, operation,
 * outcome; no implementation); a
 * feature's adoption and a session span every algorithm and outcome; command flows honour the outcome.
 */
export const usageAppliedFilters: AppliedFilters = {
  algorithms: ['algorithm', 'operation', 'outcome'],
  features: [],
  sessions: [],
  flows: ['outcome'],
};

export async function usageData(connection: DuckDBConnection, query: ResolvedQuery): Promise<UsageData> {
  const keys = generatedKeysFilter(query.filter);
  const share = keys === null ? { total: 0, algorithms: [] } : await algorithmShare(connection, keys);
  const adoption = await featureAdoption(connection, query.filter);
  const sessions = await sessionDurations(connection, query.filter, { limit: 0 });
  const transitions = await flows(connection, query.filter);
  return {
    range: query.range,
    appliedFilters: usageAppliedFilters,
    algorithmShare: share,
    featureAdoption: adoption,
    sessions: {
      count: sessions.summary.count,
      p50Ms: sessions.summary.p50,
      p90Ms: sessions.summary.p90,
      maxMs: sessions.summary.max,
      overTime: await sessionsOverTime(connection, query),
    },
    flows: transitions.slice(0, 200),
  };
}
