/**
 * Anomaly detection on per-algorithm series (the robust statistics come from src/stats):
 *   - latency: per bucket, the median (p50) of keygen.timing durations, read from the latency rollups (HDR
 *     values at 2 significant digits, the highest value of the median's HDR bucket as latencyOverTime
 *     reports it); buckets with no keys are absent from the series;
 *   - rate: per bucket, the number of keygen.timing events (keys attempted), from the hourly event counts;
 *     from the algorithm's first bucket with keys in the history on, a bucket with none counts as 0.
 * Buckets are aligned to the epoch (1h buckets start on the hour). The latest complete bucket (the one that
 * ended last at or before `now`) is scored against the `history` before it; nothing is said until
 * `minHistory` buckets of history exist. Both detectors are one-sided: they fire when the value lies at
 * least `zThreshold` robust standard deviations ABOVE the baseline (slower keys, more keys); a drop is not
 * an alarm here.
 *
 * Noise floors (so that a flat history, MAD = 0, is not divided by zero, and a one-key wobble on a flat
 * count is not "infinitely" anomalous): latency never scales by less than 5 % of its median (no machine
 * times key generation more steadily than that) and counts never by less than √median (Poisson noise), at
 * least 1 key.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

import { bucketStartMs, eventCountsRollup, latencyHourlyRollup, QueryParameters, rawPeriod, rollupSource } from '../../analytics/query/index.js';
import { ewmaScore, hdrHighestEquivalent, median, robustZScore } from '../../stats/index.js';
import { formatLatency, formatWindow } from './durations.js';
import type { AlertRulesConfig } from './rules-schema.js';
import type { Alert, DetectorScore } from './types.js';

export type DetectorOptions = AlertRulesConfig['anomaly']['latency'];

/** One algorithm's series: the value of each bucket, oldest first, and the latest complete bucket. */
export interface AnomalySeries {
  algorithm: string;
  /** Values of the history buckets (those that count, see above), oldest first. */
  history: number[];
  latest: { start: Date; value: number; events: number };
}

export interface SeriesVerdict {
  detectors: DetectorScore[];
  fired: boolean;
}

export interface ScoreOptions {
  zThreshold: number;
  minHistory: number;
  alpha: number;
  /** The series' noise floor for a history with this median. */
  minScale: (median: number) => number;
}

/** Scores a series' latest value with both detectors; null while the history is shorter than minHistory. */
export function scoreSeries(history: readonly number[], value: number, options: ScoreOptions): SeriesVerdict | null {
  if (history.length < options.minHistory) return null;
  const minScale = options.minScale(median(history));
  const robust = robustZScore(value, history, minScale);
  const ewma = ewmaScore(value, history, options.alpha, minScale);
  const detectors: DetectorScore[] = [
    { detector: 'robust-z', score: robust.score, baseline: robust.median, scale: robust.scale, fired: robust.score >= options.zThreshold },
    { detector: 'ewma', score: ewma.score, baseline: ewma.mean, scale: ewma.scale, fired: ewma.score >= options.zThreshold },
  ];
  return { detectors, fired: detectors.some((detector) => detector.fired) };
}

export const latencyNoiseFloor = (median: number) => Math.max(0.05 * Math.abs(median), 1);
export const countNoiseFloor = (median: number) => Math.max(Math.sqrt(Math.max(median, 0)), 1);

interface Range {
  /** First history bucket's start. */
  sinceMs: number;
  /** Latest complete bucket's start. */
  latestMs: number;
  /** Latest complete bucket's end. */
  untilMs: number;
}

function rangeAt(options: DetectorOptions, now: Date): Range {
  const untilMs = Math.floor(now.getTime() / options.bucket) * options.bucket;
  const latestMs = untilMs - options.bucket;
  return { sinceMs: latestMs - Math.floor(options.history / options.bucket) * options.bucket, latestMs, untilMs };
}

/** Per algorithm and bucket start: [value, events]. */
type BucketValues = Map<string, Map<number, [number, number]>>;

function collect(rows: Record<string, unknown>[], value: (row: Record<string, unknown>) => number): BucketValues {
  const byAlgorithm: BucketValues = new Map();
  for (const row of rows) {
    const algorithm = String(row['algorithm']);
    let buckets = byAlgorithm.get(algorithm);
    if (buckets === undefined) byAlgorithm.set(algorithm, (buckets = new Map()));
    buckets.set(Number(row['bucket_ms']), [value(row), Number(row['events'])]);
  }
  return byAlgorithm;
}

/** Per algorithm, the p50 latency of each bucket with keys in [since, until). */
async function latencyBuckets(connection: DuckDBConnection, options: DetectorOptions, range: Range): Promise<BucketValues> {
  const parameters = new QueryParameters();
  const bucket = bucketStartMs({ ms: options.bucket }, parameters, 'hour');
  const source = rollupSource(latencyHourlyRollup, { since: new Date(range.sinceMs), until: new Date(range.untilMs) }, parameters, {
    rawPeriod: rawPeriod({ ms: options.bucket }, parameters),
  });
  // The weighted median of (HDR value, count) pairs by hdr-histogram-js's rule (HdrCounts.percentiles): the
  // first value whose cumulative count reaches ceil(total / 2).
  const sql = `
    WITH counted AS (
      SELECT algorithm, ${bucket} AS bucket_ms, value, sum(events) AS n FROM ${source} GROUP BY ALL
    ), cumulative AS (
      SELECT *, sum(n) OVER (PARTITION BY algorithm, bucket_ms ORDER BY value ROWS UNBOUNDED PRECEDING) AS running,
                sum(n) OVER (PARTITION BY algorithm, bucket_ms) AS total
        FROM counted
    )
    SELECT algorithm, bucket_ms, min(value) FILTER (WHERE running >= greatest(ceil(total / 2), 1))::DOUBLE AS p50, max(total)::DOUBLE AS events
      FROM cumulative
     GROUP BY ALL`;
  const rows = (await connection.runAndReadAll(sql, parameters.values, parameters.types)).getRowObjectsJS();
  return collect(rows, (row) => hdrHighestEquivalent(Number(row['p50'])));
}

/** Per algorithm, the keygen.timing events of each bucket with any in [since, until). */
async function rateBuckets(connection: DuckDBConnection, options: DetectorOptions, range: Range): Promise<BucketValues> {
  const parameters = new QueryParameters();
  const bucket = bucketStartMs({ ms: options.bucket }, parameters, 'hour');
  const source = rollupSource(eventCountsRollup, { since: new Date(range.sinceMs), until: new Date(range.untilMs) }, parameters, {
    rawPeriod: rawPeriod({ ms: options.bucket }, parameters),
  });
  const sql = `
    SELECT algorithm, ${bucket} AS bucket_ms, sum(events)::DOUBLE AS events
      FROM ${source}
     WHERE type = 'keygen.timing' AND algorithm IS NOT NULL
     GROUP BY ALL`;
  const rows = (await connection.runAndReadAll(sql, parameters.values, parameters.types)).getRowObjectsJS();
  return collect(rows, (row) => Number(row['events']));
}

/** The latency series of every algorithm with keys in the latest complete bucket. */
export async function latencySeries(connection: DuckDBConnection, options: DetectorOptions, now: Date): Promise<AnomalySeries[]> {
  const range = rangeAt(options, now);
  const series: AnomalySeries[] = [];
  for (const [algorithm, buckets] of await latencyBuckets(connection, options, range)) {
    const latest = buckets.get(range.latestMs);
    if (latest === undefined) continue;
    const history: number[] = [];
    for (let start = range.sinceMs; start < range.latestMs; start += options.bucket) {
      const bucket = buckets.get(start);
      if (bucket !== undefined) history.push(bucket[0]);
    }
    series.push({ algorithm, history, latest: { start: new Date(range.latestMs), value: latest[0], events: latest[1] } });
  }
  return series.sort((a, b) => a.algorithm.localeCompare(b.algorithm));
}

/** The rate series of every algorithm with keys in the latest complete bucket. */
export async function rateSeries(connection: DuckDBConnection, options: DetectorOptions, now: Date): Promise<AnomalySeries[]> {
  const range = rangeAt(options, now);
  const series: AnomalySeries[] = [];
  for (const [algorithm, buckets] of await rateBuckets(connection, options, range)) {
    const latest = buckets.get(range.latestMs);
    if (latest === undefined) continue;
    const history: number[] = [];
    for (let start = range.sinceMs; start < range.latestMs; start += options.bucket) {
      const bucket = buckets.get(start);
      // Before the algorithm's first keys it was not in use, not at rate 0.
      if (bucket !== undefined || history.length > 0) history.push(bucket?.[0] ?? 0);
    }
    series.push({ algorithm, history, latest: { start: new Date(range.latestMs), value: latest[0], events: latest[1] } });
  }
  return series.sort((a, b) => a.algorithm.localeCompare(b.algorithm));
}

function describeDetectors(detectors: readonly DetectorScore[], threshold: number): string {
  const names = { 'robust-z': 'robust z', ewma: 'EWMA' } as const;
  return detectors
    .filter((detector) => detector.fired)
    .map((detector) => `${names[detector.detector]} ${detector.score.toFixed(1)} ≥ ${threshold}`)
    .join('; ');
}

function anomalyAlert(kind: 'latency' | 'rate', series: AnomalySeries, verdict: SeriesVerdict, options: DetectorOptions): Alert {
  // The robust z leads when it fired (its baseline, the median, is the one a person checks first).
  const firing = verdict.detectors.filter((detector) => detector.fired);
  const lead = firing.find((detector) => detector.detector === 'robust-z') ?? firing[0]!;
  const until = new Date(series.latest.start.getTime() + options.bucket);
  const fired = describeDetectors(verdict.detectors, options.zThreshold);
  const bucket = formatWindow(options.bucket);
  const period = `the ${bucket} to ${until.toISOString()}`;
  const title =
    kind === 'latency'
      ? `latency anomaly: p50 of ${series.algorithm} was ${formatLatency(series.latest.value)} in ${period}, baseline ${formatLatency(lead.baseline)} (${fired})`
      : `rate anomaly: ${series.latest.value} ${series.algorithm} keys in ${period}, baseline ${Number(lead.baseline.toPrecision(4))} (${fired})`;
  return {
    id: `anomaly.${kind}:${series.algorithm}`,
    rule: `anomaly.${kind}`,
    kind: 'anomaly',
    severity: options.severity,
    title,
    algorithm: series.algorithm,
    since: series.latest.start.toISOString(),
    evidence: {
      metric: kind === 'latency' ? `p50 latency per ${bucket} (ns)` : `keys per ${bucket}`,
      value: series.latest.value,
      baseline: lead.baseline,
      window: { since: series.latest.start.toISOString(), until: until.toISOString() },
      score: lead.score,
      scoreThreshold: options.zThreshold,
      events: series.latest.events,
      detectors: verdict.detectors,
    },
  };
}

/** Every anomaly alert firing at `now`. */
export async function evaluateAnomalies(connection: DuckDBConnection, anomaly: AlertRulesConfig['anomaly'], now: Date): Promise<Alert[]> {
  const alerts: Alert[] = [];
  const detectors = [
    ['latency', anomaly.latency, latencySeries, latencyNoiseFloor],
    ['rate', anomaly.rate, rateSeries, countNoiseFloor],
  ] as const;
  for (const [kind, options, read, minScale] of detectors) {
    if (!options.enabled) continue;
    for (const series of await read(connection, options, now)) {
      const { zThreshold, minHistory } = options;
      const verdict = scoreSeries(series.history, series.latest.value, { zThreshold, minHistory, alpha: anomaly.ewma.alpha, minScale });
      if (verdict?.fired === true) alerts.push(anomalyAlert(kind, series, verdict, options));
    }
  }
  return alerts;
}
