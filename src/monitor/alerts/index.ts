/** Alerting: rules file, threshold rules, built-in security rules, anomaly detection and the webhook. */
export { parseWindowMs } from './durations.js';
export { evaluateAlerts, severityRank } from './evaluate.js';
export { defaultAlertRulesFile, loadAlertRules, webhookUrl } from './load-rules.js';
export type { AlertRulesConfig, ThresholdMetric, ThresholdRule } from './rules-schema.js';
export type { Alert, AlertEvidence, AlertKind, AlertSeverity, DetectorScore } from './types.js';
export { AlertNotifier, sendAlertsToWebhook, type WebhookPayload } from './webhook.js';
