/**
 * How well errors get dealt with: error groups by status, the share resolved, and the median time from a
 * group's first occurrence to its (latest) resolution, over every group that was ever resolved (a regressed
 * group keeps the time it took the first time).
 */
import type { DuckDBConnection } from '@duckdb/node-api';

import { filterConditions, type QueryFilter } from './query-filter.js';
import { QueryParameters } from '../warehouse/index.js';

export interface ResolutionRate {
  groups: number;
  open: number;
  resolved: number;
  regressed: number;
  /** resolved / groups, 0..1 (0 when there are none). */
  rate: number;
  /** Median of resolved_at - first_seen in ms; null when no group was ever resolved. */
  medianTimeToResolveMs: number | null;
}

/** Honours the time range, applied to when each group was first seen. */
export async function resolutionRate(connection: DuckDBConnection, filter: QueryFilter = {}): Promise<ResolutionRate> {
  const parameters = new QueryParameters();
  const conditions = filterConditions(filter, parameters, ['since', 'until'], { time: 'first_seen' });
  const sql = `
    SELECT count(*)::DOUBLE AS groups,
           count(*) FILTER (WHERE status = 'open')::DOUBLE AS open,
           count(*) FILTER (WHERE status = 'resolved')::DOUBLE AS resolved,
           count(*) FILTER (WHERE status = 'regressed')::DOUBLE AS regressed,
           (median(epoch_ms(resolved_at) - epoch_ms(first_seen)) FILTER (WHERE resolved_at IS NOT NULL))::DOUBLE AS median_ms
      FROM error_groups
     WHERE ${conditions}`;
  const row = (await connection.runAndReadAll(sql, parameters.values, parameters.types)).getRowObjectsJS()[0]!;
  const groups = Number(row['groups']);
  const resolved = Number(row['resolved']);
  return {
    groups,
    open: Number(row['open']),
    resolved,
    regressed: Number(row['regressed']),
    rate: groups === 0 ? 0 : resolved / groups,
    medianTimeToResolveMs: row['median_ms'] === null ? null : Number(row['median_ms']),
  };
}
