/**
 * Which algorithms people generate keys with: generate calls per algorithm and each one's share, from the
 * usage events of the generate APIs (api.call). Failed calls count as asked for (filter `outcome: 'ok'` for keys
 * actually generated); a call whose algorithm was not a valid id (recorded as "<invalid>") never counts. Performance timings are not counted: they are a different
 * consent scope, and someone who shares only timings has not shared usage. Read from the hourly event counts
 * (warehouse/rollups.ts) plus the raw events of the range's partial hours.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

import { eventCountsRollup, QueryParameters } from '../warehouse/index.js';
import { filterConditions, type QueryFilter } from './query-filter.js';
import { rollupSource } from './rollup-source.js';

export interface AlgorithmShareRow {
  algorithm: string;
  keys: number;
  /** keys / total, 0..1. */
  share: number;
}

export interface AlgorithmShare {
  total: number;
  /** Most used first. */
  algorithms: AlgorithmShareRow[];
}

export async function algorithmShare(connection: DuckDBConnection, filter: QueryFilter = {}): Promise<AlgorithmShare> {
  const parameters = new QueryParameters();
  const sql = `
    SELECT algorithm, sum(events)::DOUBLE AS keys
      FROM ${rollupSource(eventCountsRollup, filter, parameters)}
     WHERE type = 'api.call' AND starts_with(operation, 'generateKeyPair') AND algorithm IS NOT NULL AND algorithm <> '<invalid>'
       AND ${filterConditions(filter, parameters, ['algorithm', 'operation', 'outcome'])}
     GROUP BY algorithm
     ORDER BY keys DESC, algorithm`;
  const rows = (await connection.runAndReadAll(sql, parameters.values, parameters.types)).getRowObjectsJS();
  const total = rows.reduce((sum, row) => sum + Number(row['keys']), 0);
  return {
    total,
    algorithms: rows.map((row) => ({ algorithm: String(row['algorithm']), keys: Number(row['keys']), share: Number(row['keys']) / total })),
  };
}
