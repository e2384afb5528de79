/**
 * The columns the dashboard's charts draw (src/dashboard/ui/chart-data.ts): every bucket of the selected range on
 * the x axis, null where there was nothing (a gap, never a line across it), the range as the axis, and the lone
 * values that only a point can show. Plus the words for a comparison interval the samples cannot bound.
 */
import { describe, expect, it } from 'vitest';

import type { ResolvedRange } from '../../src/dashboard/http/api-types.js';
import { alignSeries, bucketStarts, hasNoValues, isolatedPoints } from '../../src/dashboard/ui/chart-data.js';
import { formatLevel, formatRatioInterval } from '../../src/dashboard/ui/format.js';

const hour = 3600;
const at = (iso: string) => Date.parse(iso) / 1000;
const day: ResolvedRange = { since: '2026-12-05T10:30:00.000Z', until: '2026-12-06T10:30:00.000Z', bucket: 'hour' };

describe('bucketStarts', () => {
  it('lists every UTC bucket the range touches, from the one holding its start', () => {
    const starts = bucketStarts(day);
    expect(starts).toHaveLength(25);
    expect(starts[0]).toBe(at('2026-12-05T10:00:00Z'));
    expect(starts[24]).toBe(at('2026-12-06T10:00:00Z'));
    expect(starts.every((t, i) => i === 0 || t - starts[i - 1]! === hour)).toBe(true);
  });

  it('starts day buckets at UTC midnight, as the server truncates them', () => {
    const starts = bucketStarts({ since: '2026-11-01T15:00:00.000Z', until: '2026-12-01T15:00:00.000Z', bucket: 'day' });
    expect(starts[0]).toBe(at('2026-11-01T00:00:00Z'));
    expect(starts).toHaveLength(31);
  });
});

describe('alignSeries', () => {
  const keys = [
    { t: '2026-12-05T11:00:00.000Z', value: 3 },
    { t: '2026-12-05T16:00:00.000Z', value: 5 },
  ];

  it('puts every bucket on the x axis, null where a series has no value, and spans the range', () => {
    const columns = alignSeries([{ label: 'keys', points: keys }], day);
    expect(columns.x).toEqual(bucketStarts(day));
    const values = columns.series[0]!.values;
    expect(values.slice(1, 7)).toEqual([3, null, null, null, null, 5]);
    expect(values.filter((value) => value !== null)).toEqual([3, 5]);
    // From the first bucket's start (10:00, where the events after 10:30 are drawn) to the range's end.
    expect(columns.xRange).toEqual([at('2026-12-05T10:00:00Z'), at(day.until)]);
  });

  it('lays events out at their own times, on the same range', () => {
    const runs = [{ t: '2026-12-06T09:41:07.120Z', value: 2.5e8 }];
    const columns = alignSeries([{ label: 'rsa', points: runs }], day, 'points');
    expect(columns.x).toEqual([at(runs[0]!.t)]);
    expect(columns.xRange).toEqual([at('2026-12-05T10:00:00Z'), at(day.until)]);
  });

  it('keeps a value whose time is not a bucket start', () => {
    const columns = alignSeries([{ label: 'odd', points: [{ t: '2026-12-05T12:15:00.000Z', value: 1 }] }], day);
    expect(columns.x).toHaveLength(26);
    expect(columns.series[0]!.values[columns.x.indexOf(at('2026-12-05T12:15:00Z'))]).toBe(1);
  });
});

describe('isolatedPoints and hasNoValues', () => {
  it('finds the values with no neighbour, which only a point can show', () => {
    expect(isolatedPoints([null, 1, null, 2, 3, null, 4])).toEqual([1, 6]);
    expect(isolatedPoints([7])).toEqual([0]);
    expect(isolatedPoints([1, 2, null])).toBeNull();
    expect(isolatedPoints([null, null])).toBeNull();
  });

  it('says a chart of nulls has nothing to draw', () => {
    expect(hasNoValues([{ label: 'keys', values: [null, null] }])).toBe(true);
    expect(hasNoValues([])).toBe(true);
    expect(hasNoValues([{ label: 'keys', values: [null, 0] }])).toBe(false);
  });
});

describe('formatRatioInterval and formatLevel', () => {
  it('says an interval the samples cannot bound in words, never as a number', () => {
    expect(formatRatioInterval({ low: 0.981, high: 1.0234 })).toBe('0.981× – 1.023×');
    expect(formatRatioInterval({ low: null, high: null, moreSamplesNeeded: 1234 })).toBe('too few samples: 1,234 more needed');
    expect(formatRatioInterval({ low: null, high: null, moreSamplesNeeded: null })).toBe('not bounded');
  });

  it('writes the confidence the data carries', () => {
    expect(formatLevel(0.995)).toBe('99.5 %');
    expect(formatLevel(0.95)).toBe('95 %');
  });
});
