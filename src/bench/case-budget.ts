/** Budgets with every default filled in, in one place. RSA's prime search is heavy-tailed and slow per key. */
import type { CaseBudget } from './define-suite.js';

export type ResolvedCaseBudget = Required<CaseBudget>;

const defaults: ResolvedCaseBudget = { precision: 0.01, confidence: 0.99, maxTimeMs: 2000, minSamples: 30, maxSamples: 1_000_000 };
// An RSA-2048 key takes ~150 ms and its time varies several-fold with the luck of the prime search: a 1%
// interval of the median needs thousands of keys, so RSA gets a longer budget and reports what it reached.
const rsaDefaults: Partial<ResolvedCaseBudget> = { maxTimeMs: 6000, minSamples: 10 };
const quickBudget: Partial<ResolvedCaseBudget> = { maxTimeMs: 400, minSamples: 10 };
const quickRsaBudget: Partial<ResolvedCaseBudget> = { maxTimeMs: 1500, minSamples: 3 };

export function resolveCaseBudget(
  algorithm: string,
  layers: (CaseBudget | undefined)[],
  quick: boolean,
): ResolvedCaseBudget {
  const rsa = algorithm.startsWith('rsa-');
  const base = { ...defaults, ...(rsa ? rsaDefaults : {}) };
  const merged = Object.assign(base, ...layers.filter(Boolean)) as ResolvedCaseBudget;
  // --quick caps whatever the suite asked for: a smoke run must stay short.
  if (quick) {
    const cap = rsa ? quickRsaBudget : quickBudget;
    merged.maxTimeMs = Math.min(merged.maxTimeMs, cap.maxTimeMs!);
    merged.minSamples = Math.min(merged.minSamples, cap.minSamples!);
  }
  return merged;
}
