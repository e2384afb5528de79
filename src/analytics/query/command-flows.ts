/**
 * Command flows: how often one command follows another within a session, including how sessions begin
 * ("(start)" -> first command) and end (last command -> "(end)"). Only command events count, so library
 * activity between two commands does not break a flow. Read from the narrow per-command rollup
 * (warehouse/rollups.ts), which keeps each command's exact time: no raw edges needed.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

import { commandsRollup, QueryParameters } from '../warehouse/index.js';
import { filterConditions, type QueryFilter } from './query-filter.js';

export const flowStart = '(start)';
export const flowEnd = '(end)';

export interface FlowTransition {
  from: string;
  to: string;
  count: number;
}

/** Honours the time range and the outcome (e.g. only the flows of commands that succeeded). */
export async function flows(connection: DuckDBConnection, filter: QueryFilter = {}): Promise<FlowTransition[]> {
  const parameters = new QueryParameters();
  const conditions = filterConditions(filter, parameters, ['since', 'until', 'outcome']);
  const start = parameters.text(flowStart);
  const end = parameters.text(flowEnd);
  const sql = `
    WITH ordered AS (
      SELECT command,
             lag(command) OVER w AS previous,
             lead(command) OVER w IS NULL AS last
        FROM ${commandsRollup.table}
       WHERE ${conditions}
      WINDOW w AS (PARTITION BY session_id ORDER BY time)
    ),
    transitions AS (
      SELECT coalesce(previous, ${start}) AS from_command, command AS to_command FROM ordered
      UNION ALL
      SELECT command, ${end} FROM ordered WHERE last
    )
    SELECT from_command, to_command, count(*)::DOUBLE AS count
      FROM transitions
     GROUP BY from_command, to_command
     ORDER BY count DESC, from_command, to_command`;
  const rows = (await connection.runAndReadAll(sql, parameters.values, parameters.types)).getRowObjectsJS();
  return rows.map((row) => ({ from: String(row['from_command']), to: String(row['to_command']), count: Number(row['count']) }));
}
