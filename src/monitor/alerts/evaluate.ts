/**
 * Every alert firing at one moment: the threshold rules of the rules file, the built-in security rules and
 * the anomaly detectors, over one analytics database connection. Sorted most severe first, then by id, so
 * the CLI, the webhook and the dashboard list them alike.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

import { evaluateAnomalies } from './anomaly-detection.js';
import type { AlertRulesConfig } from './rules-schema.js';
import { evaluateSecurityRules } from './security-rules.js';
import { evaluateThresholdRule } from './threshold-rules.js';
import type { Alert, AlertSeverity } from './types.js';

export const severityRank: Readonly<Record<AlertSeverity, number>> = { info: 0, warning: 1, critical: 2 };

export async function evaluateAlerts(connection: DuckDBConnection, config: AlertRulesConfig, options: { now?: Date } = {}): Promise<Alert[]> {
  const now = options.now ?? new Date();
  const alerts: Alert[] = [];
  for (const rule of config.rules) {
    const alert = await evaluateThresholdRule(connection, rule, now);
    if (alert !== null) alerts.push(alert);
  }
  alerts.push(...(await evaluateSecurityRules(connection, config.builtin, now)));
  alerts.push(...(await evaluateAnomalies(connection, config.anomaly, now)));
  return alerts.sort((a, b) => severityRank[b.severity] - severityRank[a.severity] || a.id.localeCompare(b.id));
}
