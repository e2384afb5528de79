/** Metrics for monitoring stacks: one snapshot, published as Prometheus text (/metrics) and pushed over OTLP/HTTP. */
export { collectMetricsSnapshot, latencyWindowSeconds, type MetricsSnapshot, type SnapshotOptions } from './snapshot.js';
export { createPrometheusRegistry } from './prometheus.js';
import type { OtlpExport, OtlpExportOptions } from './otlp.js';

export type { OtlpExport, OtlpExportOptions };

/**
 * Starts pushing metrics over OTLP (otlp.ts). Its modules (OpenTelemetry's SDK and exporter, about 20 MB of a
 * server's memory) are loaded only here, so a dashboard started without --otlp never carries them.
 */
export async function startOtlpMetricsExport(options: OtlpExportOptions): Promise<OtlpExport> {
  return (await import('./otlp.js')).startOtlpMetricsExport(options);
}
