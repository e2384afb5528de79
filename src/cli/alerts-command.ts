/**
 * `keyscope alerts`: evaluates the alert rules (threshold rules from the rules file, the built-in security
 * rules, the anomaly detectors) over the analytics database, prints what fires, and sends it to the webhook
 * when one is configured. Opening the database ingests every pending spool first, so what it judges
 * includes the events of processes that have not been ingested yet.
 *
 * Exit status: 0, or 1 when --fail-on is given and an alert at or above that severity fires (so a cron job
 * or CI step can page on it), 1 when the webhook fails; 2 for a bad option or rules file.
 */
import { openAnalyticsDatabase } from '../analytics/warehouse/index.js';
import { resolveAnalyticsPaths } from '../analytics/events/index.js';
import { ErrorCodes, KeyscopeError } from '../core/index.js';
import { type Alert, type AlertRulesConfig, type AlertSeverity, defaultAlertRulesFile, evaluateAlerts, loadAlertRules, parseWindowMs, sendAlertsToWebhook, severityRank, webhookUrl } from '../monitor/alerts/index.js';
import { analyticsWaitNotice } from './analytics-wait.js';

export interface AlertsIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export interface AlertsCommandOptions {
  rules?: string;
  since?: string;
  json?: boolean;
  webhook?: string;
  failOn?: string;
  /** Clock for tests. */
  now?: Date;
}

function failOnSeverity(value: string | undefined): AlertSeverity | null {
  if (value === undefined) return null;
  if (Object.prototype.hasOwnProperty.call(severityRank, value)) return value as AlertSeverity;
  throw new KeyscopeError(ErrorCodes.usage, `--fail-on must be info, warning or critical (got "${value}")`);
}

/** --since DURATION replaces every built-in rule's lookback. */
function withLookback(config: AlertRulesConfig, since: string | undefined): AlertRulesConfig {
  if (since === undefined) return config;
  const lookback = parseWindowMs(since);
  if (lookback === null) throw new KeyscopeError(ErrorCodes.usage, `--since must be a duration like 90s, 10m, 1h or 7d (got "${since}")`);
  const builtin = config.builtin;
  return {
    ...config,
    builtin: {
      weakParameters: { ...builtin.weakParameters, lookback },
      bursts: { ...builtin.bursts, lookback },
      repeatedFailures: { ...builtin.repeatedFailures, lookback },
    },
  };
}

function table(alerts: readonly Alert[]): string {
  const header = ['SEVERITY', 'RULE', 'SINCE', 'TITLE'];
  const rows = alerts.map((alert) => [alert.severity, alert.rule, `${alert.since.slice(0, 16).replace('T', ' ')}Z`, alert.title]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  const lines = [line(header)];
  for (const [index, alert] of alerts.entries()) {
    lines.push(line(rows[index]!));
    const e = alert.evidence;
    const score = e.score === undefined ? '' : `, score ${e.score.toFixed(2)} (threshold ${e.scoreThreshold ?? '?'})`;
    const events = e.events === undefined ? '' : `, ${e.events} events`;
    lines.push(`${' '.repeat(widths[0]! + 2)}evidence: ${e.metric} = ${e.value}, baseline ${e.baseline}${score}${events}, window ${e.window.since} .. ${e.window.until}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function alertsCommand(options: AlertsCommandOptions, io: AlertsIO): Promise<number> {
  const failOn = failOnSeverity(options.failOn);
  if (options.webhook !== undefined && !(/^https?:\/\//i.test(options.webhook) && URL.canParse(options.webhook))) {
    throw new KeyscopeError(ErrorCodes.usage, '--webhook must be an http:// or https:// URL');
  }
  const paths = resolveAnalyticsPaths(io.env);
  const config = withLookback(await loadAlertRules(options.rules ?? defaultAlertRulesFile(paths.home)), options.since);
  const database = await openAnalyticsDatabase({ paths, onWait: analyticsWaitNotice(io.stderr) });
  let alerts: Alert[];
  try {
    alerts = await evaluateAlerts(database.connection, config, options.now === undefined ? {} : { now: options.now });
  } finally {
    await database.close();
  }

  if (options.json === true) io.stdout.write(`${JSON.stringify(alerts, null, 2)}\n`);
  else io.stdout.write(alerts.length === 0 ? 'no alerts\n' : table(alerts));

  const url = options.webhook ?? webhookUrl(config);
  if (url !== null && alerts.length > 0) {
    await sendAlertsToWebhook(url, alerts, config.webhook === undefined ? {} : { timeoutMs: config.webhook.timeout });
  }
  if (failOn !== null && alerts.some((alert) => severityRank[alert.severity] >= severityRank[failOn])) return 1;
  return 0;
}
