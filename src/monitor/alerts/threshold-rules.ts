/**
 * Threshold rules with a `for` duration: "p99 latency of rsa-2048 above 250 ms for 10 minutes".
 *
 * The window [now - n·step, now), n = ceil(for / step), is cut into n steps counted back from `now`, so the
 * most recent step always ends at `now` and no step is partial. Each step's metric is computed from the raw
 * events of the `events` view (exact percentiles by nearest rank, DuckDB quantile_disc: the ceil(q·n)-th
 * smallest duration, so the p99 of 10 keys is the slowest). A step "has data" when it holds at least
 * `minEvents` events of the rule's source; keys-per-minute is a count, so every step has data (an empty step
 * is 0 keys/min).
 *
 * The rule fires only when the condition held for the whole `for` window: every step has data and every step
 * breaches (strictly above or below the threshold). A step without data resets the rule, as a gap does
 * Prometheus's `for`: "above 250 ms for 10m" is a claim about ten minutes, and a minute with no keys (or
 * fewer than `minEvents`) is a minute in which nothing was above anything. So one slow key after an hour of
 * silence does not fire; ten minutes of slow keys do.
 */
import { BIGINT, type DuckDBConnection } from '@duckdb/node-api';

import { QueryParameters } from '../../analytics/query/index.js';
import { formatLatency, formatRate, formatWindow } from './durations.js';
import { isLatencyMetric, type ThresholdMetric, type ThresholdRule } from './rules-schema.js';
import type { Alert } from './types.js';

/** One evaluation step of a rule's window. */
export interface ThresholdStep {
  start: Date;
  /** Events of the rule's source in the step. */
  events: number;
  /** The metric; null when the step has no data. */
  value: number | null;
}

const generateApis = `('generateKeyPairSync', 'generateKeyPair')`;
const quantiles: Partial<Record<ThresholdMetric, number>> = { 'latency.p50': 0.5, 'latency.p90': 0.9, 'latency.p99': 0.99 };

/** The SQL aggregate of the metric over one step's events (raw value; keys-per-minute is scaled in JS). */
function metricExpression(metric: ThresholdMetric, parameters: QueryParameters): string {
  const quantile = quantiles[metric];
  if (quantile !== undefined) return `quantile_disc(duration_ns, ${parameters.number(quantile)})`;
  switch (metric) {
    case 'latency.max':
      return 'max(duration_ns)';
    case 'error-rate':
      return `count(*) FILTER (WHERE outcome = 'error') / count(*)`;
    case 'success-rate':
      return `count(*) FILTER (WHERE outcome = 'ok') / count(*)`;
    default:
      return `count(*) FILTER (WHERE outcome = 'ok')`;
  }
}

function sourceConditions(rule: ThresholdRule, parameters: QueryParameters): string {
  const conditions: string[] = [];
  const source = isLatencyMetric(rule.metric) ? 'keygen.timing' : (rule.source ?? 'keygen.timing');
  conditions.push(`type = ${parameters.text(source)}`);
  // Keys are made by the generate APIs only; an api.call error rate counts every API unless told which.
  if (source === 'api.call' && rule.metric === 'keys-per-minute' && rule.operation === undefined) conditions.push(`operation IN ${generateApis}`);
  if (rule.algorithm !== undefined) conditions.push(`algorithm = ${parameters.text(rule.algorithm)}`);
  if (rule.operation !== undefined) conditions.push(`operation = ${parameters.text(rule.operation)}`);
  if (rule.implementation !== undefined) conditions.push(`(properties->>'implementation') = ${parameters.text(rule.implementation)}`);
  if (isLatencyMetric(rule.metric)) conditions.push('duration_ns IS NOT NULL');
  return conditions.join(' AND ');
}

/** The rule's steps at `now`, oldest first (all of them, with or without data). */
export async function thresholdSteps(connection: DuckDBConnection, rule: ThresholdRule, now: Date): Promise<ThresholdStep[]> {
  const steps = Math.ceil(rule.for / rule.step);
  const startMs = now.getTime() - steps * rule.step;
  const parameters = new QueryParameters();
  const startUs = parameters.bind(BigInt(startMs) * 1000n, BIGINT);
  const stepUs = parameters.bind(BigInt(rule.step) * 1000n, BIGINT);
  const value = metricExpression(rule.metric, parameters);
  const sql = `
    SELECT ((epoch_us(time) - ${startUs}) // ${stepUs})::DOUBLE AS step, count(*)::DOUBLE AS events, (${value})::DOUBLE AS value
      FROM events
     WHERE time >= ${parameters.timestamp(new Date(startMs))} AND time < ${parameters.timestamp(now)} AND ${sourceConditions(rule, parameters)}
     GROUP BY ALL`;
  const rows = (await connection.runAndReadAll(sql, parameters.values, parameters.types)).getRowObjectsJS();
  const byStep = new Map(rows.map((row) => [Number(row['step']), row]));
  const perMinute = 60_000 / rule.step;
  return Array.from({ length: steps }, (_, index) => {
    const row = byStep.get(index);
    const events = row === undefined ? 0 : Number(row['events']);
    const start = new Date(startMs + index * rule.step);
    if (rule.metric === 'keys-per-minute') return { start, events, value: row === undefined ? 0 : Number(row['value']) * perMinute };
    return { start, events, value: row === undefined || events < rule.minEvents ? null : Number(row['value']) };
  });
}

function breaches(rule: ThresholdRule, value: number): boolean {
  return rule.direction === 'above' ? value > rule.threshold : value < rule.threshold;
}

const metricNames: Record<ThresholdMetric, string> = {
  'latency.p50': 'p50 latency',
  'latency.p90': 'p90 latency',
  'latency.p99': 'p99 latency',
  'latency.max': 'max latency',
  'error-rate': 'error rate',
  'success-rate': 'success rate',
  'keys-per-minute': 'keys per minute',
};

function formatValue(metric: ThresholdMetric, value: number): string {
  if (isLatencyMetric(metric)) return formatLatency(value);
  if (metric === 'keys-per-minute') return String(Number(value.toPrecision(4)));
  return formatRate(value);
}

function subject(rule: ThresholdRule): string {
  const parts = [rule.algorithm ?? 'all algorithms'];
  if (rule.implementation !== undefined) parts.push(`(${rule.implementation})`);
  if (rule.operation !== undefined) parts.push(`via ${rule.operation}`);
  return parts.join(' ');
}

/** The rule's alert at `now`, or null when it does not hold. */
export async function evaluateThresholdRule(connection: DuckDBConnection, rule: ThresholdRule, now: Date): Promise<Alert | null> {
  const steps = await thresholdSteps(connection, rule, now);
  const values: number[] = [];
  for (const step of steps) {
    // A step without data resets the rule, like a step that does not breach.
    if (step.value === null || !breaches(rule, step.value)) return null;
    values.push(step.value);
  }
  // The least extreme breaching value: the margin by which the rule held throughout.
  const value = rule.direction === 'above' ? Math.min(...values) : Math.max(...values);
  const unit = isLatencyMetric(rule.metric) ? ' (ns)' : '';
  return {
    id: `${rule.name}:${rule.algorithm ?? '*'}`,
    rule: rule.name,
    kind: 'threshold',
    severity: rule.severity,
    title:
      `${metricNames[rule.metric]} of ${subject(rule)} is ${formatValue(rule.metric, value)}, ` +
      `${rule.direction} ${formatValue(rule.metric, rule.threshold)} for ${formatWindow(rule.for)}`,
    algorithm: rule.algorithm ?? null,
    since: steps[0]!.start.toISOString(),
    evidence: {
      metric: `${metricNames[rule.metric]}${unit}`,
      value,
      baseline: rule.threshold,
      window: { since: steps[0]!.start.toISOString(), until: now.toISOString() },
      events: steps.reduce((sum, step) => sum + step.events, 0),
    },
  };
}
