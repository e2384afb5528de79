/**
 * OTLP/HTTP (JSON) push of the same metrics as /metrics, with the official OpenTelemetry SDK: a
 * MeterProvider of its own (never the global one) with a PeriodicExportingMetricReader, whose observable
 * instruments are fed by one batch callback that reads one snapshot per collection. The resource says
 * service.name "keyscope" and service.version, so a collector can tell keyscope's series from others.
 *
 * Instruments (OpenTelemetry names; a collector's Prometheus exporter turns them into the /metrics names):
 *   keyscope.keys.generated        counter  {key}   algorithm, implementation, outcome
 *   keyscope.keygen.duration       gauge    s       algorithm, quantile (0.5, 0.9, 0.99; last 5 minutes)
 *   keyscope.errors                counter  {error} code
 *   keyscope.alerts.firing         gauge    {alert} rule, severity
 *   keyscope.spool.backlog         gauge    {file}
 *   keyscope.analytics.database.size gauge  By
 */
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';

import { ErrorCodes, InvalidArgumentError, keyscopeVersion } from '../../core/index.js';
import { keygenQuantiles } from './prometheus.js';
import type { MetricsSnapshot } from './snapshot.js';

export const defaultOtlpIntervalMs = 15_000;
/** An export that takes longer than this is abandoned (the next one carries the same cumulative totals). */
const maxExportTimeoutMs = 10_000;

export interface OtlpExportOptions {
  /** The full metrics URL, e.g. http://collector:4318/v1/metrics. */
  url: string;
  intervalMs?: number;
  headers?: Record<string, string>;
  read: () => Promise<MetricsSnapshot>;
}

export interface OtlpExport {
  /** Collects and exports now. */
  forceFlush(): Promise<void>;
  /** Exports what is pending, then stops. */
  shutdown(): Promise<void>;
}

function checkedUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidArgumentError(ErrorCodes.invalidOption, `OTLP metrics URL must be an http(s) URL such as http://localhost:4318/v1/metrics (got ${JSON.stringify(url.slice(0, 80))})`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new InvalidArgumentError(ErrorCodes.invalidOption, `OTLP metrics URL must use http or https (got ${parsed.protocol.replace(/:$/, '')})`);
  }
  return parsed.href;
}

/** Pushes the metrics to an OTLP/HTTP (JSON) endpoint every intervalMs (default 15000). */
export function startOtlpMetricsExport(options: OtlpExportOptions): OtlpExport {
  const url = checkedUrl(options.url);
  const intervalMs = options.intervalMs ?? defaultOtlpIntervalMs;
  if (!Number.isInteger(intervalMs) || intervalMs < 1) {
    throw new InvalidArgumentError(ErrorCodes.invalidOption, `OTLP export interval must be a whole number of milliseconds >= 1 (got ${String(intervalMs)})`);
  }
  const exporter = new OTLPMetricExporter({ url, ...(options.headers === undefined ? {} : { headers: options.headers }) });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'keyscope', 'service.version': keyscopeVersion }),
    readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: intervalMs, exportTimeoutMillis: Math.min(intervalMs, maxExportTimeoutMs) })],
  });
  const meter = provider.getMeter('keyscope', keyscopeVersion);

  const keys = meter.createObservableCounter('keyscope.keys.generated', { description: 'Keys generated and timed, per algorithm, implementation and outcome.', unit: '{key}' });
  const duration = meter.createObservableGauge('keyscope.keygen.duration', { description: 'Key generation time quantiles per algorithm over the last 5 minutes.', unit: 's' });
  const errors = meter.createObservableCounter('keyscope.errors', { description: 'Errors recorded, per stable error code.', unit: '{error}' });
  const alerts = meter.createObservableGauge('keyscope.alerts.firing', { description: 'Alerts firing now, per rule and severity.', unit: '{alert}' });
  const backlog = meter.createObservableGauge('keyscope.spool.backlog', { description: 'Spool files waiting in the analytics spool directory.', unit: '{file}' });
  const databaseSize = meter.createObservableGauge('keyscope.analytics.database.size', { description: 'Size of analytics.duckdb and its write-ahead log.', unit: 'By' });

  meter.addBatchObservableCallback(
    async (observer) => {
      const snapshot = await options.read();
      for (const { algorithm, implementation, outcome, count } of snapshot.keysGenerated) observer.observe(keys, count, { algorithm, implementation, outcome });
      for (const row of snapshot.keygenLatency) {
        for (const [quantile, field] of keygenQuantiles) observer.observe(duration, row[field], { algorithm: row.algorithm, quantile });
      }
      for (const { code, count } of snapshot.errors) observer.observe(errors, count, { code });
      for (const { rule, severity, count } of snapshot.alertsFiring) observer.observe(alerts, count, { rule, severity });
      observer.observe(backlog, snapshot.spoolBacklogFiles);
      observer.observe(databaseSize, snapshot.databaseBytes);
    },
    [keys, duration, errors, alerts, backlog, databaseSize],
  );

  return {
    forceFlush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
