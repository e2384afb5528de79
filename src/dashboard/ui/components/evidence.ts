/** Alerts and recommendations state their numbers; these pick a unit from the metric's or value's name. */
import { formatBytes, formatCount, formatMs, formatNs, formatRate } from '../format.js';

function plain(value: number): string {
  if (Number.isInteger(value)) return formatCount(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 1 ? value.toFixed(2) : value.toPrecision(3);
}

/** An alert value: the metric names its unit, e.g. "p99 latency (ns)", "error rate". */
export function formatMetricValue(metric: string, value: number): string {
  const name = metric.toLowerCase();
  if (/\bns\b|latency/.test(name)) return formatNs(value);
  if (/\brate\b|ratio|share/.test(name) && value >= 0 && value <= 1) return formatRate(value);
  return plain(value);
}

/** A recommendation value: the key names its unit, e.g. medianNs, blockedMs, bytes, share. */
export function formatNamedValue(name: string, value: number | string): string {
  if (typeof value === 'string') return value;
  if (/Ns$/.test(name)) return formatNs(value);
  if (/Ms$/.test(name)) return formatMs(value);
  if (/bytes$/i.test(name)) return formatBytes(value);
  if (/(rate|share|ratio)$/i.test(name) && value >= 0 && value <= 1) return formatRate(value);
  return plain(value);
}
