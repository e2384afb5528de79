/** Data-driven suggestions with the numbers they rest on. */
import type { RecommendationsData } from '../../http/api-types.js';
import { formatTime } from '../format.js';
import { html } from '../html.js';
import type { Loaded } from '../use-data.js';
import { formatNamedValue } from './evidence.js';
import { Empty, Failure, Loading } from './panel.js';

export function RecommendationsList(props: { loaded: Loaded<RecommendationsData> }) {
  const { data, error } = props.loaded;
  if (error && !data) return html`<${Failure} error=${error} />`;
  if (!data) return html`<${Loading} />`;
  if (data.recommendations.length === 0) return html`<${Empty} text="Nothing to recommend: the data supports no suggestion." />`;
  return html`<ul class="cards">
    ${data.recommendations.map(
      (item) => html`<li key=${item.id} class="card" data-testid="recommendation">
        <div class="card-head"><span class="badge muted">${item.kind}</span> <strong>${item.title}</strong></div>
        <p>${item.action}</p>
        <dl class="evidence">
          <dt>Source</dt><dd>${item.evidence.source}</dd>
          ${Object.entries(item.evidence.values).map(([name, value]) => html`<dt key=${name}>${name}</dt><dd>${formatNamedValue(name, value)}</dd>`)}
          ${item.evidence.window ? html`<dt>Window</dt><dd>${formatTime(item.evidence.window.since)} – ${formatTime(item.evidence.window.until)}</dd>` : null}
        </dl>
      </li>`,
    )}
  </ul>`;
}
