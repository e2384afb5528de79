/** Human-readable durations and percentages for the CLI's tables and progress lines. */
import { samplesForMedianInterval } from '../stats/index.js';

export function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return '-';
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(2)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(1)} µs`;
  return `${ns.toFixed(0)} ns`;
}

export function formatPrecision(relative: number): string {
  return Number.isFinite(relative) ? `±${(relative * 100).toFixed(relative < 0.1 ? 2 : 1)}%` : '±?';
}

/** An interval that cannot be bounded, as words: never a made-up number such as [-100%, ?]. */
export function tooFewSamples(more: number): string {
  return `too few samples: ${more.toLocaleString('en-US')} more needed`;
}

export type DescribedInterval =
  | { state: 'bounded'; low: number; high: number; relative: number }
  | { state: 'unbounded'; text: string };

/**
 * A summary's median interval, or why it has none: bounds from a stored run may be NaN or (from JSON) null
 * where the samples were too few for the confidence.
 */
export function describeMedianInterval(summary: { count: number; median: number; medianInterval: { confidence: number; low: number | null; high: number | null } }): DescribedInterval {
  const { low, high, confidence } = summary.medianInterval;
  if (typeof low !== 'number' || typeof high !== 'number' || !Number.isFinite(low) || !Number.isFinite(high) || !(summary.median > 0)) {
    return { state: 'unbounded', text: tooFewSamples(Math.max(1, samplesForMedianInterval(confidence) - summary.count)) };
  }
  return { state: 'bounded', low, high, relative: (high - low) / 2 / summary.median };
}
