/** Firing alerts, each with the evidence behind it: value, baseline, window and, for detectors, the score. */
import type { AlertsData } from '../../http/api-types.js';
import type { Loaded } from '../use-data.js';
import { formatCount, formatTime } from '../format.js';
import { html } from '../html.js';
import { formatMetricValue } from './evidence.js';
import { Empty, Failure, Loading } from './panel.js';

export function AlertsList(props: { loaded: Loaded<AlertsData> }) {
  const { data, error } = props.loaded;
  if (error && !data) return html`<${Failure} error=${error} />`;
  if (!data) return html`<${Loading} />`;
  // A failed evaluation is said as such (the alerts shown are then those of the last success), and "no alert
  // is firing" is claimed only after an evaluation has succeeded.
  const failed = data.error
    ? html`<p class="failure" role="alert" data-testid="alerts-error">
        Alert evaluation failed${data.evaluatedAt ? ` (last success ${formatTime(data.evaluatedAt)})` : ''}: ${data.error.message} <code>${data.error.code}</code>
      </p>`
    : null;
  if (data.alerts.length === 0) {
    if (failed) return failed;
    if (data.evaluatedAt === null) return html`<${Empty} text="Alerts not evaluated yet." />`;
    return html`<${Empty} text=${`No alert is firing (evaluated ${formatTime(data.evaluatedAt)}).`} />`;
  }
  return html`${failed}<ul class="cards">
    ${data.alerts.map(
      (alert) => html`<li key=${alert.id} class=${`card severity-${alert.severity}`} data-testid="alert">
        <div class="card-head">
          <span class="badge" data-testid="alert-severity">${alert.severity}</span>
          <span class="badge muted">${alert.kind}</span>
          <strong data-testid="alert-title">${alert.title}</strong>
        </div>
        <dl class="evidence" data-testid="alert-evidence">
          <dt>Metric</dt><dd>${alert.evidence.metric}</dd>
          <dt>Value</dt><dd data-testid="alert-value">${formatMetricValue(alert.evidence.metric, alert.evidence.value)}</dd>
          <dt>Baseline</dt><dd data-testid="alert-baseline">${formatMetricValue(alert.evidence.metric, alert.evidence.baseline)}</dd>
          <dt>Window</dt><dd>${formatTime(alert.evidence.window.since)} – ${formatTime(alert.evidence.window.until)}</dd>
          ${alert.evidence.score != null
            ? html`<dt>Score</dt><dd data-testid="alert-score">${alert.evidence.score.toFixed(2)}${alert.evidence.scoreThreshold != null ? ` (threshold ${alert.evidence.scoreThreshold})` : ''}</dd>`
            : null}
          ${alert.evidence.events != null ? html`<dt>Events</dt><dd>${formatCount(alert.evidence.events)}</dd>` : null}
          <dt>Since</dt><dd>${formatTime(alert.since)}</dd>
          <dt>Rule</dt><dd>${alert.rule}${alert.algorithm ? ` · ${alert.algorithm}` : ''}</dd>
        </dl>
      </li>`,
    )}
  </ul>`;
}
