/**
 * Sending alerts to a webhook: one JSON POST, { source: 'keyscope', sentAt, alerts }, with the global fetch
 * and a timeout, so a slow or dead receiver costs at most `timeoutMs` and one KS_WEBHOOK_FAILED line.
 * Alerts carry numbers, names and windows only, never key material, so the body is safe to send as is.
 */
import { ErrorCodes, KeyscopeError } from '../../core/index.js';
import type { Alert } from './types.js';

export const defaultWebhookTimeoutMs = 5000;

/** What the receiver gets. */
export interface WebhookPayload {
  source: 'keyscope';
  sentAt: string;
  alerts: readonly Alert[];
}

/** The URL without user info or query (either may hold a secret token), for error messages. */
function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

function failed(url: string, reason: string, cause?: unknown): KeyscopeError {
  return new KeyscopeError(ErrorCodes.webhookFailed, `webhook ${redacted(url)}: ${reason}`, cause === undefined ? undefined : { cause });
}

/** POSTs the alerts; KS_WEBHOOK_FAILED on a non-2xx answer, a network error or the timeout (default 5 s). */
export async function sendAlertsToWebhook(url: string, alerts: readonly Alert[], options: { timeoutMs?: number } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? defaultWebhookTimeoutMs;
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) throw failed(url, 'is not an http:// or https:// URL');
  const payload: WebhookPayload = { source: 'keyscope', sentAt: new Date().toISOString(), alerts };
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') throw failed(url, `no answer within ${timeoutMs} ms`, error);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw failed(url, `cannot be reached (${cause?.code ?? cause?.message ?? (error as Error).message})`, error);
  }
  // Drain the body so the connection is released, whatever the status.
  await response.arrayBuffer().catch(() => undefined);
  if (!response.ok) throw failed(url, `answered ${response.status}${response.statusText === '' ? '' : ` ${response.statusText}`}`);
}

/**
 * Remembers which alert ids fired at the previous call, so a live loop notifies an alert once when it
 * starts firing, not on every tick while it keeps firing; an alert that stops and fires again is news again.
 * When sending the news fails, the caller forgets those ids, so they are news again at the next call and
 * the delivery is retried instead of lost.
 */
export class AlertNotifier {
  private previous = new Set<string>();

  newlyFiring(alerts: readonly Alert[]): Alert[] {
    const fresh = alerts.filter((alert) => !this.previous.has(alert.id));
    this.previous = new Set(alerts.map((alert) => alert.id));
    return fresh;
  }

  /** Treats these ids as not notified: if they still fire at the next call, they are returned again. */
  forget(ids: readonly string[]): void {
    for (const id of ids) this.previous.delete(id);
  }
}
