/**
 * "costlier-than-equal-strength": an algorithm whose median key generation costs at least 10x that of a
 * measured alternative that is at least as strong, can do the same job and, when the costly algorithm is
 * post-quantum, is post-quantum too (security-strength.ts: never trade ML-KEM for X25519 to save time). Both
 * sides need enough keys for their medians to mean something, and are compared only within one group (the
 * same implementation, or the same suite and implementation of one bench run): a node:crypto median against
 * a native one would measure the implementations, not the algorithms.
 */
import { formatNs } from '../../model/index.js';
import type { Recommendation } from './types.js';
import { type KeyUse, securityStrength, sharedUses } from './security-strength.js';

/** A factor that no measurement noise or machine difference explains. */
export const costRatioThreshold = 10;
/** Keys (or bench samples) each side needs. */
export const minimumCostSamples = 20;

export interface MedianMeasurement {
  algorithm: string;
  /** Comparisons stay inside one group: an implementation (analytics) or suite/implementation (bench). */
  group: string;
  medianNs: number;
  samples: number;
}

export interface CostEvidenceSource {
  source: 'analytics' | 'bench';
  window?: { since: string; until: string };
  /** Named values added to every recommendation's evidence (a bench run's id, ...). */
  extra?: Record<string, string>;
}

const useNames: Record<KeyUse, string> = { signature: 'signatures', 'key-establishment': 'key establishment' };

function formatRatio(ratio: number): string {
  return ratio >= 100 ? ratio.toFixed(0) : ratio.toFixed(1);
}

export function costlierThanEqualStrength(measurements: readonly MedianMeasurement[], from: CostEvidenceSource): Recommendation[] {
  const usable = measurements.filter((m) => m.samples >= minimumCostSamples && m.medianNs > 0 && securityStrength(m.algorithm) !== null);
  const recommendations: Recommendation[] = [];
  for (const costly of usable) {
    const strength = securityStrength(costly.algorithm)!;
    let best: { alternative: MedianMeasurement; uses: KeyUse[]; bits: number } | null = null;
    for (const alternative of usable) {
      if (alternative.group !== costly.group || alternative.algorithm === costly.algorithm) continue;
      const alternativeStrength = securityStrength(alternative.algorithm)!;
      const uses = sharedUses(strength, alternativeStrength);
      if (alternativeStrength.bits < strength.bits || uses.length === 0) continue;
      if (strength.postQuantum && !alternativeStrength.postQuantum) continue;
      if (costly.medianNs < costRatioThreshold * alternative.medianNs) continue;
      if (best === null || alternative.medianNs < best.alternative.medianNs) best = { alternative, uses, bits: alternativeStrength.bits };
    }
    if (best === null) continue;
    const { alternative, uses, bits } = best;
    const ratio = costly.medianNs / alternative.medianNs;
    const forUses = uses.map((use) => useNames[use]).join(' and ');
    recommendations.push({
      id: `costlier-than-equal-strength:${costly.algorithm}`,
      kind: 'costlier-than-equal-strength',
      severity: 'medium',
      // The generation time the alternative would have saved over the keys measured.
      impact: { value: ((costly.medianNs - alternative.medianNs) * costly.samples) / 1e6, unit: 'ms of key generation' },
      covers: [{ subject: costly.algorithm, values: { alternative: alternative.algorithm, medianNs: costly.medianNs, alternativeMedianNs: alternative.medianNs, keys: costly.samples } }],
      title:
        `${costly.algorithm} keys cost ${formatNs(costly.medianNs)} (median); ${alternative.algorithm} ` +
        `(${bits}-bit, at least ${costly.algorithm}'s ${strength.bits}) costs ${formatNs(alternative.medianNs)}, ${formatRatio(ratio)}x less`,
      action: `Where ${costly.algorithm} is used for ${forUses}, generate ${alternative.algorithm} keys instead: same or better security strength at a fraction of the cost.`,
      evidence: {
        source: from.source,
        values: {
          algorithm: costly.algorithm,
          alternative: alternative.algorithm,
          group: costly.group,
          use: uses.join(','),
          securityBits: strength.bits,
          alternativeSecurityBits: bits,
          medianNs: costly.medianNs,
          alternativeMedianNs: alternative.medianNs,
          ratio,
          keys: costly.samples,
          alternativeKeys: alternative.samples,
          ...from.extra,
        },
        ...(from.window === undefined ? {} : { window: from.window }),
      },
    });
  }
  return recommendations;
}
