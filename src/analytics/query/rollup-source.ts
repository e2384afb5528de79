/**
 * Reads a rollup over a query's time range, exactly: the rollup rows of the whole periods inside
 * [since, until), plus the same GROUP BY computed on the fly over the raw events of the partial hours at the
 * range's edges (few rows: `events` is in time order, so DuckDB's zone maps skip everything else).
 *
 * For a daily level (latency), the range is cut coarsest first: whole days from the daily table, whole hours
 * of the partial days from the hourly table, raw events for what is left.
 */
import type { QueryParameters, Rollup } from '../warehouse/index.js';
import type { QueryFilter } from './query-filter.js';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** A half-open range in epoch ms; null is unbounded. */
export interface MsRange {
  fromMs: number | null;
  toMs: number | null;
}

export interface RangeSegment extends MsRange {
  /** Which rows answer it: the daily or hourly rollup, or raw events. */
  level: 'day' | 'hour' | 'raw';
}

const periodMs = { day: dayMs, hour: hourMs } as const;

function isEmpty(range: MsRange): boolean {
  return range.fromMs !== null && range.toMs !== null && range.fromMs >= range.toMs;
}

/**
 * Cuts [fromMs, toMs) into whole periods of each level in `levels` (coarsest first) and raw leftovers, in
 * time order. With no levels the whole range is one raw segment.
 */
export function splitRange(range: MsRange, levels: readonly ('day' | 'hour')[]): RangeSegment[] {
  if (isEmpty(range)) return [];
  const [level, ...finer] = levels;
  if (level === undefined) return [{ level: 'raw', ...range }];
  const width = periodMs[level];
  const inner: MsRange = {
    fromMs: range.fromMs === null ? null : Math.ceil(range.fromMs / width) * width,
    toMs: range.toMs === null ? null : Math.floor(range.toMs / width) * width,
  };
  if (isEmpty(inner)) return splitRange(range, finer);
  return [
    ...(inner.fromMs === null ? [] : splitRange({ fromMs: range.fromMs, toMs: inner.fromMs }, finer)),
    { level, ...inner },
    ...(inner.toMs === null ? [] : splitRange({ fromMs: inner.toMs, toMs: range.toMs }, finer)),
  ];
}

/** The start of the whole hours of the filter's range that rollup rows answer (null: from the first event). */
export function firstWholeHour(filter: QueryFilter): number | null {
  return splitRange(filterRange(filter), ['hour']).find((segment) => segment.level === 'hour')?.fromMs ?? null;
}

export function filterRange(filter: QueryFilter): MsRange {
  return { fromMs: filter.since?.getTime() ?? null, toMs: filter.until?.getTime() ?? null };
}

function rangeCondition(column: string, range: MsRange, parameters: QueryParameters): string {
  const conditions: string[] = [];
  if (range.fromMs !== null) conditions.push(`${column} >= ${parameters.timestamp(new Date(range.fromMs))}`);
  if (range.toMs !== null) conditions.push(`${column} < ${parameters.timestamp(new Date(range.toMs))}`);
  return conditions.length === 0 ? 'TRUE' : conditions.join(' AND ');
}

export interface RollupSourceOptions {
  /** The daily level of `hourly`, used for the whole days of the range when the buckets allow. */
  daily?: { table: string; columns: string };
  /**
   * For raw events only, a period expression (on `time`) that keeps the caller's buckets apart when they are
   * narrower than an hour (see time-bucket.ts rawPeriod); when given, no rollup rows are read.
   */
  rawPeriod?: string;
}

/**
 * A subquery (in parentheses) with the columns `hour, <rollup columns>, from_events`, over the filter's time
 * range: `hour` is the start of the row's period (an hour, a day, or the raw period), always inside the same
 * query bucket as the events it summarises when the buckets are hour-aligned; `from_events` is true for the
 * rows computed from the raw events of partial hours.
 */
export function rollupSource(hourly: Rollup, filter: QueryFilter, parameters: QueryParameters, options: RollupSourceOptions = {}): string {
  const range = filterRange(filter);
  const levels: ('day' | 'hour')[] = options.rawPeriod !== undefined ? [] : options.daily !== undefined ? ['day', 'hour'] : ['hour'];
  const segments = splitRange(range, levels);
  const parts = segments.map((segment) => {
    switch (segment.level) {
      case 'day':
        return `SELECT day AS hour, ${options.daily!.columns}, FALSE AS from_events FROM ${options.daily!.table} WHERE ${rangeCondition('day', segment, parameters)}`;
      case 'hour':
        return `SELECT hour, ${hourly.columns}, FALSE AS from_events FROM ${hourly.table} WHERE ${rangeCondition('hour', segment, parameters)}`;
      case 'raw':
        // In its own subquery: a raw part may itself be a UNION, which must not absorb the others.
        return `SELECT *, TRUE AS from_events FROM (${hourly.fromEvents(rangeCondition('time', segment, parameters), options.rawPeriod)})`;
    }
  });
  // An empty range still needs a subquery with the right columns.
  if (parts.length === 0) parts.push(`SELECT hour, ${hourly.columns}, FALSE AS from_events FROM ${hourly.table} WHERE FALSE`);
  return `(${parts.join('\n UNION ALL\n')})`;
}
