/**
 * Comparison settings as people write them (`5%` or 0.05, see src/core/fraction.ts) turned into the fractions the
 * statistics use: one place for the CLI's --threshold/--confidence and the API's compareRuns/compareSamples.
 */
import { type FractionRange, type FractionResult, parseFraction } from '../core/index.js';
import type { ComparisonSettings } from './types.js';

/** A proportion as the API takes it: 0.05 or "5%". */
export type Proportion = number | `${number}%`;

export interface ComparisonSettingsInput {
  /** Relative change that matters: 0.05 or "5%". */
  threshold: Proportion;
  /** Confidence of every interval: 0.99 or "99%". */
  confidence: Proportion;
  /** compareRuns: unstable cases gate too, by their verdicts (default false). */
  strict?: boolean;
  /**
   * compareRuns: the two runs are one machine's runs under two runtimes (Node/OpenSSL), compared on purpose:
   * runs of two machines are refused (KS_ENVIRONMENT_MISMATCH), and the comparison names the runtimes
   * (RunComparison.runtimes) instead of warning that the software differs (default false).
   */
  acrossRuntimes?: boolean;
}

const ranges: Record<keyof ComparisonSettings, FractionRange> = {
  threshold: { min: 0, max: 1, maxInclusive: false },
  confidence: { min: 0.5, max: 1, minInclusive: false, maxInclusive: false },
};

export function parseComparisonSetting(name: keyof ComparisonSettings, value: unknown): FractionResult {
  return parseFraction(value, ranges[name]);
}

/** Both settings as fractions; `fail` gets the first bad one's name and problem and must throw. */
export function resolveComparisonSettings(input: ComparisonSettingsInput, fail: (name: keyof ComparisonSettings, problem: string) => never): ComparisonSettings {
  const resolved: Partial<ComparisonSettings> = {};
  for (const name of ['threshold', 'confidence'] as const) {
    const parsed = parseComparisonSetting(name, input[name]);
    if (!parsed.ok) fail(name, parsed.problem);
    resolved[name] = parsed.value;
  }
  return resolved as ComparisonSettings;
}
