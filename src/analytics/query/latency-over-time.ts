/**
 * Key generation latency over time: per algorithm and API (optionally per implementation) and per time
 * bucket, the p50/p90/p99/p99.9 and max of keygen.timing durations, read from one HDR histogram per
 * (series, bucket), plus that histogram in its compressed base64 form so the dashboard can merge buckets.
 *
 * The histograms come from the latency rollups (warehouse/rollups.ts): per hour and per day, the count of each
 * HDR-rounded duration (2 significant digits: a value keeps its top 8 bits), so a 180-day chart reads a few
 * hundred thousand rows however many keys were generated. Whole days come from the daily rollup when the
 * buckets are day-aligned, whole hours from the hourly one, and the partial hours at the range's edges from
 * raw events rounded the same way. Recording each rounded value with its count gives exactly the histogram
 * that recording every raw value would; percentiles are read from those counts with hdr-histogram-js's own
 * rule (src/stats/hdr-counts.ts), and an actual histogram is built only for the encoded form, when asked for.
 */
import type { DuckDBConnection, DuckDBListVector } from '@duckdb/node-api';

import { encodeBucketCounts, HdrCounts } from '../../stats/index.js';
import { latencyDailyRollup, latencyHourlyRollup, QueryParameters } from '../warehouse/index.js';
import { filterConditions, type QueryFilter } from './query-filter.js';
import { rollupSource } from './rollup-source.js';
import { bucketStartMs, type BucketSize, dayAligned, rawPeriod } from './time-bucket.js';

export interface LatencyOptions {
  bucket: BucketSize;
  /** Split series by implementation too. Default false. */
  byImplementation?: boolean;
  /**
   * Fold the APIs (sync and async) into one series per algorithm, reported with api "*". Default false. Folding
   * in SQL keeps the percentiles exact: percentiles of two series cannot be merged afterwards.
   */
  mergeApis?: boolean;
  /** Return each histogram's encoded form (costs ~1 ms per bucket: ask for it on the ranges you merge). Default false. */
  encode?: boolean;
}

export interface LatencyBucket {
  algorithm: string;
  api: string;
  /** Null unless byImplementation. */
  implementation: string | null;
  /** The bucket's start. */
  start: Date;
  count: number;
  /**
   * Nanoseconds. Each percentile is the highest value of its HDR bucket at 2 significant digits: exact below
   * 256 ns, above that at most 1/128 (0.8 %) over the true value.
   */
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  /** The exact largest duration. */
  max: number;
  /** hdr-histogram-js compressed base64 (2 significant digits); null when not asked for. */
  histogram: string | null;
}


/** Loads row `row`'s histogram (two lists of the same length: values and their counts) into `histogram`. */
function loadCounts(histogram: HdrCounts, values: DuckDBListVector, counts: DuckDBListVector, row: number): void {
  const valueItems = values.childVector;
  const countItems = counts.childVector;
  const valueOffset = values.getEntryOffset(row);
  const countOffset = counts.getEntryOffset(row);
  histogram.reset();
  for (let i = 0; i < values.getEntryLength(row); i++) {
    histogram.add(valueItems.getItem(valueOffset + i) as number, countItems.getItem(countOffset + i) as number);
  }
}

/** Buckets read by one statement at most: see latencyOverTime. */
export const bucketsPerStatement = 32;

const chunkableBucketMs: Partial<Record<string, number>> = { hour: 3_600_000, day: 86_400_000 };

/**
 * [since, until) cut at bucket boundaries into pieces of at most `bucketsPerStatement` buckets, or the whole
 * range when it is unbounded or its buckets are not fixed hours or days (UTC, so a boundary is a multiple).
 */
export function statementRanges(filter: QueryFilter, bucket: BucketSize): QueryFilter[] {
  const width = typeof bucket === 'string' ? chunkableBucketMs[bucket] : undefined;
  if (width === undefined || filter.since === undefined || filter.until === undefined) return [filter];
  const pieces: QueryFilter[] = [];
  const step = width * bucketsPerStatement;
  let from = filter.since.getTime();
  const to = filter.until.getTime();
  while (from < to) {
    const next = Math.min(to, (Math.floor(from / step) + 1) * step);
    pieces.push({ ...filter, since: new Date(from), until: new Date(next) });
    from = next;
  }
  return pieces.length === 0 ? [filter] : pieces;
}

/** The statement's ORDER BY in JS: code-unit order like DuckDB's, NULL implementation last as DuckDB puts it. */
const byText = (a: string | null, b: string | null): number => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);
const seriesOrder = (a: LatencyBucket, b: LatencyBucket): number =>
  byText(a.algorithm, b.algorithm) || byText(a.api, b.api) || byText(a.implementation, b.implementation) || a.start.getTime() - b.start.getTime();

/**
 * Honours every filter part (implementation too); `operation` is the API (generateKeyPairSync or generateKeyPair).
 *
 * A long range is read in pieces of at most 32 buckets, one statement each: DuckDB's list() aggregate holds
 * every group's lists until the statement ends (a 180-day chart by day took ~115 MB at once on 10M events),
 * and a bucket never spans two pieces, so each bucket's histogram is still read whole.
 */
export async function latencyOverTime(connection: DuckDBConnection, filter: QueryFilter, options: LatencyOptions): Promise<LatencyBucket[]> {
  const pieces = statementRanges(filter, options.bucket);
  if (pieces.length === 1) return latencyStatement(connection, pieces[0]!, options);
  const buckets: LatencyBucket[] = [];
  for (const piece of pieces) buckets.push(...(await latencyStatement(connection, piece, options)));
  return buckets.sort(seriesOrder);
}

async function latencyStatement(connection: DuckDBConnection, filter: QueryFilter, options: LatencyOptions): Promise<LatencyBucket[]> {
  const parameters = new QueryParameters();
  const bucket = bucketStartMs(options.bucket, parameters, 'hour');
  const source = rollupSource(latencyHourlyRollup, filter, parameters, {
    daily: dayAligned(options.bucket) ? latencyDailyRollup : undefined,
    rawPeriod: rawPeriod(options.bucket, parameters),
  });
  const conditions = filterConditions(filter, parameters, ['algorithm', 'operation', 'outcome', 'implementation'], { operation: 'api' });
  const implementation = options.byImplementation === true ? 'implementation' : 'NULL::VARCHAR';
  const api = options.mergeApis === true ? `'*'` : 'api';
  // One GROUP BY per (series, bucket), each folding its rows' values and counts into two lists of DOUBLEs,
  // read straight from the lists' flat backing vectors: converting them into JS list values costs several
  // times the query. The lists are in no order and a value may appear more than once (several hours,
  // outcomes or implementations): HdrCounts adds them up by bucket index, which needs neither a sort nor
  // another GROUP BY (ORDER BY inside list() costs the query several times more).
  const sql = `
    SELECT algorithm, ${api} AS api, ${implementation} AS implementation, ${bucket} AS bucket_ms, max(max)::DOUBLE AS max,
           list(value::DOUBLE) AS "values", list(events::DOUBLE) AS counts
      FROM ${source}
     WHERE ${conditions}
     GROUP BY ALL
     ORDER BY algorithm, api, implementation, bucket_ms`;
  const result = await connection.run(sql, parameters.values, parameters.types);

  const buckets: LatencyBucket[] = [];
  const histogram = new HdrCounts();
  for (let chunkIndex = 0; chunkIndex < result.chunkCount; chunkIndex++) {
    const chunk = result.getChunk(chunkIndex);
    const [algorithms, apis, implementations, starts, maxima] = [0, 1, 2, 3, 4].map((column) => chunk.getColumnVector(column));
    const values = chunk.getColumnVector(5) as DuckDBListVector;
    const counts = chunk.getColumnVector(6) as DuckDBListVector;
    for (let row = 0; row < chunk.rowCount; row++) {
      loadCounts(histogram, values, counts, row);
      const [p50, p90, p99, p999] = histogram.percentiles([50, 90, 99, 99.9]) as [number, number, number, number];
      const max = maxima!.getItem(row) as number;
      const implementationValue = implementations!.getItem(row);
      buckets.push({
        algorithm: String(algorithms!.getItem(row)),
        api: String(apis!.getItem(row)),
        implementation: implementationValue === null ? null : String(implementationValue),
        start: new Date(starts!.getItem(row) as number),
        count: histogram.total,
        p50,
        p90,
        p99,
        p999,
        max,
        histogram: options.encode === true ? encodeBucketCounts(histogram.buckets(), max) : null,
      });
    }
  }
  return buckets;
}
