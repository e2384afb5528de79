/**
 * Time buckets for the "over time" queries: a calendar unit (UTC) or a fixed number of milliseconds.
 */
import { BIGINT } from '@duckdb/node-api';

import { ErrorCodes, InvalidArgumentError } from '../../core/index.js';
import type { QueryParameters } from '../warehouse/index.js';

export type BucketSize = 'minute' | 'hour' | 'day' | 'week' | { ms: number };

/**
 * The calendar units as SQL literals. The unit is chosen from this fixed table, never copied from the caller,
 * and stays a literal so that DuckDB plans date_trunc for a constant unit.
 */
const calendarUnits: Readonly<Record<string, string>> = { minute: "'minute'", hour: "'hour'", day: "'day'", week: "'week'" };

/** SQL for the start of `column`'s bucket, in epoch milliseconds (DOUBLE), with the width bound, never inlined. */
export function bucketStartMs(bucket: BucketSize, parameters: QueryParameters, column = 'time'): string {
  if (typeof bucket === 'object') {
    if (!Number.isInteger(bucket.ms) || bucket.ms < 1) {
      throw new InvalidArgumentError(ErrorCodes.invalidOption, `bucket size must be a whole number of milliseconds >= 1 (got ${bucket.ms})`);
    }
    // Integer division of epoch microseconds: cheaper than time_bucket() and exact for any width.
    const widthUs = parameters.bind(BigInt(bucket.ms) * 1000n, BIGINT);
    return `((epoch_us(${column}) // ${widthUs}) * ${widthUs} / 1000)::DOUBLE`;
  }
  const unit = calendarUnits[bucket];
  if (unit === undefined) {
    throw new InvalidArgumentError(ErrorCodes.invalidOption, `bucket must be minute, hour, day, week or { ms } (got ${String(bucket)})`);
  }
  return `epoch_ms(date_trunc(${unit}, ${column}))::DOUBLE`;
}

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** Whether every hour lies inside one bucket (so hourly rollup rows can be bucketed by their hour). */
export function hourAligned(bucket: BucketSize): boolean {
  return typeof bucket === 'object' ? bucket.ms % hourMs === 0 : bucket !== 'minute';
}

/** Whether every UTC day lies inside one bucket (so daily rollup rows can be used). Weeks start on a Monday. */
export function dayAligned(bucket: BucketSize): boolean {
  return typeof bucket === 'object' ? bucket.ms % dayMs === 0 : bucket === 'day' || bucket === 'week';
}

/**
 * For buckets narrower than an hour: a period expression on raw events' `time` that lies in the same bucket
 * as `time` (its bucket's start), for rollup-source's raw-only reading. Undefined for hour-aligned buckets.
 */
export function rawPeriod(bucket: BucketSize, parameters: QueryParameters): string | undefined {
  if (hourAligned(bucket)) return undefined;
  if (typeof bucket !== 'object') return `date_trunc('minute', time)`;
  const widthUs = parameters.bind(BigInt(bucket.ms) * 1000n, BIGINT);
  return `make_timestamp((epoch_us(time) // ${widthUs}) * ${widthUs})`;
}
