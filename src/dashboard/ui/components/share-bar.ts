import { formatRate } from '../format.js';
import { html } from '../html.js';

/** A 0..1 share as a bar with its percentage. */
export function ShareBar(props: { share: number }) {
  const width = `${Math.max(0, Math.min(1, props.share)) * 100}%`;
  return html`<span class="share"><span class="share-bar"><span style=${{ width }}></span></span> ${formatRate(props.share)}</span>`;
}
