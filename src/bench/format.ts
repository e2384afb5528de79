/** Human-readable durations and percentages for the CLI's tables and progress lines. */
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
