/**
 * GET /api/filters: the values the filter menus offer, from the data of the range: algorithms and operations
 * from the hourly event counts, implementations from the latency rollup (they are a keygen.timing property).
 * Read at hour granularity (the hours the range touches): a menu may offer a value from the range's edge
 * hours, which costs nothing and never hides one.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

import { QueryParameters } from '../../analytics/warehouse/index.js';
import type { FilterOptionsData } from '../http/api-types.js';
import type { ResolvedQuery } from '../http/page-query.js';

async function distinct(connection: DuckDBConnection, column: string, table: string, query: ResolvedQuery): Promise<string[]> {
  const parameters = new QueryParameters();
  const since = parameters.timestamp(query.since);
  const until = parameters.timestamp(query.until);
  // column and table are fixed names written below, never input.
  const sql = `
    SELECT DISTINCT ${column} AS value FROM ${table}
     WHERE hour >= date_trunc('hour', ${since}) AND hour < ${until} AND ${column} IS NOT NULL AND ${column} <> '<invalid>'
     ORDER BY value`;
  const rows = (await connection.runAndReadAll(sql, parameters.values, parameters.types)).getRowsJS();
  return rows.map((row) => String(row[0]));
}

/**
 * Each operation once, whatever events carry it: an API's calls and timings name it "generateKeyPair" and its
 * errors "api generateKeyPair", a command's event "keygen" and its errors "cli keygen" (the operation filter
 * matches all of them, see query-filter.ts). "cli" alone (a usage error before any command) names none.
 */
async function operations(connection: DuckDBConnection, query: ResolvedQuery): Promise<FilterOptionsData['operations']> {
  const parameters = new QueryParameters();
  const since = parameters.timestamp(query.since);
  const until = parameters.timestamp(query.until);
  const sql = `
    SELECT name, min(kind) AS kind FROM (
      SELECT regexp_replace(operation, '^(api|cli) ', '') AS name,
             CASE WHEN starts_with(operation, 'cli ') OR type = 'command' THEN 'command' ELSE 'api' END AS kind
        FROM rollup_event_counts
       WHERE hour >= date_trunc('hour', ${since}) AND hour < ${until} AND operation IS NOT NULL AND operation NOT IN ('<invalid>', 'cli')
         AND (type IN ('api.call', 'keygen.timing', 'command') OR starts_with(operation, 'api ') OR starts_with(operation, 'cli ')))
     GROUP BY name
     ORDER BY name`;
  const rows = (await connection.runAndReadAll(sql, parameters.values, parameters.types)).getRowsJS();
  return rows.map((row) => ({ name: String(row[0]), kind: row[1] === 'command' ? 'command' : 'api' }));
}

export async function filterOptionsData(connection: DuckDBConnection, query: ResolvedQuery): Promise<FilterOptionsData> {
  return {
    algorithms: await distinct(connection, 'algorithm', 'rollup_event_counts', query),
    implementations: await distinct(connection, 'implementation', 'rollup_latency_hourly', query),
    operations: await operations(connection, query),
  };
}
