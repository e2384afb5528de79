/**
 * How long sessions last: per session its first and last event and the commands run in it, plus the
 * distribution of durations over every session in the range. A session with one event lasts 0 ms.
 * Read from the per-(hour, session) rollup (warehouse/rollups.ts) plus the raw events of the range's partial
 * hours; a session's hours are stitched together with min/max/sum, so sessions spanning hours stay exact.
 */
import { type DuckDBConnection, INTEGER } from '@duckdb/node-api';

import { QueryParameters, sessionHoursRollup } from '../warehouse/index.js';
import type { QueryFilter } from './query-filter.js';
import { rollupSource } from './rollup-source.js';

export interface SessionDuration {
  sessionId: string;
  start: Date;
  /** The session's last event. */
  end: Date;
  durationMs: number;
  /** Command events in the session (0 for a library session). */
  commands: number;
}

export interface DurationSummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface SessionDurations {
  /** Over every session in the range (not only those listed). Durations in ms; all 0 when there are none. */
  summary: DurationSummary;
  /** The newest sessions first, at most `limit`. */
  sessions: SessionDuration[];
}

export interface SessionDurationOptions {
  /** Sessions listed (the summary covers all of them). Default 1000. */
  limit?: number;
}

/** Honours only the time range: a session is cut to the events inside it. */
export async function sessionDurations(
  connection: DuckDBConnection,
  filter: QueryFilter = {},
  options: SessionDurationOptions = {},
): Promise<SessionDurations> {
  const parameters = new QueryParameters();
  const hours = rollupSource(sessionHoursRollup, filter, parameters);
  const limit = parameters.bind(options.limit ?? 1000, INTEGER);
  // Durations on epoch microseconds (integers) rather than timestamps: cheaper to subtract.
  const sql = `
    WITH sessions AS (
      SELECT session_id, epoch_us(min(first_time)) AS start_us, epoch_us(max(last_time)) AS end_us, sum(commands) AS commands
        FROM ${hours}
       GROUP BY session_id
    ),
    summary AS (
      SELECT count(*)::DOUBLE AS count,
             coalesce(quantile_cont(end_us - start_us, [0.5, 0.9, 0.99]), [0, 0, 0]) AS quantiles,
             coalesce(max(end_us - start_us), 0)::DOUBLE AS max
        FROM sessions
    ),
    listed AS (
      SELECT * FROM sessions ORDER BY end_us DESC, session_id LIMIT ${limit}
    )
    SELECT 'summary' AS row_kind, NULL AS session_id, NULL::DOUBLE AS start_us, NULL::DOUBLE AS end_us,
           NULL::DOUBLE AS commands, count, quantiles[1]::DOUBLE AS p50, quantiles[2]::DOUBLE AS p90,
           quantiles[3]::DOUBLE AS p99, max
      FROM summary
    UNION ALL
    SELECT 'session', session_id, start_us::DOUBLE, end_us::DOUBLE, commands::DOUBLE, NULL, NULL, NULL, NULL, NULL
      FROM listed`;
  const rows = (await connection.runAndReadAll(sql, parameters.values, parameters.types)).getRowObjectsJS();
  const summaryRow = rows.find((row) => row['row_kind'] === 'summary')!;
  const ms = (us: unknown) => Number(us) / 1000;
  const sessions = rows
    .filter((row) => row['row_kind'] === 'session')
    .map((row) => ({
      sessionId: String(row['session_id']),
      start: new Date(ms(row['start_us'])),
      end: new Date(ms(row['end_us'])),
      durationMs: ms(row['end_us']) - ms(row['start_us']),
      commands: Number(row['commands']),
    }))
    .sort((a, b) => b.end.getTime() - a.end.getTime() || a.sessionId.localeCompare(b.sessionId));
  return {
    summary: {
      count: Number(summaryRow['count']),
      p50: ms(summaryRow['p50']),
      p90: ms(summaryRow['p90']),
      p99: ms(summaryRow['p99']),
      max: ms(summaryRow['max']),
    },
    sessions,
  };
}
