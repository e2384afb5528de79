/**
 * The units a rules file writes its numbers in. Windows (`for`, `step`, `lookback`, `history`, `bucket`,
 * `timeout`) are spans of wall-clock time; latency thresholds are key-generation durations, which live in
 * nanoseconds to seconds, so they take the sub-millisecond units and not minutes (an "m" there would more
 * likely be a typo for "ms" than a latency of minutes).
 */

import { type FractionResult, parseFraction } from '../../core/index.js';

const windowUnits: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const latencyUnits: Readonly<Record<string, number>> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };

const amountPattern = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/;

function parseAmount(text: string, units: Readonly<Record<string, number>>): number | null {
  const match = amountPattern.exec(text.trim());
  if (match === null) return null;
  const scale = units[match[2]!];
  if (scale === undefined) return null;
  return Number(match[1]) * scale;
}

/** "10m", "1h", "7d", "500ms", "5s" → milliseconds (whole, > 0); null when it is not one. */
export function parseWindowMs(text: string): number | null {
  const ms = parseAmount(text, windowUnits);
  return ms === null || ms < 1 || !Number.isInteger(ms) ? null : ms;
}

/** "250ms", "40us", "1.5s", "900ns", or a bare number of nanoseconds → nanoseconds (>= 0); null when not one. */
export function parseLatencyNs(value: string | number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  const ns = parseAmount(value, latencyUnits);
  return ns === null || !Number.isFinite(ns) ? null : ns;
}

/** 0.02, "0.02" or "2%" → 0.02 (one reading of proportions everywhere: src/core/fraction.ts); a rate is within 0..1. */
export function parseRate(value: string | number): FractionResult {
  return parseFraction(value, { min: 0, max: 1 });
}

/** A window back as the rules file would write it: 600000 → "10m", 90000 → "90s". */
export function formatWindow(ms: number): string {
  for (const [unit, scale] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms % scale === 0) return `${ms / scale}${unit}`;
  }
  return `${ms}ms`;
}

/** A latency for people: 412 ms, 38.2 µs, 1.20 s (three significant digits). */
export function formatLatency(ns: number): string {
  const [scale, unit] = ns >= 1e9 ? [1e9, 's'] : ns >= 1e6 ? [1e6, 'ms'] : ns >= 1e3 ? [1e3, 'µs'] : [1, 'ns'];
  return `${Number((ns / scale).toPrecision(3))} ${unit}`;
}

/** A rate as a percentage: 0.0213 → "2.13%". */
export function formatRate(rate: number): string {
  return `${Number((rate * 100).toPrecision(3))}%`;
}
