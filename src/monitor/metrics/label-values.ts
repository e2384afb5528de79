/**
 * Label values for exported metrics. Metrics leave the machine (a Prometheus server, an OTLP collector), so a
 * label may only carry a name from a closed vocabulary: the recorder already stores only algorithm ids,
 * implementation names and stable error codes, and these checks make sure that whatever else might sit in
 * the database (an older version's rows, a hand-edited file) goes out as "other", never as text. They also
 * bound the number of series.
 */

/** Algorithm ids (rsa-3072, ec-p256), implementations (keyscope, node:crypto), rule names (builtin.burst). */
const namePattern = /^[a-z0-9][a-z0-9._:-]{0,63}$/;
/** keyscope's KS_*, Node's ERR_*, and errno names (EACCES). */
const errorCodePattern = /^(?:(?:KS|ERR)_[A-Z0-9_]{1,60}|E[A-Z0-9]{2,20})$/;

export function nameLabel(value: unknown): string {
  if (value === null || value === undefined) return 'unknown';
  return typeof value === 'string' && namePattern.test(value) ? value : 'other';
}

export function outcomeLabel(value: unknown): string {
  return value === 'ok' || value === 'error' ? value : 'other';
}

export function errorCodeLabel(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  return typeof value === 'string' && errorCodePattern.test(value) ? value : 'other';
}
