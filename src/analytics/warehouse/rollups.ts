/**
 * Rollups: small summary tables that ingest keeps current, so that every analytics query reads a number of
 * rows that grows with hours, sessions and distinct values, never with the number of events in an hour.
 *
 * Each rollup is the result of one GROUP BY over `events` per UTC hour (`hour` = date_trunc('hour', time)),
 * except rollup_commands, a narrow copy of the command events (flows need their order within sessions).
 * A query over [since, until) reads the rollup rows of the whole hours inside the range and computes the same
 * GROUP BY on the fly over the raw events of the partial hours at its two edges (query/rollup-source.ts);
 * since every rollup holds only decomposable aggregates (counts, sums, min/max, distinct sets), the answer is
 * exactly the raw computation's. Latency also has a daily level, built from the hourly rows, because even
 * hourly latency histograms of a busy machine are too many rows for a 180-day chart.
 *
 * refreshRollups recomputes whole hours (and days) from `events`, so it is idempotent and right whatever the
 * order events arrive in; callers run it inside the transaction that changed `events`, over the changed range.
 */
import { BIGINT, type DuckDBConnection } from '@duckdb/node-api';

import { hdrLowestEquivalentSql, hdrShiftSql } from '../../stats/index.js';

/** Bumped whenever a rollup's definition changes: ensureRollups then rebuilds every rollup from events. */
export const rollupsVersion = 1;

/** One rollup table: its DDL, its columns after the period column, and the SELECT that computes its rows. */
export interface Rollup {
  readonly table: string;
  /** The period column: `hour` (hourly), `day` (daily) or `time` (a narrow copy, exact to the microsecond). */
  readonly period: 'hour' | 'day' | 'time';
  /** The columns after the period column, in table order (the raw-edge SELECT returns the same). */
  readonly columns: string;
  readonly ddl: string;
  /**
   * SELECT <period>, <columns> computed from the `events` rows matching `where`, with `period` (an SQL
   * expression on `time` written by this code, never input) as the period column.
   */
  fromEvents(where: string, period?: string): string;
}

const hourOfTime = `date_trunc('hour', time)`;

/**
 * The `events` rows matching `where` (a time range), behind an optimization fence (OFFSET 0) so that the
 * rollups' own filters (type = ...) are applied after it rather than pushed into the view. `events` joins
 * event_rows to event_shapes (schema.ts); a type filter pushed into the shapes side makes DuckDB hash every
 * matching shape (millions when sessions are many and short) instead of the few rows of the time range:
 * measured 400-800 ms instead of 5-20 ms for one partial hour over 10M events.
 */
function eventsIn(where: string): string {
  return `(SELECT * FROM events WHERE ${where} OFFSET 0)`;
}

/**
 * Events per (hour, type, operation, algorithm, outcome, error code, fingerprint).
 * Read by algorithmShare (api.call), successRate (keygen.timing, api.call) and errorFrequency (error).
 */
export const eventCountsRollup: Rollup = {
  table: 'rollup_event_counts',
  period: 'hour',
  columns: 'type, operation, algorithm, outcome, error_code, fingerprint, events',
  ddl: `
CREATE TABLE IF NOT EXISTS rollup_event_counts (
  hour TIMESTAMP NOT NULL,
  type VARCHAR NOT NULL,
  operation VARCHAR,
  algorithm VARCHAR,
  outcome VARCHAR,
  error_code VARCHAR,
  fingerprint VARCHAR,
  events BIGINT NOT NULL
);`,
  fromEvents: (where, period = hourOfTime) => `
    SELECT ${period} AS hour, type, operation, algorithm, outcome, error_code, fingerprint, count(*) AS events
      FROM ${eventsIn(where)}
     GROUP BY ALL`,
};

/**
 * keygen.timing durations per (hour, algorithm, api, implementation, outcome, HDR-rounded value): how many
 * and the largest exact duration. `value` is the lowest value of its HDR bucket at the latency precision
 * (src/stats/hdr-buckets.ts: 2 significant digits).
 * Read by latencyOverTime for hour-wide buckets and the hours at the edges of the daily rows.
 */
export const latencyHourlyRollup: Rollup = {
  table: 'rollup_latency_hourly',
  period: 'hour',
  columns: 'algorithm, api, implementation, outcome, value, events, max',
  ddl: `
CREATE TABLE IF NOT EXISTS rollup_latency_hourly (
  hour TIMESTAMP NOT NULL,
  algorithm VARCHAR NOT NULL,
  api VARCHAR,
  implementation VARCHAR,           -- properties->>'implementation', a column here so queries never parse JSON
  outcome VARCHAR,
  value BIGINT NOT NULL,            -- ns, rounded down to its HDR bucket
  events BIGINT NOT NULL,
  max BIGINT NOT NULL               -- the largest exact duration in this row
);`,
  fromEvents: (where, period = hourOfTime) => `
    SELECT ${period} AS hour, algorithm, operation AS api, properties->>'implementation' AS implementation, outcome,
           ${hdrLowestEquivalentSql('duration_ns', 'shift')} AS value, count(*) AS events, max(duration_ns) AS max
      FROM (SELECT *, ${hdrShiftSql('duration_ns')} AS shift
              FROM ${eventsIn(where)}
             WHERE type = 'keygen.timing' AND duration_ns > 0 AND algorithm IS NOT NULL)
     GROUP BY ALL`,
};

/**
 * The hourly latency rows summed per UTC day. Read by latencyOverTime for day-aligned buckets (day, week);
 * the partial days of a range come from the hourly rollup. `fromHourly` is its SELECT.
 */
export const latencyDailyRollup = {
  table: 'rollup_latency_daily',
  period: 'day',
  columns: latencyHourlyRollup.columns,
  ddl: `
CREATE TABLE IF NOT EXISTS rollup_latency_daily (
  day TIMESTAMP NOT NULL,
  algorithm VARCHAR NOT NULL,
  api VARCHAR,
  implementation VARCHAR,
  outcome VARCHAR,
  value BIGINT NOT NULL,
  events BIGINT NOT NULL,
  max BIGINT NOT NULL
);`,
  fromHourly: (where: string) => `
    SELECT date_trunc('day', hour) AS day, algorithm, api, implementation, outcome, value, sum(events) AS events, max(max) AS max
      FROM rollup_latency_hourly
     WHERE ${where}
     GROUP BY ALL`,
} as const;

/**
 * Per (hour, session): its first and last event in the hour and its commands. A session spanning hours has
 * one row per hour; queries stitch them with min/max/sum per session. Read by sessionDurations and by
 * featureAdoption (the number of sessions in the range).
 */
export const sessionHoursRollup: Rollup = {
  table: 'rollup_session_hours',
  period: 'hour',
  columns: 'session_id, first_time, last_time, commands',
  ddl: `
CREATE TABLE IF NOT EXISTS rollup_session_hours (
  hour TIMESTAMP NOT NULL,
  session_id VARCHAR NOT NULL,
  first_time TIMESTAMP NOT NULL,
  last_time TIMESTAMP NOT NULL,
  commands BIGINT NOT NULL
);`,
  fromEvents: (where, period = hourOfTime) => `
    SELECT ${period} AS hour, session_id, min(time) AS first_time, max(time) AS last_time,
           count(*) FILTER (WHERE type = 'command') AS commands
      FROM ${eventsIn(where)}
     GROUP BY ALL`,
};

/**
 * Which features each session used in each hour (distinct): commands, command options ("keygen --format")
 * and APIs. Read by featureAdoption, which counts the sessions that used each feature in a range.
 *
 * `prev_hour` is the previous hour in which the same session used the same feature (NULL for its first), so
 * that the sessions of a range are counted with count(*) over the rows whose prev_hour is before the range,
 * one per session, instead of count(DISTINCT session_id) over every row (4-10x slower over 180 days).
 * refreshRollups keeps it right for the rows after the hours it recomputes (linkFeatureHours).
 */
export const featureSessionsRollup: Rollup = {
  table: 'rollup_feature_sessions',
  period: 'hour',
  columns: 'session_id, kind, feature, prev_hour',
  ddl: `
CREATE TABLE IF NOT EXISTS rollup_feature_sessions (
  hour TIMESTAMP NOT NULL,
  session_id VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,            -- command | option | api
  feature VARCHAR NOT NULL,
  prev_hour TIMESTAMP               -- this session's previous hour with this feature; NULL for the first
);`,
  // prev_hour is left NULL here: only linkFeatureHours, which sees every hour, can set it.
  fromEvents: (where, period = hourOfTime) => `
    SELECT *, NULL::TIMESTAMP AS prev_hour FROM (
      SELECT DISTINCT ${period} AS hour, session_id, CASE type WHEN 'command' THEN 'command' ELSE 'api' END AS kind,
             operation AS feature
        FROM ${eventsIn(where)}
       WHERE type IN ('command', 'api.call') AND operation IS NOT NULL
      UNION
      SELECT DISTINCT hour, session_id, 'option', operation || ' ' || option
        FROM (SELECT ${period} AS hour, session_id, operation, unnest(CAST(properties->'options' AS VARCHAR[])) AS option
                FROM ${eventsIn(where)}
               WHERE type = 'command' AND operation IS NOT NULL AND properties IS NOT NULL))`,
};

/**
 * Sets prev_hour of every row of the (session, feature) pairs that the recomputed hours [from, to) touch: those
 * with a row in them now, and those whose row after them pointed into them (its previous hour may be gone).
 */
function linkFeatureHours(from: string, to: string): string {
  return `
    UPDATE rollup_feature_sessions AS t SET prev_hour = linked.prev_hour
      FROM (SELECT r.hour, r.session_id, r.kind, r.feature,
                   lag(r.hour) OVER (PARTITION BY r.session_id, r.kind, r.feature ORDER BY r.hour) AS prev_hour
              FROM rollup_feature_sessions r
              JOIN (SELECT DISTINCT session_id, kind, feature
                      FROM rollup_feature_sessions
                     WHERE (hour >= ${from} AND hour < ${to}) OR (prev_hour >= ${from} AND prev_hour < ${to})) touched
                ON r.session_id = touched.session_id AND r.kind = touched.kind AND r.feature = touched.feature) AS linked
     WHERE t.hour = linked.hour AND t.session_id = linked.session_id AND t.kind = linked.kind AND t.feature = linked.feature
       AND t.prev_hour IS DISTINCT FROM linked.prev_hour`;
}

/**
 * Every command event, narrowed to what flows need: ordering commands within a session needs each one, and
 * commands are typed by people, so there are few. Exact to the microsecond: queries filter `time` directly,
 * without raw edges. Read by flows.
 */
export const commandsRollup: Rollup = {
  table: 'rollup_commands',
  period: 'time',
  columns: 'session_id, command, outcome',
  ddl: `
CREATE TABLE IF NOT EXISTS rollup_commands (
  time TIMESTAMP NOT NULL,
  session_id VARCHAR NOT NULL,
  command VARCHAR NOT NULL,
  outcome VARCHAR
);`,
  fromEvents: (where, period = 'time') => `
    SELECT ${period} AS time, session_id, operation AS command, outcome
      FROM ${eventsIn(where)}
     WHERE type = 'command' AND operation IS NOT NULL`,
};

/** The rollups computed from `events` (the daily latency rollup is computed from the hourly one). */
const eventRollups: readonly Rollup[] = [eventCountsRollup, latencyHourlyRollup, sessionHoursRollup, featureSessionsRollup, commandsRollup];

/** DDL for the rollup tables (CREATE TABLE IF NOT EXISTS ...), run after createAnalyticsSchema on open. */
export const createRollupSchema: string = [...eventRollups.map((rollup) => rollup.ddl), latencyDailyRollup.ddl].join('\n');

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** Runs `sql` with $1 and $2 bound to the TIMESTAMPs of whole epoch milliseconds `fromMs` and `toMs`. */
async function runOverRange(connection: DuckDBConnection, sql: string, fromMs: number, toMs: number): Promise<void> {
  await connection.run(sql, [BigInt(fromMs) * 1000n, BigInt(toMs) * 1000n], [BIGINT, BIGINT]);
}

const from = 'make_timestamp($1)';
const to = 'make_timestamp($2)';

function checkedRange(range: { fromMs: number; toMs: number }): void {
  if (!Number.isFinite(range.fromMs) || !Number.isFinite(range.toMs) || range.fromMs > range.toMs) {
    throw new RangeError(`refreshRollups: invalid range ${range.fromMs}..${range.toMs}`);
  }
}

/**
 * Recomputes every rollup row of every hour that overlaps [fromMs, toMs] (UTC ms, inclusive) from `events`:
 * DELETE those hours' rollup rows, INSERT ... SELECT ... GROUP BY from events in those hours. Ingest calls it
 * inside its transaction with the min/max time of the events it just appended; delete and retention call it
 * with the range they removed (so rollups never keep data that was deleted). Idempotent.
 */
export async function refreshRollups(connection: DuckDBConnection, range: { fromMs: number; toMs: number }): Promise<void> {
  checkedRange(range);
  // Whole hours (and whole days for the daily level): a rollup row always covers all of its period's events.
  const fromHour = Math.floor(range.fromMs / hourMs) * hourMs;
  const toHour = (Math.floor(range.toMs / hourMs) + 1) * hourMs;
  const inRange = (column: string) => `${column} >= ${from} AND ${column} < ${to}`;
  for (const rollup of eventRollups) {
    await runOverRange(connection, `DELETE FROM ${rollup.table} WHERE ${inRange(rollup.period)}`, fromHour, toHour);
    await runOverRange(connection, `INSERT INTO ${rollup.table} ${rollup.fromEvents(inRange('time'))}`, fromHour, toHour);
  }
  await runOverRange(connection, linkFeatureHours(from, to), fromHour, toHour);
  const fromDay = Math.floor(range.fromMs / dayMs) * dayMs;
  const toDay = (Math.floor(range.toMs / dayMs) + 1) * dayMs;
  await runOverRange(connection, `DELETE FROM ${latencyDailyRollup.table} WHERE ${inRange('day')}`, fromDay, toDay);
  await runOverRange(connection, `INSERT INTO ${latencyDailyRollup.table} ${latencyDailyRollup.fromHourly(inRange('hour'))}`, fromDay, toDay);
}

/** Drops every rollup row (delete --all). */
export async function clearRollups(connection: DuckDBConnection): Promise<void> {
  for (const rollup of eventRollups) await connection.run(`DELETE FROM ${rollup.table}`);
  await connection.run(`DELETE FROM ${latencyDailyRollup.table}`);
}

/**
 * Rebuilds every rollup from `events` when the database's rollups were built by another rollupsVersion (or
 * never: a database from before rollups existed). Cheap when they are current: one meta lookup. Run on open,
 * after createRollupSchema, in a transaction.
 */
export async function ensureRollups(connection: DuckDBConnection): Promise<boolean> {
  const reader = await connection.runAndReadAll(`SELECT value FROM analytics_meta WHERE key = 'rollups_version'`);
  if (reader.getRowsJS()[0]?.[0] === String(rollupsVersion)) return false;
  await clearRollups(connection);
  const bounds = (await connection.runAndReadAll('SELECT epoch_ms(min(time))::DOUBLE, epoch_ms(max(time))::DOUBLE FROM events')).getRowsJS()[0]!;
  if (bounds[0] !== null && bounds[1] !== null) await refreshRollups(connection, { fromMs: Number(bounds[0]), toMs: Number(bounds[1]) });
  await connection.run(
    `INSERT INTO analytics_meta (key, value) VALUES ('rollups_version', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    [String(rollupsVersion)],
  );
  return true;
}
