/** Metrics for monitoring stacks: one snapshot, published as Prometheus text (/metrics) and pushed over OTLP/HTTP. */
export { collectMetricsSnapshot, latencyWindowSeconds, type MetricsSnapshot, type SnapshotOptions } from './snapshot.js';
export { createPrometheusRegistry } from './prometheus.js';
export { defaultOtlpIntervalMs, startOtlpMetricsExport, type OtlpExport, type OtlpExportOptions } from './otlp.js';
