/**
 * The Prometheus exposition (prom-client): a Registry of its own (never the global one, which would mix in
 * whatever else the process registers) whose collectors set their values from a snapshot on every scrape.
 * All collectors of one scrape share one snapshot: prom-client asks them all at once (Promise.all), so the
 * first one starts the read and the others wait for the same promise.
 *
 * Counters are the stored totals, so they fall when retention or `analytics delete` removes events:
 * Prometheus's rate() treats that as a counter reset, which is what it is.
 */
import { Counter, Gauge, Registry } from 'prom-client';

import type { MetricsSnapshot } from './snapshot.js';

export const keygenQuantiles = [
  ['0.5', 'p50'],
  ['0.9', 'p90'],
  ['0.99', 'p99'],
] as const;

/** `read` at most once at a time: calls while a read is under way share it. */
function shared(read: () => Promise<MetricsSnapshot>): () => Promise<MetricsSnapshot> {
  let pending: Promise<MetricsSnapshot> | null = null;
  return () => {
    if (pending === null) {
      pending = read().finally(() => {
        pending = null;
      });
    }
    return pending;
  };
}

/** A prom-client Registry whose collectors read `read()` on every scrape; `await registry.metrics()` is the /metrics body. */
export function createPrometheusRegistry(read: () => Promise<MetricsSnapshot>): Registry {
  const registry = new Registry();
  const snapshot = shared(read);
  const registers = [registry];

  new Counter({
    name: 'keyscope_keys_generated_total',
    help: 'Keys generated and timed, per algorithm, implementation and outcome (stored analytics events).',
    labelNames: ['algorithm', 'implementation', 'outcome'] as const,
    registers,
    async collect() {
      const { keysGenerated } = await snapshot();
      this.reset();
      for (const { algorithm, implementation, outcome, count } of keysGenerated) this.inc({ algorithm, implementation, outcome }, count);
    },
  });

  new Gauge({
    name: 'keyscope_keygen_duration_seconds',
    help: 'Key generation time quantiles per algorithm over the last 5 minutes (successful keys; HDR, 2 significant digits).',
    labelNames: ['algorithm', 'quantile'] as const,
    registers,
    async collect() {
      const { keygenLatency } = await snapshot();
      this.reset();
      for (const row of keygenLatency) {
        for (const [quantile, field] of keygenQuantiles) this.set({ algorithm: row.algorithm, quantile }, row[field]);
      }
    },
  });

  new Counter({
    name: 'keyscope_errors_total',
    help: 'Errors recorded, per stable error code ("none" when the error had no code).',
    labelNames: ['code'] as const,
    registers,
    async collect() {
      const { errors } = await snapshot();
      this.reset();
      for (const { code, count } of errors) this.inc({ code }, count);
    },
  });

  new Gauge({
    name: 'keyscope_alerts_firing',
    help: 'Alerts firing now, per rule and severity.',
    labelNames: ['rule', 'severity'] as const,
    registers,
    async collect() {
      const { alertsFiring } = await snapshot();
      this.reset();
      for (const { rule, severity, count } of alertsFiring) this.set({ rule, severity }, count);
    },
  });

  new Gauge({
    name: 'keyscope_spool_backlog_files',
    help: 'Spool files waiting in the analytics spool directory.',
    registers,
    async collect() {
      this.set((await snapshot()).spoolBacklogFiles);
    },
  });

  new Gauge({
    name: 'keyscope_analytics_database_bytes',
    help: 'Size of analytics.duckdb and its write-ahead log.',
    registers,
    async collect() {
      this.set((await snapshot()).databaseBytes);
    },
  });

  return registry;
}
