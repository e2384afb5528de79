/**
 * The alerts as the dashboard sees them: evaluated every 15 s and after an ingest tick moved events in (never
 * per request: the evaluation reads histories, and every page shows the count), kept with their time, and
 * the newly firing ones sent to the rules file's webhook (with its timeout). A webhook failure is one line on
 * stderr, and the alerts it carried are sent again at the next evaluation if they still fire. A failed
 * evaluation keeps the last good alerts and is reported with its code on /api/alerts.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

import { ErrorCodes, KeyscopeError } from '../../core/index.js';
import {
  type Alert,
  AlertNotifier,
  type AlertRulesConfig,
  evaluateAlerts,
  sendAlertsToWebhook,
  webhookUrl,
} from '../../monitor/alerts/index.js';

export const alertEveryMs = 15_000;
/** After an ingest, alerts are evaluated at most this often (a busy spool ingests every second). */
export const alertAfterIngestMs = 5_000;

export interface AlertEvaluationError {
  code: string;
  message: string;
}

export class AlertMonitor {
  readonly #config: AlertRulesConfig;
  readonly #run: <T>(work: (connection: DuckDBConnection) => Promise<T>) => Promise<T>;
  readonly #notifier = new AlertNotifier();
  readonly #onChange: () => void;
  #alerts: Alert[] = [];
  #evaluatedAt: Date | null = null;
  #error: AlertEvaluationError | null = null;
  #timer: NodeJS.Timeout | null = null;
  #soon: NodeJS.Timeout | null = null;
  #lastStartedAt = Number.NEGATIVE_INFINITY;
  #closed = false;
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

  /** When the last successful evaluation ended; null until one has succeeded. */
  get evaluatedAt(): Date | null {
    return this.#evaluatedAt;
  }

  /** Why the latest evaluation failed; null once one succeeds. */
  get error(): AlertEvaluationError | null {
    return this.#error;
  }

  start(): void {
    this.#timer = setInterval(() => void this.evaluate(), alertEveryMs);
    this.#timer.unref();
  }

  /**
   * Asks for an evaluation without waiting for it (after an ingest moved events in): at most one every
   * alertAfterIngestMs, requests in between coalesced into one. The ingest tick does not wait for it, so a page
   * refetch triggered by that ingest's live change is not queued on the database behind the evaluation.
   */
  evaluateSoon(now = Date.now()): void {
    if (this.#closed || this.#soon !== null) return;
    const delay = Math.max(0, this.#lastStartedAt + alertAfterIngestMs - now);
    this.#soon = setTimeout(() => {
      this.#soon = null;
      void this.evaluate();
    }, delay);
    this.#soon.unref();
  }

  /** Evaluates now (joining an evaluation already under way). */
  evaluate(): Promise<void> {
    this.#pending ??= this.#evaluate().finally(() => (this.#pending = null));
    return this.#pending;
  }

  async #evaluate(): Promise<void> {
    this.#lastStartedAt = Date.now();
    let alerts: Alert[];
    try {
      alerts = await this.#run((connection) => evaluateAlerts(connection, this.#config));
    } catch (error) {
      this.#error =
        error instanceof KeyscopeError
          ? { code: error.code, message: oneLine(error) }
          : { code: ErrorCodes.dashboardInternal, message: `alert evaluation failed: ${oneLine(error)}` };
      process.stderr.write(`keyscope dashboard: alert evaluation failed: ${oneLine(error)}\n`);
      return;
    }
    const before = this.#alerts.map((alert) => alert.id).sort().join('\n');
    const after = alerts.map((alert) => alert.id).sort().join('\n');
    this.#alerts = alerts;
    this.#evaluatedAt = new Date();
    this.#error = null;
    if (before !== after) this.#onChange();
    const url = webhookUrl(this.#config);
    const fresh = this.#notifier.newlyFiring(alerts);
    if (url !== null && fresh.length > 0) {
      const timeoutMs = this.#config.webhook?.timeout;
      const sending = sendAlertsToWebhook(url, fresh, timeoutMs === undefined ? {} : { timeoutMs })
        .catch((error: unknown) => {
          // Not delivered: if they still fire at the next evaluation, they are sent again.
          this.#notifier.forget(fresh.map((alert) => alert.id));
          process.stderr.write(`keyscope dashboard: alert webhook failed: ${oneLine(error)}\n`);
        })
        .finally(() => this.#webhooks.delete(sending));
      this.#webhooks.add(sending);
    }
  }

  /** Resolves when the webhook sends under way have ended (delivered, or failed and forgotten). */
  async webhooksSettled(): Promise<void> {
    await Promise.all(this.#webhooks);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== null) clearInterval(this.#timer);
    if (this.#soon !== null) clearTimeout(this.#soon);
    this.#soon = null;
    await this.#pending;
    await this.webhooksSettled();
  }
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
