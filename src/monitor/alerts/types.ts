/**
 * Alerts: what a rule or a detector found, with the evidence behind it. Shared by the evaluator, the
 * `keyscope alerts` command, the webhook and the dashboard.
 */

export type AlertSeverity = 'info' | 'warning' | 'critical';

/** Where an alert came from. */
export type AlertKind =
  /** A threshold rule from the rules file (or a built-in threshold) held for its `for` duration. */
  | 'threshold'
  /** A built-in security rule: weak parameters, bursts, repeated failures. */
  | 'security'
  /** A robust-statistics detector (median/MAD z-score or EWMA) on a per-algorithm series. */
  | 'anomaly';

/** The numbers that justify an alert, so nobody has to take it on trust. */
export interface AlertEvidence {
  /** What was measured, e.g. "p99 latency (ns)", "error rate", "keys per minute". */
  metric: string;
  /** The observed value that crossed the line (the latest, or the least extreme over the `for` duration). */
  value: number;
  /** The threshold a rule compares with, or the robust baseline (median or EWMA) a detector compares with. */
  baseline: number;
  /** The time window the value was measured over. */
  window: { since: string; until: string };
  /** Detectors: the robust z-score (or EWMA deviation in MADs) and the threshold it crossed. */
  score?: number;
  scoreThreshold?: number;
  /** Events behind the value (keys timed, calls counted, ...). */
  events?: number;
  /** Anomaly alerts: every detector that scored the value, whether or not it fired. */
  detectors?: DetectorScore[];
}

/** One anomaly detector's verdict on the latest bucket. */
export interface DetectorScore {
  detector: 'robust-z' | 'ewma';
  /** The detector's score, in robust standard deviations above its baseline. */
  score: number;
  /** The median of the history (robust-z) or its EWMA (ewma). */
  baseline: number;
  /** What the score divided by (the scaled MAD or EWMA deviation, never below the series' noise floor). */
  scale: number;
  fired: boolean;
}

export interface Alert {
  /** Stable for the same rule and subject: `${rule}:${algorithm ?? '*'}` so repeats can be told apart from news. */
  id: string;
  /** The rule's name: a rules-file name, or a built-in one (`builtin.weak-parameters`, `anomaly.latency`, ...). */
  rule: string;
  kind: AlertKind;
  severity: AlertSeverity;
  /** One line a person reads: "p99 latency of rsa-2048 is 412 ms, above 250 ms for 10m". */
  title: string;
  algorithm: string | null;
  /** When the condition started holding (the start of the `for` run, the first event of a burst...). */
  since: string;
  evidence: AlertEvidence;
}
