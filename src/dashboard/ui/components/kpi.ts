/** A key-number tile, with its change against the previous range of equal length when there is one. */
import { formatTrend } from '../format.js';
import { html } from '../html.js';

export function Kpi(props: { id: string; label: string; value: string; current?: number | null; previous?: number | null; higherIsBetter?: boolean }) {
  const trend = props.previous === undefined ? null : formatTrend(props.current ?? null, props.previous);
  const good = trend && trend.direction !== 'flat' ? (trend.direction === 'up') === (props.higherIsBetter ?? true) : null;
  return html`<div class="kpi" data-testid=${`kpi-${props.id}`}>
    <div class="kpi-label">${props.label}</div>
    <div class="kpi-value" data-testid=${`kpi-${props.id}-value`}>${props.value}</div>
    ${trend
      ? html`<div class=${`trend ${good === null ? 'flat' : good ? 'good' : 'bad'}`} title="change against the previous range of equal length">
          ${trend.direction === 'up' ? '▲' : trend.direction === 'down' ? '▼' : '●'} ${trend.text}
        </div>`
      : null}
  </div>`;
}
