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

/**
 * How much a finding matters, by kind: `high` when a running program stalls (sync RSA on the event loop),
 * `medium` when it only pays more than it needs to (a costlier algorithm), `low` when it is about measuring,
 * not about the product (an imprecise bench case).
 */
export type RecommendationSeverity = 'high' | 'medium' | 'low';

/** One subject a finding covers (a bench case, an RSA size), with its own numbers. */
export interface CoveredSubject {
  subject: string;
  values: Record<string, number | string>;
}

export interface Recommendation {
  /** Stable per finding, e.g. "costlier-than-equal-strength:rsa-3072", "imprecise-bench-case:<run id>". */
  id: string;
  kind: RecommendationKind;
  severity: RecommendationSeverity;
  /**
   * What ranks findings of equal severity, larger first. Severity follows the kind, so only findings of one
   * kind compare impacts, in one unit: the ms the event loop was held, the ms of generation an equal-strength
   * alternative would have saved, the number of bench cases too imprecise to gate.
   */
  impact: { value: number; unit: string };
  /** Everything the finding covers, worst first: one entry when it is about one subject. */
  covers: CoveredSubject[];
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
