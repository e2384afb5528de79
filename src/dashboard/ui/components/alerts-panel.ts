/** Firing alerts, each with the evidence behind it: value, baseline, window and, for detectors, the score. */
import type { AlertsData } from '../../api-types.js';
import type { Loaded } from '../use-data.js';
import { formatCount, formatTime } from '../format.js';
import { html } from '../html.js';
import { formatMetricValue } from './evidence.js';
import { Empty, Failure, Loading } from './panel.js';

export function AlertsList(props: { loaded: Loaded<AlertsData> }) {
  const { data, error } = props.loaded;
  if (error && !data) return html`<${Failure} error=${error} />`;
  if (!data) return html`<${Loading} />`;
  if (data.alerts.length === 0) return html`<${Empty} text=${`No alert is firing (evaluated ${formatTime(data.evaluatedAt)}).`} />`;
  return html`<ul class="cards">
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
