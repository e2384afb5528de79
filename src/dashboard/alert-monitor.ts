/**
 * The alerts as the dashboard sees them: evaluated every 15 s and after an ingest tick moved events in (never
 * per request: the evaluation reads histories, and every page shows the count), kept with their time, and
 * the newly firing ones sent to the rules file's webhook. A webhook failure is one line on stderr; the next
 * evaluation goes on (and does not resend what already fired).
 */
import type { DuckDBConnection } from '@duckdb/node-api';

import {
  type Alert,
  AlertNotifier,
  type AlertRulesConfig,
  evaluateAlerts,
  sendAlertsToWebhook,
  webhookUrl,
} from '../monitor/alerts/index.js';

export const alertEveryMs = 15_000;

export class AlertMonitor {
  readonly #config: AlertRulesConfig;
  readonly #run: <T>(work: (connection: DuckDBConnection) => Promise<T>) => Promise<T>;
  readonly #notifier = new AlertNotifier();
  readonly #onChange: () => void;
  #alerts: Alert[] = [];
  #evaluatedAt: Date | null = null;
  #timer: NodeJS.Timeout | null = null;
  #pending: Promise<void> | null = null;
  #webhooks = new Set<Promise<void>>();

  constructor(options: {
    config: AlertRulesConfig;
    run: <T>(work: (connection: DuckDBConnection) => Promise<T>) => Promise<T>;
    onChange: () => void;
  }) {
    this.#config = options.config;
    this.#run = options.run;
    this.#onChange = options.onChange;
  }

  get alerts(): readonly Alert[] {
    return this.#alerts;
  }

  get evaluatedAt(): Date | null {
    return this.#evaluatedAt;
  }

  start(): void {
    this.#timer = setInterval(() => void this.evaluate(), alertEveryMs);
    this.#timer.unref();
  }

  /** Evaluates now (joining an evaluation already under way). */
  evaluate(): Promise<void> {
    this.#pending ??= this.#evaluate().finally(() => (this.#pending = null));
    return this.#pending;
  }

  async #evaluate(): Promise<void> {
    let alerts: Alert[];
    try {
      alerts = await this.#run((connection) => evaluateAlerts(connection, this.#config));
    } catch (error) {
      process.stderr.write(`keyscope dashboard: alert evaluation failed: ${oneLine(error)}\n`);
      return;
    }
    const before = this.#alerts.map((alert) => alert.id).sort().join('\n');
    const after = alerts.map((alert) => alert.id).sort().join('\n');
    this.#alerts = alerts;
    this.#evaluatedAt = new Date();
    if (before !== after) this.#onChange();
    const url = webhookUrl(this.#config);
    const fresh = this.#notifier.newlyFiring(alerts);
    if (url !== null && fresh.length > 0) {
      const sending = sendAlertsToWebhook(url, fresh)
        .catch((error: unknown) => {
          process.stderr.write(`keyscope dashboard: alert webhook failed: ${oneLine(error)}\n`);
        })
        .finally(() => this.#webhooks.delete(sending));
      this.#webhooks.add(sending);
    }
  }

  async close(): Promise<void> {
    if (this.#timer !== null) clearInterval(this.#timer);
    await this.#pending;
    await Promise.all(this.#webhooks);
  }
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
