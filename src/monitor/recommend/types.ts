/**
 * Recommendations: data-driven suggestions, each with the evidence it rests on. Shared by `keyscope recommend`
 * and the dashboard's panel.
 */

export type RecommendationKind =
  /** An algorithm costs far more than a measured alternative of equal security strength. */
  | 'costlier-than-equal-strength'
  /** Synchronous RSA generation holds the event loop for long. */
  | 'sync-rsa-blocks-event-loop'
  /** A benchmark case's precision is too poor to gate a regression on. */
  | 'imprecise-bench-case';

export interface Recommendation {
  /** Stable per kind and subject, e.g. "costlier-than-equal-strength:rsa-3072". */
  id: string;
  kind: RecommendationKind;
  /** One line: "rsa-3072 keys cost 310 ms; ec-p256 (same 128-bit strength) costs 0.05 ms". */
  title: string;
  /** What to do about it, one or two sentences. */
  action: string;
  /** The numbers behind it; `source` says where they came from. */
  evidence: {
    source: 'analytics' | 'bench';
    /** Named numbers, e.g. { medianNs: 3.1e8, alternativeMedianNs: 5.2e4, keys: 120 }. */
    values: Record<string, number | string>;
    window?: { since: string; until: string };
  };
}
