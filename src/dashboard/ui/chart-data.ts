/**
 * The columns a chart draws, from the server's `{t, value}` series: one x per bucket of the selected range (the
 * server's UTC buckets, see ResolvedRange) with null where a series has no value, so that an empty bucket is a
 * gap, never a line from the bucket before to the bucket after, and the x axis spans the range asked for, not
 * just the times that have data. No DOM here: the unit tests run it in Node.
 */
import type { ResolvedRange } from '../http/api-types.js';

export interface ChartSeries {
  label: string;
  /** One value per x; null where the series has no point. */
  values: (number | null)[];
}

export interface ChartColumns {
  /** Times, Unix seconds, ascending. */
  x: number[];
  series: ChartSeries[];
  /** The x axis: the selected range, Unix seconds. */
  xRange: [number, number];
}

const bucketMs: Readonly<Record<ResolvedRange['bucket'], number>> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** The start of the bucket holding the range's start, ms: UTC buckets of fixed length, as date_trunc makes them. */
function firstBucketMs(range: ResolvedRange): number {
  const step = bucketMs[range.bucket];
  return Math.floor(Date.parse(range.since) / step) * step;
}

/**
 * The range as the x axis's [min, max], Unix seconds, from the start of its first bucket: a bucket is drawn at
 * its start, and the first one's (the events after the range's start) would otherwise lie left of the axis.
 */
export function rangeSeconds(range: ResolvedRange): [number, number] {
  return [firstBucketMs(range) / 1000, Date.parse(range.until) / 1000];
}

/** Every bucket start of the range (the first one may start before it), Unix seconds. */
export function bucketStarts(range: ResolvedRange): number[] {
  const step = bucketMs[range.bucket];
  const until = Date.parse(range.until);
  const starts: number[] = [];
  // Minute, hour and day have a fixed length in UTC (no daylight saving).
  for (let t = firstBucketMs(range); t < until; t += step) starts.push(t / 1000);
  return starts;
}

/**
 * Aligns `{t, value}` series on one x column: every bucket of the range (layout "buckets", for series bucketed
 * by the server) or only the times that have a value (layout "points", for events such as bench runs). A value
 * whose time is not a bucket start is kept at its own time, never dropped.
 */
export function alignSeries(
  series: readonly { label: string; points: readonly { t: string; value: number }[] }[],
  range: ResolvedRange,
  layout: 'buckets' | 'points' = 'buckets',
): ChartColumns {
  const times = new Set(layout === 'buckets' ? bucketStarts(range) : []);
  for (const s of series) for (const point of s.points) times.add(Date.parse(point.t) / 1000);
  const x = [...times].sort((a, b) => a - b);
  const index = new Map(x.map((t, i) => [t, i]));
  return {
    x,
    series: series.map((s) => {
      const values: (number | null)[] = x.map(() => null);
      for (const point of s.points) values[index.get(Date.parse(point.t) / 1000)!] = point.value;
      return { label: s.label, values };
    }),
    xRange: rangeSeconds(range),
  };
}

/** Whether there is nothing to draw: no series, or no value in any. */
export function hasNoValues(series: readonly ChartSeries[]): boolean {
  return series.every((s) => s.values.every((value) => value === null));
}

/**
 * Indices of values with no neighbour (null or nothing on both sides): no line can show them, so the chart
 * draws them as points; null when there are none.
 */
export function isolatedPoints(values: readonly (number | null | undefined)[]): number[] | null {
  const isolated: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (values[i] == null) continue;
    if ((i === 0 || values[i - 1] == null) && (i === values.length - 1 || values[i + 1] == null)) isolated.push(i);
  }
  return isolated.length > 0 ? isolated : null;
}
