/** Numbers and times as people read them: ns → µs/ms/s, bytes → KiB/MiB, ratios → %, times in local time. */
import type { ComparedCase } from '../http/api-types.js';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function significant(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

export function formatCount(value: number | null | undefined): string {
  return value == null || !Number.isFinite(value) ? '—' : integer.format(value);
}

export function formatNs(ns: number | null | undefined): string {
  if (ns == null || !Number.isFinite(ns)) return '—';
  const abs = Math.abs(ns);
  if (abs < 1e3) return `${ns.toFixed(0)} ns`;
  if (abs < 1e6) return `${significant(ns / 1e3)} µs`;
  if (abs < 1e9) return `${significant(ns / 1e6)} ms`;
  return `${significant(ns / 1e9)} s`;
}

export function formatMs(ms: number | null | undefined): string {
  return ms == null ? '—' : formatNs(ms * 1e6);
}

export function formatSeconds(seconds: number): string {
  if (seconds < 90) return `${seconds.toFixed(0)} s`;
  if (seconds < 5400) return `${(seconds / 60).toFixed(0)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value.toFixed(0)} B` : `${significant(value)} ${units[unit]}`;
}

/** A time ratio, candidate / baseline: "1.042×". */
export function formatRatio(ratio: number | null | undefined): string {
  return ratio == null || !Number.isFinite(ratio) ? '—' : `${ratio.toFixed(3)}×`;
}

/**
 * A ratio's interval, or in words when the samples cannot bound it (never a made-up end such as "?" or
 * -100 %): the same words as keyscope compare's.
 */
export function formatRatioInterval(interval: ComparedCase['interval']): string {
  if (interval.low !== null) return `${formatRatio(interval.low)} – ${formatRatio(interval.high)}`;
  return interval.moreSamplesNeeded === null ? 'not bounded' : `too few samples: ${formatCount(interval.moreSamplesNeeded)} more needed`;
}

/** A confidence level as people write it: 0.995 → "99.5 %". */
export function formatLevel(confidence: number): string {
  return `${Number((confidence * 100).toPrecision(4))} %`;
}

/** A 0..1 ratio as a percentage. */
export function formatRate(ratio: number | null | undefined): string {
  if (ratio == null || !Number.isFinite(ratio)) return '—';
  const percent = ratio * 100;
  return `${percent === 100 || percent === 0 ? percent.toFixed(0) : percent >= 99 ? percent.toFixed(2) : percent.toFixed(1)} %`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** `2026-11-26 14:03:09` in the browser's time zone. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** The value for an `<input type="datetime-local">`. */
export function toLocalInput(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A change against the previous range, as "+12 %" / "−3 %"; null when there is nothing to compare with. */
export function formatTrend(current: number | null, previous: number | null): { text: string; direction: 'up' | 'down' | 'flat' } | null {
  if (current == null || previous == null) return null;
  if (previous === 0) return current === 0 ? { text: '±0 %', direction: 'flat' } : { text: 'new', direction: 'up' };
  const change = (current - previous) / Math.abs(previous);
  if (Math.abs(change) < 0.005) return { text: '±0 %', direction: 'flat' };
  const percent = Math.abs(change * 100);
  return { text: `${change > 0 ? '+' : '−'}${percent >= 10 ? percent.toFixed(0) : percent.toFixed(1)} %`, direction: change > 0 ? 'up' : 'down' };
}
