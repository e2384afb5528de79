/** Synthetic histories for the alert and anomaly tests: keygen.timing and api.call events at known times. */
import type { FixtureEvent } from './analytics-query-fixtures.js';
import { alertRulesSchema, type AlertRulesConfig } from '../../src/monitor/alerts/rules-schema.js';

export const minute = 60_000;
export const hour = 3_600_000;

export interface TimingOptions {
  algorithm?: string;
  durationNs?: number;
  outcome?: 'ok' | 'error';
  operation?: 'generateKeyPairSync' | 'generateKeyPair';
  implementation?: string;
}

/** `count` keygen.timing events spread evenly over [start, start + spanMs). */
export function timings(start: number, count: number, options: TimingOptions = {}, spanMs = minute): FixtureEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    time: start + Math.floor((i * spanMs) / count),
    type: 'keygen.timing' as const,
    operation: options.operation ?? 'generateKeyPairSync',
    algorithm: options.algorithm ?? 'rsa-2048',
    outcome: options.outcome ?? 'ok',
    durationNs: options.durationNs ?? 1_000_000,
    properties: { implementation: options.implementation ?? 'keyscope', cycles: null },
  }));
}

/** The rules config that a rules file with `document` would give, with every built-in and detector off unless said. */
export function rulesConfig(document: Record<string, unknown> = {}): AlertRulesConfig {
  const quiet = { weakParameters: { enabled: false }, bursts: { enabled: false }, repeatedFailures: { enabled: false } };
  return alertRulesSchema.parse({ builtin: quiet, anomaly: { latency: { enabled: false }, rate: { enabled: false } }, ...document });
}
