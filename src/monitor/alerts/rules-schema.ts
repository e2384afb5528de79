/**
 * The alert rules file, as a strict zod schema: an unknown key anywhere is refused (a misspelt `abvoe` must
 * not silently become a rule that never fires), and every default is filled in here, in one place, so the
 * evaluator reads a fully resolved config. Units are parsed here too (durations.ts), so a rule's threshold
 * is a plain number of nanoseconds, a rate in 0..1, or keys per minute by the time anything reads it.
 */
import { z } from 'zod';

import { algorithmIdPattern } from '../../analytics/events/index.js';
import type { AlertSeverity } from './types.js';
import { parseLatencyNs, parseRate, parseWindowMs } from './durations.js';

export const thresholdMetrics = ['latency.p50', 'latency.p90', 'latency.p99', 'latency.max', 'error-rate', 'success-rate', 'keys-per-minute'] as const;
export type ThresholdMetric = (typeof thresholdMetrics)[number];

export function isLatencyMetric(metric: ThresholdMetric): boolean {
  return metric.startsWith('latency.');
}

/** A `for` window is cut into at most this many steps: one query groups them, and a chart could show them. */
const maxStepsPerWindow = 1440;

const severity = z.enum(['info', 'warning', 'critical'] satisfies AlertSeverity[]);

function windowMs(fallback: string) {
  return z
    .string()
    .default(fallback)
    .transform((text, context) => {
      const ms = parseWindowMs(text);
      if (ms === null) {
        context.addIssue({ code: 'custom', message: `must be a duration like 90s, 10m, 1h or 7d (got "${text}")` });
        return z.NEVER;
      }
      return ms;
    });
}

const threshold = z.union([z.number(), z.string()]);

const ruleSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9._-]{1,64}$/, 'must be 1 to 64 of a-z, 0-9, ".", "_" and "-"'),
    metric: z.enum(thresholdMetrics),
    algorithm: z.string().regex(algorithmIdPattern, 'must be an algorithm id such as rsa-2048').optional(),
    implementation: z.string().regex(/^[a-z0-9-]{1,32}$/, 'must be an implementation name such as keyscope').optional(),
    /** The API, e.g. generateKeyPair (the `operation` column of keygen.timing and api.call events). */
    operation: z.string().regex(/^[A-Za-z][A-Za-z0-9 -]{0,60}$/, 'must be an operation name such as generateKeyPair').optional(),
    /** Which events rates and counts are read from (latency always reads keygen.timing). */
    source: z.enum(['keygen.timing', 'api.call']).optional(),
    above: threshold.optional(),
    below: threshold.optional(),
    for: windowMs('5m'),
    step: windowMs('1m'),
    /** A step with fewer events than this is treated as a step without data (one failed key is not a 100 % error rate). */
    minEvents: z.number().int().min(1).default(1),
    severity: severity.default('warning'),
  })
  .superRefine((rule, context) => {
    const given = (['above', 'below'] as const).filter((side) => rule[side] !== undefined);
    if (given.length !== 1) {
      context.addIssue({ code: 'custom', path: [], message: 'needs exactly one of "above" and "below"' });
      return;
    }
    const side = given[0]!;
    const problem = thresholdProblem(rule.metric, rule[side]!);
    if (problem !== null) context.addIssue({ code: 'custom', path: [side], message: `${problem} (got ${JSON.stringify(rule[side])})` });
    if (rule.source !== undefined && isLatencyMetric(rule.metric)) {
      context.addIssue({ code: 'custom', path: ['source'], message: 'latency is always read from keygen.timing; "source" applies to rates and counts' });
    }
    if (rule.implementation !== undefined && rule.source === 'api.call') {
      context.addIssue({ code: 'custom', path: ['implementation'], message: 'api.call events have no implementation' });
    }
    if (rule.step > rule.for) context.addIssue({ code: 'custom', path: ['step'], message: 'must not be longer than "for"' });
    else if (rule.for / rule.step > maxStepsPerWindow) {
      context.addIssue({ code: 'custom', path: ['step'], message: `"for" may hold at most ${maxStepsPerWindow} steps` });
    }
  })
  .transform((rule) => {
    const direction: 'above' | 'below' = rule.above !== undefined ? 'above' : 'below';
    const threshold = parseThreshold(rule.metric, rule[direction]!)!;
    const resolved: Omit<typeof rule, 'above' | 'below'> & { above?: unknown; below?: unknown } = { ...rule };
    delete resolved.above;
    delete resolved.below;
    return { ...(resolved as Omit<typeof rule, 'above' | 'below'>), direction, threshold };
  });

export type ThresholdRule = z.output<typeof ruleSchema>;

/** The threshold in the metric's unit (ns, rate 0..1, keys per minute), or null when it is not one. */
function parseThreshold(metric: ThresholdMetric, value: string | number): number | null {
  if (isLatencyMetric(metric)) return parseLatencyNs(value);
  if (metric === 'keys-per-minute') return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
  const rate = parseRate(value);
  return rate.ok ? rate.value : null;
}

/** Why a threshold is not one for its metric, or null when it is. */
function thresholdProblem(metric: ThresholdMetric, value: string | number): string | null {
  if (parseThreshold(metric, value) !== null) return null;
  if (isLatencyMetric(metric)) return 'must be a duration in ns, us, ms or s, like 250ms';
  if (metric === 'keys-per-minute') return 'must be a number of keys per minute >= 0';
  const rate = parseRate(value);
  return rate.ok ? null : `a rate ${rate.problem}`;
}

function builtinRule(lookback: string) {
  return z.strictObject({ enabled: z.boolean().default(true), lookback: windowMs(lookback), severity: severity.default('warning') }).prefault({});
}

function detector() {
  return z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Both detectors fire at this many robust standard deviations above their baseline. */
      zThreshold: z.number().positive().default(4),
      /** Complete buckets of history needed before the detector says anything. */
      minHistory: z.number().int().min(3).default(20),
      bucket: windowMs('1h'),
      history: windowMs('7d'),
      severity: severity.default('warning'),
    })
    .superRefine((options, context) => {
      if (options.history < options.bucket * options.minHistory) {
        context.addIssue({ code: 'custom', path: ['history'], message: 'must hold at least minHistory buckets' });
      }
      if (options.history / options.bucket > 10_000) context.addIssue({ code: 'custom', path: ['history'], message: 'may hold at most 10000 buckets' });
    })
    .prefault({});
}

export const alertRulesSchema = z.strictObject({
  rules: z.array(ruleSchema).default([]),
  builtin: z
    .strictObject({
      weakParameters: builtinRule('24h'),
      bursts: builtinRule('1h'),
      repeatedFailures: builtinRule('1h'),
    })
    .prefault({}),
  anomaly: z
    .strictObject({
      latency: detector(),
      rate: detector(),
      ewma: z.strictObject({ alpha: z.number().gt(0).max(1).default(0.3) }).prefault({}),
    })
    .prefault({}),
  webhook: z
    .strictObject({
      url: z.string().refine((text) => /^https?:\/\/[^\s]+$/.test(text) && URL.canParse(text), 'must be an http:// or https:// URL'),
      timeout: windowMs('5s'),
    })
    .optional(),
}).superRefine((config, context) => {
  const seen = new Set<string>();
  config.rules.forEach((rule, index) => {
    if (seen.has(rule.name)) context.addIssue({ code: 'custom', path: ['rules', index, 'name'], message: `duplicate rule name "${rule.name}"` });
    seen.add(rule.name);
  });
});

/** The parsed, defaulted rules file. */
export type AlertRulesConfig = z.output<typeof alertRulesSchema>;
