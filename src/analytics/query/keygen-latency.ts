/**
 * Key generation latency over one time range, one row per group (no time buckets): how many keys and the
 * p50/p90/p99 of their keygen.timing durations. Read from the latency rollups (whole days, whole hours, raw
 * events at the edges: see rollup-source.ts), so a 30-day range reads a few thousand rows
 * however many keys were made; percentiles are HDR ones at 2 significant digits (at most 0.8 % high), as
 * latencyOverTime gives them.
 */
import type { DuckDBConnection, DuckDBListVector } from '@duckdb/node-api';

import { HdrCounts } from '../../stats/index.js';
import { filterConditions } from './query-filter.js';
import { rollupSource } from './rollup-source.js';
import { latencyDailyRollup, latencyHourlyRollup, QueryParameters } from '../warehouse/index.js';

/** Columns a summary can be split by, besides the algorithm (fixed names, never input). */
export type LatencySplit = 'api' | 'implementation' | 'outcome';

export interface LatencyRange {
  since?: Date;
  until?: Date;
  /** Only keys of this API (generateKeyPairSync or generateKeyPair). */
  api?: string;
  /** Only keys with this outcome. */
  outcome?: 'ok' | 'error';
}

export interface LatencySummary {
  algorithm: string;
  /** Set for the columns asked for in `by`, else null. */
  api: string | null;
  implementation: string | null;
  outcome: string | null;
  count: number;
  /** Nanoseconds (HDR, 2 significant digits). */
  p50: number;
  p90: number;
  p99: number;
}

function column(by: readonly LatencySplit[], name: LatencySplit): string {
  return by.includes(name) ? name : `NULL::VARCHAR`;
}

export async function keygenLatency(connection: DuckDBConnection, range: LatencyRange, by: readonly LatencySplit[] = []): Promise<LatencySummary[]> {
  const parameters = new QueryParameters();
  const filter = { ...(range.since === undefined ? {} : { since: range.since }), ...(range.until === undefined ? {} : { until: range.until }) };
  const source = rollupSource(latencyHourlyRollup, filter, parameters, { daily: latencyDailyRollup });
  const conditions = filterConditions(
    { ...(range.api === undefined ? {} : { operation: range.api }), ...(range.outcome === undefined ? {} : { outcome: range.outcome }) },
    parameters,
    ['operation', 'outcome'],
    { operation: 'api' },
  );
  const sql = `
    SELECT algorithm, ${column(by, 'api')} AS api, ${column(by, 'implementation')} AS implementation, ${column(by, 'outcome')} AS outcome,
           list(value::DOUBLE) AS "values", list(events::DOUBLE) AS counts
      FROM ${source}
     WHERE ${conditions}
     GROUP BY ALL
     ORDER BY 1, 2, 3, 4`;
  const result = await connection.run(sql, parameters.values, parameters.types);
  const summaries: LatencySummary[] = [];
  const histogram = new HdrCounts();
  for (let chunkIndex = 0; chunkIndex < result.chunkCount; chunkIndex++) {
    const chunk = result.getChunk(chunkIndex);
    const [algorithms, apis, implementations, outcomes] = [0, 1, 2, 3].map((index) => chunk.getColumnVector(index));
    const values = chunk.getColumnVector(4) as DuckDBListVector;
    const counts = chunk.getColumnVector(5) as DuckDBListVector;
    for (let row = 0; row < chunk.rowCount; row++) {
      histogram.reset();
      const valueOffset = values.getEntryOffset(row);
      const countOffset = counts.getEntryOffset(row);
      for (let i = 0; i < values.getEntryLength(row); i++) {
        histogram.add(values.childVector.getItem(valueOffset + i) as number, counts.childVector.getItem(countOffset + i) as number);
      }
      const [p50, p90, p99] = histogram.percentiles([50, 90, 99]) as [number, number, number];
      const text = (value: unknown) => (value === null ? null : String(value));
      summaries.push({
        algorithm: String(algorithms!.getItem(row)),
        api: text(apis!.getItem(row)),
        implementation: text(implementations!.getItem(row)),
        outcome: text(outcomes!.getItem(row)),
        count: histogram.total,
        p50,
        p90,
        p99,
      });
    }
  }
  return summaries;
}
